"""The demo county's 办事指南 (made-up but plausible contents; no real personal data). See seed_demo."""

INDEX = {
    "parent": "zwfw",
    "slug": "bszn",
    "title": "办事指南",
    "intro": "按部门和服务对象查找办事指南，了解所需材料、办理流程和时限。",
}

COMMON = {
    "office_hours": "法定工作日 上午9:00—12:00，下午13:30—17:30",
    "complaint_phone": "028-24520345、12345",
}

# Each guide: unit key (所属单位), then the page fields; "materials" are (name, copies, format, source, note).
GUIDES = [
    {
        "unit": "rsj",
        "slug": "cxjmjbylbxcbdj",
        "title": "城乡居民基本养老保险参保登记",
        "item_type": "public_service",
        "audience": "person",
        "implementing_body": "安岳县人力资源和社会保障局",
        "legal_basis": (
            "《中华人民共和国社会保险法》第二十条、第二十二条；"
            "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"
        ),
        "conditions": (
            "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度"
            "覆盖范围的城乡居民，户籍在安岳县。"
        ),
        "materials": [
            ("居民身份证或户口簿", "原件1份", "paper", "公安机关核发", "查验后退还"),
            ("城乡居民基本养老保险参保登记表", "原件1份", "either", "申请人填写（窗口或网上领取）", ""),
        ],
        "steps": [
            "申请：申请人到户籍所在地村（社区）或乡镇（街道）便民服务中心提出申请。",
            "受理：窗口工作人员核对身份信息和参保登记表。",
            "办结：录入系统完成参保登记，告知缴费档次和缴费方式。",
        ],
        "statutory_time_limit": "5个工作日",
        "promised_time_limit": "即办",
        "fees": "不收费",
        "location": "各乡镇（街道）便民服务中心；安岳县政务服务中心社保窗口（岳阳街道外南街99号）",
        "consultation_phone": "028-24521345",
        "delivery": "窗口告知、短信通知",
        "online_url": "https://www.sczwfw.gov.cn/",
    },
    {
        "unit": "fgj",
        "slug": "qytzxmba",
        "title": "企业投资项目备案",
        "item_type": "other_power",
        "audience": "legal_person",
        "implementing_body": "安岳县发展和改革局",
        "legal_basis": (
            "《企业投资项目核准和备案管理条例》第三条、第十三条；"
            "《企业投资项目核准和备案管理办法》（国家发展改革委令第2号）"
        ),
        "conditions": "在本县行政区域内投资建设的、不属于《政府核准的投资项目目录》范围的企业投资项目。",
        "materials": [
            ("企业投资项目备案信息表", "1份", "electronic", "申请人通过四川省投资项目在线审批监管平台填报", ""),
            ("企业营业执照", "1份", "electronic", "市场监管部门核发", "平台自动获取的无需提交"),
        ],
        "steps": [
            "企业在投资项目在线审批监管平台如实填报项目信息。",
            "备案机关核对信息是否齐全。",
            "信息齐全的即时生成项目代码和备案证明。",
        ],
        "statutory_time_limit": "2个工作日",
        "promised_time_limit": "即办",
        "fees": "不收费",
        "location": "安岳县政务服务中心三楼投资项目审批窗口（岳阳街道外南街99号）",
        "consultation_phone": "028-24524567",
        "delivery": "网上自行下载打印",
        "online_url": "https://tzxm.sc.gov.cn/",
    },
    {
        "unit": "wjj",
        "slug": "sydj",
        "title": "生育登记服务",
        "item_type": "public_service",
        "audience": "person",
        "implementing_body": "安岳县卫生健康局",
        "legal_basis": "《中华人民共和国人口与计划生育法》；《四川省人口与计划生育条例》",
        "conditions": "夫妻双方或一方户籍在安岳县，或在安岳县居住的生育子女的夫妻。",
        "materials": [
            ("夫妻双方居民身份证", "原件各1份", "paper", "公安机关核发", "查验后退还；网上办理的无需提交"),
            ("结婚证", "原件1份", "paper", "民政部门核发", "未婚生育的无需提交"),
        ],
        "steps": [
            "申请：在四川政务服务网或到乡镇（街道）便民服务中心提出登记。",
            "办理：工作人员核对信息后当场登记。",
            "办结：出具生育登记服务单。",
        ],
        "statutory_time_limit": "1个工作日",
        "promised_time_limit": "即办",
        "fees": "不收费",
        "location": "各乡镇（街道）便民服务中心；安岳县政务服务中心卫健窗口",
        "consultation_phone": "028-24523456",
        "delivery": "窗口领取、网上自行下载",
        "online_url": "https://www.sczwfw.gov.cn/",
    },
]
