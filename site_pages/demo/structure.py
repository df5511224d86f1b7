"""The demo county's units, users and column tree (安岳县). Data only; see seed_demo."""

# (key, name, short name, kind, organisation-code body: 17 characters without the check character)
UNITS = [
    ("xzfb", "安岳县人民政府办公室", "县政府办", "supervisor", "11512021MB1501234"),
    ("dzzw", "安岳县电子政务外网管理办公室", "县电子政务办", "operator", "12512021MB1502345"),
    ("wxb", "中共安岳县委网络安全和信息化委员会办公室", "县委网信办", "cyberspace", "11512021MB1503456"),
    ("fgj", "安岳县发展和改革局", "县发改局", "department", "11512021MB1504567"),
    ("jyj", "安岳县教育和体育局", "县教体局", "department", "11512021MB1505678"),
    ("wjj", "安岳县卫生健康局", "县卫健局", "department", "11512021MB1506789"),
    ("nyj", "安岳县农业农村局", "县农业农村局", "department", "11512021MB1507890"),
    ("czj", "安岳县财政局", "县财政局", "department", "11512021MB1508901"),
    ("rsj", "安岳县人力资源和社会保障局", "县人社局", "department", "11512021MB1509012"),
    ("yyjd", "安岳县岳阳街道办事处", "岳阳街道", "subdistrict", "11512021MB1510123"),
    ("sy", "安岳县石羊镇人民政府", "石羊镇", "township", "11512021MB1511234"),
    ("lt", "安岳县龙台镇人民政府", "龙台镇", "township", "11512021MB1512345"),
    ("zl", "安岳县周礼镇人民政府", "周礼镇", "township", "11512021MB1513456"),
]

SUPERVISED_UNITS_PARENT = "xzfb"

# (path of slugs, title, update class, owning unit key, lead unit key or None, show in top menu)
COLUMNS = [
    ("zjay", "走进安岳", "annual", "xzfb", None, True),
    ("xwdt", "新闻动态", "news", "xzfb", None, True),
    ("xwdt/ayyw", "安岳要闻", "news", "xzfb", None, True),
    ("xwdt/bmdt", "部门动态", "news", "xzfb", None, True),
    ("xwdt/bmdt/fgj", "发改动态", "news", "fgj", None, True),
    ("xwdt/bmdt/jyj", "教体动态", "news", "jyj", None, True),
    ("xwdt/bmdt/wjj", "卫健动态", "news", "wjj", None, True),
    ("xwdt/bmdt/nyj", "农业农村动态", "news", "nyj", None, True),
    ("xwdt/xzdt", "乡镇动态", "news", "xzfb", None, True),
    ("xwdt/xzdt/yyjd", "岳阳街道", "news", "yyjd", None, True),
    ("xwdt/xzdt/sy", "石羊镇", "news", "sy", None, True),
    ("xwdt/xzdt/lt", "龙台镇", "news", "lt", None, True),
    ("xwdt/xzdt/zl", "周礼镇", "news", "zl", None, True),
    ("xwdt/tzgg", "通知公告", "notice_policy", "xzfb", None, True),
    ("zcwj", "政策文件", "notice_policy", "xzfb", None, True),
    ("zcwj/xzfwj", "县政府文件", "notice_policy", "xzfb", None, True),
    ("zcwj/xzfbwj", "县政府办文件", "notice_policy", "xzfb", None, True),
    ("zcwj/zcjd", "政策解读", "notice_policy", "xzfb", None, True),
    ("zwfw", "政务服务", "quarterly", "dzzw", None, True),
    ("hdjl", "互动交流", "monthly", "xzfb", None, True),
    ("hdjl/zxft", "在线访谈", "quarterly", "xzfb", None, True),
    ("ztzl", "专题专栏", "annual", "xzfb", None, True),
]

# Special topics: (column path, slug, title, intro)
TOPICS = [
    (
        "ztzl",
        "yhyshj",
        "优化营商环境",
        "持续深化“放管服”改革，打造市场化、法治化、国际化一流营商环境。",
    ),
]

# The newest articles of this column get a drawn picture (题图) each, for the home page's carousel.
NEWS_PICTURES_COLUMN = "xwdt/ayyw"
NEWS_PICTURES = 3

# The home page's blocks (首页版块), in order: (block type, value); "column" and "page" values are column
# paths, a path starting with "/" is a URL (the disclosure catalogue is another app's page, the request
# form is a view). seed_demo fills them in only while the home page has no blocks.
HOME_BLOCKS = [
    ("news", {"title": "", "column": "xwdt/ayyw", "count": 8, "pictures": 5}),
    ("column_feed", {"title": "", "column": "xwdt/xzdt", "page_type": "", "count": 8}),
    ("column_feed", {"title": "", "column": "xwdt/bmdt", "page_type": "", "count": 8}),
    ("column_feed", {"title": "", "column": "xwdt/tzgg", "page_type": "", "count": 8}),
    ("column_feed", {"title": "政策文件", "column": "zcwj", "page_type": "policy", "count": 8}),
    ("column_feed", {"title": "", "column": "zcwj/zcjd", "page_type": "interpretation", "count": 8}),
    (
        "entry",
        {
            "title": "政府信息公开",
            "intro": "法定主动公开内容、政府信息公开指南、年度报告和依申请公开。",
            "link": ("进入政府信息公开", "/zfxxgk/"),
            "links": [("依申请公开", "/yxsqgk/")],
        },
    ),
    (
        "shortcuts",
        {
            "title": "政务服务",
            "links": [
                ("办事指南", "zwfw/bszn"),
                ("四川政务服务网", "https://www.sczwfw.gov.cn/"),
                ("依申请公开", "/yxsqgk/"),
            ],
        },
    ),
    (
        "entry",
        {
            "title": "互动交流",
            "intro": "在线访谈、意见征集，倾听群众呼声。",
            "link": ("进入互动交流", "hdjl"),
            "links": [("在线访谈", "hdjl/zxft")],
        },
    ),
]

ROLES = ["info_officer", "typesetter", "section_chief", "deputy_head", "head"]
ROLE_NAMES = {
    "info_officer": "信息员",
    "typesetter": "排版员",
    "section_chief": "股室负责人",
    "deputy_head": "分管负责人",
    "head": "主要负责人",
}

# Demo only (documented in README); production settings refuse to seed.
DEMO_PASSWORD = "Anyue@2026demo"  # noqa: S105

PORTAL_SETTINGS = {
    "site_name": "安岳县人民政府",
    "sponsor": "安岳县人民政府办公室",
    "organiser": "安岳县电子政务外网管理办公室",
    "address": "四川省资阳市安岳县岳阳镇外南街99号",
    "phone": "028-24521234",
    "email": "aygov@anyue.gov.cn",
    "site_code": "5120210001",
    "icp_number": "蜀ICP备05012345号",
    "icp_url": "https://beian.miit.gov.cn/",
    "police_number": "川公网安备 51202102000123号",
    "police_url": "https://beian.mps.gov.cn/",
    "conac_url": "https://bszs.conac.cn/sitename?method=show&id=0A1B2C3D4E5F",
}
