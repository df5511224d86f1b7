"""规范表述: standard political and legal expressions that national guidance forbids or asks to use with care.

Sources (items are cited in each entry's note by section):

- 新华通讯社《新华社新闻信息报道中的禁用词和慎用词（2016年7月修订）》, Xinhua News Agency, revised July 2016,
  released 20 July 2017; it extends 《新华社在新闻报道中的禁用词（第一批）》 (新闻阅评动态 No. 315, November 2015).
  Sections used: 一 时政和社会生活类, 二 法律法规类, 三 民族宗教类, 四 涉及领土、主权和港澳台, 五 国际关系类.
  No copy on xinhuanet.com could be found; public reproductions and reports of its text:
  https://m.haolvshi.com.cn/ztw/0-62686.html (法律法规类 items, full text),
  https://m.163.com/dy/article/D1C7OQ3L0523P86K.html (法律法规类, with commentary),
  http://www.2263.com.cn/article/834.html (社会生活类 and 法律类 of the first list),
  http://mingpaocanada.com/van/htm/News/20170721/tcbf1_r.htm (台湾 items of the 2016 revision),
  https://orientaldaily.on.cc/cnt/news/20170721/00176_046.html (港澳 items of the 2016 revision).
- 《中华人民共和国香港特别行政区基本法》 and 《中华人民共和国澳门特别行政区基本法》 (全国人民代表大会, 1990 and
  1993; https://www.npc.gov.cn) for the names 香港特别行政区政府 and 澳门特别行政区政府.

Severity: block where the guidance forbids the form (不得、严禁、不能) and the form is wrong wherever it appears
(a wrong official title, Taiwan or Hong Kong named as a state); warn where it is right in some contexts (罪犯 after
a conviction, 中华民国 before 1949, 收回主权 of concessions) or where the term is a short string that can
occur inside other words (村长 in 该村长期).

The wording matcher compares the folded literal text, so quoting a term (台湾“行政院”), as the guidance asks
where the form cannot be avoided, does not match. Entries an administrator has already changed are never
overwritten, and the reverse removes only entries still exactly as seeded here.
"""

from django.db import migrations

XINHUA = "新华社《新闻信息报道中的禁用词和慎用词》（2016年7月修订）"
BASIC_LAW = "《香港特别行政区基本法》《澳门特别行政区基本法》"
SECTION_POLITICS = f"{XINHUA}一、时政和社会生活类。"
SECTION_LAW = f"{XINHUA}二、法律法规类。"
SECTION_ETHNIC = f"{XINHUA}三、民族宗教类。"
SECTION_TERRITORY = f"{XINHUA}四、涉及领土、主权和港澳台。"
SECTION_INTERNATIONAL = f"{XINHUA}五、国际关系类。"
NOT_A_STATE = SECTION_TERRITORY + "香港、澳门是特别行政区，台湾是中国的一个省，与国家并列时应写“国家和地区”。"
COME_TO_MAINLAND = SECTION_TERRITORY + "“台湾”与“祖国大陆”、“香港、澳门”与“内地”为对应概念，不称“来华”。"

# (wrong form, right form, severity, whitelist: right forms containing the wrong one, note)
WORDING = [
    # 台湾
    ("中华民国总统", "台湾地区领导人", "block", "", SECTION_TERRITORY + "严禁使用，加引号也不得使用。"),
    ("中华民国副总统", "台湾地区副领导人", "block", "", SECTION_TERRITORY + "严禁使用，加引号也不得使用。"),
    (
        "中华民国",
        "台湾当局",
        "warn",
        "中华民国临时政府 中华民国临时约法 中华民国临时大总统 中华民国时期 中华民国成立",
        SECTION_TERRITORY + "1949年10月1日以后称“台湾当局”或“台湾方面”，不使用“中华民国”及其纪年；历史表述除外。",
    ),
    ("台湾副总统", "台湾地区副领导人", "block", "", SECTION_TERRITORY),
    ("台湾总统选举", "台湾地区领导人选举", "block", "", SECTION_TERRITORY),
    ("台湾行政院", "台湾地区行政管理机构", "block", "", SECTION_TERRITORY + "无法回避时加引号：台湾“行政院”。"),
    ("台湾立法院", "台湾地区立法机构", "block", "", SECTION_TERRITORY + "无法回避时加引号：台湾“立法院”。"),
    ("台湾立法委员", "台湾地区民意代表", "block", "", SECTION_TERRITORY),
    ("台湾原住民", "台湾少数民族", "block", "", SECTION_TERRITORY + "也可称具体名称，如阿美人、泰雅人。"),
    ("两岸三地", "海峡两岸和香港", "block", "", SECTION_TERRITORY + "不得把海峡两岸和香港并称为“两岸三地”。"),
    ("中台关系", "两岸关系", "block", "", SECTION_TERRITORY + "不得把台湾与中国并列，如“中台”。"),
    ("中国和台湾", "大陆和台湾", "warn", "", SECTION_TERRITORY + "不得把台湾与中国并列。"),
    ("中国与台湾", "大陆与台湾", "warn", "", SECTION_TERRITORY + "不得把台湾与中国并列。"),
    ("台湾和中国", "台湾和大陆", "warn", "台湾和中国大陆", SECTION_TERRITORY + "不得把台湾与中国并列。"),
    ("台湾与中国", "台湾与大陆", "warn", "台湾与中国大陆", SECTION_TERRITORY + "不得把台湾与中国并列。"),
    ("一中各表", "九二共识", "warn", "", SECTION_TERRITORY + "不使用台湾方面“九二共识、一中各表”的说法。"),
    ("福尔摩沙", "台湾", "warn", "", SECTION_TERRITORY + "不得把台湾称为“福摩萨”，转述时加引号。"),
    ("福摩萨", "台湾", "warn", "", SECTION_TERRITORY + "不得把台湾称为“福摩萨”，转述时加引号。"),
    # 香港、澳门
    ("中港关系", "内地与香港关系", "block", "", SECTION_TERRITORY + "不得将香港与中国并列，如“中港”。"),
    ("中港两地", "内地与香港两地", "block", "", SECTION_TERRITORY + "不得将香港与中国并列，如“中港”。"),
    ("中港合作", "内地与香港合作", "block", "", SECTION_TERRITORY + "不得将香港与中国并列，如“中港”。"),
    ("中港融合", "内地与香港融合", "block", "", SECTION_TERRITORY + "不得将香港与中国并列，如“中港”。"),
    ("中港澳", "内地与港澳", "block", "", SECTION_TERRITORY + "不得将香港、澳门与中国并列。"),
    ("中国和香港", "内地和香港", "warn", "", SECTION_TERRITORY + "不得将香港与中国并列。"),
    ("中国与香港", "内地与香港", "warn", "", SECTION_TERRITORY + "不得将香港与中国并列。"),
    ("中国和澳门", "内地和澳门", "warn", "", SECTION_TERRITORY + "不得将澳门与中国并列。"),
    ("中国与澳门", "内地与澳门", "warn", "", SECTION_TERRITORY + "不得将澳门与中国并列。"),
    ("大陆与香港", "内地与香港", "warn", "", SECTION_TERRITORY + "“香港、澳门”与“内地”为对应概念。"),
    ("大陆和澳门", "内地和澳门", "warn", "", SECTION_TERRITORY + "“香港、澳门”与“内地”为对应概念。"),
    ("大陆与澳门", "内地与澳门", "warn", "", SECTION_TERRITORY + "“香港、澳门”与“内地”为对应概念。"),
    ("主权移交", "恢复行使主权", "warn", "", SECTION_TERRITORY + "香港、澳门回归不写作“主权移交”。"),
    (
        "收回主权",
        "恢复行使主权",
        "warn",
        "",
        SECTION_TERRITORY + "香港、澳门回归应表述为“中国政府对香港（澳门）恢复行使主权”；其他历史语境除外。",
    ),
    ("收回香港", "对香港恢复行使主权", "warn", "", SECTION_TERRITORY + "也可写“香港回归祖国”；引述原话除外。"),
    ("收回澳门", "对澳门恢复行使主权", "warn", "", SECTION_TERRITORY + "也可写“澳门回归祖国”；引述原话除外。"),
    ("香港政府", "香港特别行政区政府", "warn", "", BASIC_LAW + "1997年以前的港英政府除外。"),
    ("澳门政府", "澳门特别行政区政府", "warn", "", BASIC_LAW + "1999年以前的澳葡政府除外。"),
    ("港澳台游客来华", "港澳台游客来内地", "block", "", COME_TO_MAINLAND),
    ("港澳台同胞来华", "港澳台同胞来内地", "block", "", COME_TO_MAINLAND),
    ("港澳同胞来华", "港澳同胞来内地", "block", "", COME_TO_MAINLAND),
    ("香港同胞来华", "香港同胞来内地", "block", "", COME_TO_MAINLAND),
    ("澳门同胞来华", "澳门同胞来内地", "block", "", COME_TO_MAINLAND),
    ("台湾同胞来华", "台湾同胞来大陆", "block", "", COME_TO_MAINLAND),
    # 法律法规类: titles
    ("全国人大委员长", "全国人大常委会委员长", "block", "", SECTION_LAW),
    ("全国人大副委员长", "全国人大常委会副委员长", "block", "", SECTION_LAW),
    ("省人大主任", "省人大常委会主任", "block", "", SECTION_LAW),
    ("省人大副主任", "省人大常委会副主任", "block", "", SECTION_LAW),
    ("市人大主任", "市人大常委会主任", "block", "", SECTION_LAW + "市、县人大常委会同理。"),
    ("市人大副主任", "市人大常委会副主任", "block", "", SECTION_LAW + "市、县人大常委会同理。"),
    ("县人大主任", "县人大常委会主任", "block", "", SECTION_LAW + "市、县人大常委会同理。"),
    ("县人大副主任", "县人大常委会副主任", "block", "", SECTION_LAW + "市、县人大常委会同理。"),
    (
        "人大常委",
        "人大常委会委员",
        "block",
        # 人大常委员会 is a slip for 人大常委会 found in a published statute, not a title.
        "人大常委会 人大常委员会",
        SECTION_LAW + "各级人大常委会的委员不称“人大常委”。",
    ),
    ("检察院院长", "检察长", "block", "", SECTION_LAW + "各级检察院的“检察长”不写成“检察院院长”。"),
    # Warnings: Hong Kong's 审计署 is headed by a 审计署署长 (《香港特别行政区基本法》第四十八条).
    ("审计署署长", "审计长", "warn", "", SECTION_LAW + "香港特别行政区审计署署长除外。"),
    ("审计署副署长", "副审计长", "warn", "", SECTION_LAW + "香港特别行政区除外。"),
    ("省省委书记", "省委书记", "warn", "", SECTION_LAW + "不宜称“中共××省省委书记”。"),
    ("市市委书记", "市委书记", "warn", "", SECTION_LAW + "不宜称“××市市委书记”。"),
    ("县县委书记", "县委书记", "warn", "", SECTION_LAW + "同“××市市委书记”，县委同理。"),
    (
        "村长",
        "村主任",
        "warn",
        "村长期 村长远 村长效 村长足 村长久 村长年 村长辈 村长者 村长廊 村长江 村长沙 "
        "村长城 村长征 村长安 村长治 村长寿 村长大 村长途 村长度 村长桥 村长势 村长短",
        SECTION_LAW + "“村民委员会主任”简称“村主任”，不称“村长”。",
    ),
    (
        "村官",
        "村干部",
        "warn",
        "大学生村官 村官员 村官方 村官网 村官兵",
        SECTION_LAW + "大学生村干部可称“大学生村官”，其他村干部不称“村官”。",
    ),
    (
        "罪犯",
        "犯罪嫌疑人（法院宣判有罪前）",
        "warn",
        "",
        SECTION_LAW + "法院宣判有罪之前不使用“罪犯”；已判决的服刑人员可称罪犯。",
    ),
    # 时政和社会生活类
    ("隆重召开", "召开", "warn", "", SECTION_POLITICS + "除党中央、国务院召开的重要会议外，一般会议不用“隆重召开”。"),
    ("八荣八耻", "社会主义荣辱观", "warn", "", SECTION_POLITICS),
    ("前苏联", "苏联", "warn", "", SECTION_POLITICS),
    ("残废人", "残疾人", "block", "", SECTION_POLITICS + "不使用对残疾人的蔑称。"),
    ("弱智", "智力障碍者", "warn", "", SECTION_POLITICS + "不使用对残疾人的蔑称。"),
    ("瞎子", "盲人", "warn", "", SECTION_POLITICS + "不使用对残疾人的蔑称。"),
    ("聋子", "聋人", "warn", "", SECTION_POLITICS + "不使用对残疾人的蔑称。"),
    # 民族宗教类
    ("维族", "维吾尔族", "block", "", SECTION_ETHNIC + "不随意简称少数民族。"),
    ("蒙族", "蒙古族", "block", "", SECTION_ETHNIC + "不随意简称少数民族。"),
    ("鲜族", "朝鲜族", "warn", "", SECTION_ETHNIC + "不随意简称少数民族。"),
    ("回教", "伊斯兰教", "warn", "回教室 回教学 回教育 回教师 回教材 回教研", SECTION_ETHNIC),
    # 国际关系类
    ("北朝鲜", "朝鲜", "block", "北朝鲜卑", SECTION_INTERNATIONAL),
    ("穆斯林国家", "伊斯兰国家", "block", "", SECTION_INTERNATIONAL),
    ("穆斯林世界", "伊斯兰世界", "block", "", SECTION_INTERNATIONAL),
    ("世界贸易组织成员国", "世界贸易组织成员", "block", "", SECTION_INTERNATIONAL + "成员中有地区的国际组织称“成员”。"),
    ("世贸组织成员国", "世贸组织成员", "block", "", SECTION_INTERNATIONAL + "成员中有地区的国际组织称“成员”。"),
    ("亚太经合组织成员国", "亚太经合组织成员", "block", "", SECTION_INTERNATIONAL + "成员中有地区的国际组织称“成员”。"),
]

# 台湾等国 / 香港和其他国家: a region listed with states without 地区. The stem 国 covers 国 and 国家; 国际 and
# 国内 (香港等国际金融中心, 港澳台等国内外游客) are right.
REGIONS = ("台湾", "香港", "澳门", "港澳台")
CONNECTORS = ("等国", "和其他国", "及其他国")
WORDING += [
    (
        region + connector,
        f"{region}{connector}家和地区",
        "warn",
        f"{region}{connector}际 {region}{connector}内",
        NOT_A_STATE,
    )
    for region in REGIONS
    for connector in CONNECTORS
]


# Seeded switched off: laws and court documents use 罪犯 rightly for the convicted (监狱法 throughout);
# a county whose news office wants the warning switches it on.
SWITCHED_OFF = frozenset({"罪犯"})


def seed_rows():
    for term, suggestion, severity, whitelist, note in WORDING:
        yield {
            "term": term,
            "category": "wording",
            "severity": severity,
            "suggestion": suggestion,
            "whitelist": "\n".join(whitelist.split()),
            "note": note,
            "active": term not in SWITCHED_OFF,
        }


def seed(apps, schema_editor):
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    for row in seed_rows():
        LexiconEntry.objects.get_or_create(term=row.pop("term"), category=row.pop("category"), defaults=row)


def unseed(apps, schema_editor):
    """Delete the entries that are still as seeded; one an administrator edited (or an equal term entered
    before this migration with other values) stays."""
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    for row in seed_rows():
        LexiconEntry.objects.filter(**row).delete()


class Migration(migrations.Migration):
    dependencies = [("lexicon", "0003_leader_title")]

    operations = [migrations.RunPython(seed, unseed)]
