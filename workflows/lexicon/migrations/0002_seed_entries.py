"""Starting lexicon: 《广告法》第九条 absolute terms, common 规范表述 errors, a demonstration sensitive list.

The whitelists carry the ordinary government-text words that contain a term (第一条, 最低生活保障,
消除绝对贫困 ...) so that official prose does not trip the scanner.
"""

from django.db import migrations

GOVERNMENT_FIRSTS = (
    "第一章 第一节 第一条 第一款 第一项 第一目 第一部分 第一编 第一百 第一千 第一季度 第一次 第一批 第一轮 第一届 "
    "第一期 第一阶段 第一年 第一天 第一个 第一位 第一线 第一书记 第一责任人 第一责任 第一产业 第一时间 第一要务 "
    "第一生产力 第一动力 第一资源 第一议题 第一课 第一中学 第一小学 第一初级中学 第一人民医院 第一副 第一道"
)
GOVERNMENT_SUPERLATIVES = (
    "最后 最新 最终 最近 最初 最早 最晚 最迟 最先 最末 最少 最长不超过 最多不超过 最高不超过 最低生活保障 "
    "最低工资 最高人民法院 最高人民检察院 最高法 最高检 最高限额 最高级别 最多跑一次 最大限度 最大程度 最大化 "
    "最严格 最严密 最严厉 最广泛 最根本 最重要 最基本 最直接 最现实 最紧迫 最关心 最关键 最美 最快"
)
NATIONAL_LEVEL = (
    "国家级非物质文化遗产 国家级非遗 国家级自然保护区 国家级风景名胜区 国家级森林公园 国家级湿地公园 国家级地质公园 "
    "国家级经济技术开发区 国家级高新技术产业开发区 国家级新区 国家级开发区 国家级园区 国家级示范 国家级重点 "
    "国家级贫困县 国家级现代农业产业园 国家级代表性传承人 国家级传承人 国家级生态 国家级公益林 国家级水产种质资源保护区"
)

ADVERTISING = [
    ("国家级", NATIONAL_LEVEL),
    ("世界级", "世界级先进制造业集群 世界级城市群 世界级旅游景区"),
    ("最高级", "最高级别"),
    ("最佳", ""),
    ("最", GOVERNMENT_SUPERLATIVES),
    ("第一", GOVERNMENT_FIRSTS),
    ("唯一", "唯一标识 唯一性"),
    ("首个", "首个工作日"),
    ("首选", ""),
    ("首家", ""),
    ("顶级", "顶级域名"),
    ("顶尖", ""),
    ("极品", ""),
    ("极致", ""),
    ("绝对", "绝对贫困 绝对领导 绝对忠诚 绝对化 绝对值"),
    ("100%", "达100% 达到100% 为100% 率100%"),
    ("万能", ""),
    ("特供", ""),
    ("专供", ""),
    ("独家", ""),
    ("独一无二", ""),
    ("绝无仅有", ""),
    ("史无前例", ""),
    ("遥遥领先", ""),
    ("全网第一", ""),
    ("销量第一", ""),
    ("国家免检", ""),
    ("永久", "永久基本农田 永久性 永久居留"),
    ("王牌", ""),
    ("巅峰", ""),
    ("无敌", ""),
    ("秒杀", ""),
]

# (wrong form, right form, whitelist)
WORDING = [
    ("党中央国务院", "党中央、国务院", ""),
    ("十八大以来", "党的十八大以来", ""),
    ("两学一作", "两学一做", ""),
    ("一带一路战略", "“一带一路”倡议", ""),
    ("十四五规划", "“十四五”规划", ""),
    ("三个代表重要思想", "“三个代表”重要思想", ""),
    ("新冠肺炎", "新冠病毒感染", ""),
    ("建国以来", "新中国成立以来", ""),
    ("县政府办公厅", "县政府办公室", ""),
    ("国务院办公室", "国务院办公厅", ""),
    ("台湾政府", "台湾当局", ""),
    ("台湾总统", "台湾地区领导人", ""),
    ("中港台", "内地与港澳台", ""),
    ("大陆和香港", "内地和香港", ""),
    ("香港回归中国", "香港回归祖国", ""),
    ("北韩", "朝鲜", ""),
    ("南韩", "韩国", ""),
    ("法人代表", "法定代表人", ""),
    ("截止目前", "截至目前", ""),
    ("不忘出心", "不忘初心", ""),
    ("牢记使名", "牢记使命", ""),
    ("再接再励", "再接再厉", ""),
    ("一如继往", "一如既往", ""),
    ("迫不急待", "迫不及待", ""),
    ("直接了当", "直截了当", ""),
]

DEMO_NOTE = "演示词条：各县（区）须按上级网信、保密部门下发的词表导入本地敏感词库。"
SENSITIVE = [
    ("翻墙软件", ""),
    ("代开发票", "税务机关代开发票 申请代开发票"),
    ("办证刻章", ""),
    ("赌博网站", ""),
    ("出售枪支", ""),
    ("代办假证", ""),
]


def seed_rows():
    for term, whitelist in ADVERTISING:
        yield {
            "term": term,
            "category": "advertising",
            "severity": "warn",
            "whitelist": "\n".join(whitelist.split()),
            "note": "《中华人民共和国广告法》第九条禁止使用的绝对化用语。",
        }
    for term, suggestion, whitelist in WORDING:
        yield {
            "term": term,
            "category": "wording",
            "severity": "warn",
            "suggestion": suggestion,
            "whitelist": "\n".join(whitelist.split()),
        }
    for term, whitelist in SENSITIVE:
        yield {
            "term": term,
            "category": "sensitive",
            "severity": "block",
            "whitelist": "\n".join(whitelist.split()),
            "note": DEMO_NOTE,
        }


def seed(apps, schema_editor):
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    for row in seed_rows():
        LexiconEntry.objects.get_or_create(term=row.pop("term"), category=row.pop("category"), defaults=row)


def unseed(apps, schema_editor):
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    for row in seed_rows():
        LexiconEntry.objects.filter(term=row["term"], category=row["category"]).delete()


class Migration(migrations.Migration):
    dependencies = [("lexicon", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
