"""Context rules on lexicon entries, and the rules and variants the starting lexicon needs.

Measured on the full text of Chinese laws and regulations, the starting advertising terms warned on
almost a third of documents: 最 in 最高/最低/最长 + a limit, 第一 in 第一审/第一类, 永久保存,
唯一受益人, 专供出口. Context rules replace ever-longer whitelists for these. The advertising
variants NO.1, TOP1 and 第1名/第1品牌 are added.
"""

from django.db import migrations, models

# Government and legal text uses these advertising words as ordinals, quantities and levels (第一审,
# 最高时速, 国家级园区); an advertisement uses them as claims (销量第一, 最低价, 国家级品质). The rules
# keep the claims and drop the rest.
QUANTITY = "高|低|大|小|长|短|多|少|迟|早|晚|近|远|快|慢|重|轻|新|终|后|初|先|末|左|右|前|内|外|上|下"
CLAIMS = "产品|品质|品牌|质量|工艺|配方|享受|体验|荣誉|认证|水准"
REGIONS = "全国|全省|全市|全县|全区|全球|世界|国内|行业|业内|同行|销量|排名|网络|全网"
RULES = {
    ("最", "advertising"): [
        "后：低价|高级|低折扣|优惠|划算|便宜 => 提示",
        f"后：{QUANTITY} => 忽略",
    ],
    ("第一", "advertising"): [
        "后：审|类|顺序|批|书记|条|款|项|目|章|节|编|次|届|期|任|季度 => 忽略",
        "前：安全|质量|抢救|服务|健康|生命|人民|群众|民生|预防|保护|发展|就业|教育|顾客|客户 => 忽略",
        "后：、|至|到|和|或|及|与 + <数字>|第 => 忽略",
        "后：品牌|名|家|大|位|流|选择 => 提示",
        f"前：{REGIONS}|是|称 => 提示",
        "后：<汉字> => 忽略",
    ],
    ("第1", "advertising"): ["后：品牌|名 => 提示", "其他 => 忽略"],
    ("NO.1", "advertising"): ["后：<数字> => 忽略"],
    ("TOP1", "advertising"): ["后：<数字> => 忽略"],
    ("国家级", "advertising"): [f"后：{CLAIMS} => 提示", "其他 => 忽略"],
    ("世界级", "advertising"): [f"后：{CLAIMS} => 提示", "其他 => 忽略"],
    ("永久", "advertising"): ["后：免费|保修|有效|保值|包换|包退|不褪色|质保 => 提示", "其他 => 忽略"],
    ("唯一", "advertising"): [
        f"前：{REGIONS} => 提示",
        "后：指定|正品|品牌|认证|授权|官方|选择|正宗 => 提示",
        "其他 => 忽略",
    ],
    ("专供", "advertising"): ["前：国宴|政府|部队|军队|军供|人民大会堂|中南海|机关|领导 => 提示", "其他 => 忽略"],
    ("100%", "advertising"): [
        "前：效果|疗效|有效|治愈|根治|纯度|正品 => 提示",
        "后：有效|纯|天然|安全|无|正品|满意|保证|治愈|成功|通过|好评|放心|保障|根治 => 提示",
        "其他 => 忽略",
    ],
    ("顶尖", "advertising"): ["后：人才|高校|大学|科研|团队|专家|学者|学科|机构|企业|院所 => 忽略"],
    ("首选", "advertising"): ["后：基层|公共 => 忽略"],
    ("代开发票", "sensitive"): ["前：委托其他单位|委托|税务机关|税务局|税务部门|申请|负责 => 忽略"],
}
WHITELIST = {
    ("第一", "advertising"): ["第（一）", "第(一)"],
    ("最", "advertising"): ["最有利于", "最惠国", "最密切联系", "最小干预", "最佳利益"],
    ("最佳", "advertising"): ["最佳利益"],
    ("绝对", "advertising"): ["绝对控股", "绝对额", "绝对安全"],
}
NEW_ENTRIES = ["第1", "NO.1", "TOP1"]
NOTE = "《中华人民共和国广告法》第九条禁止使用的绝对化用语。"


def seed(apps, schema_editor):
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    for term in NEW_ENTRIES:
        LexiconEntry.objects.get_or_create(
            term=term, category="advertising", defaults={"severity": "warn", "note": NOTE}
        )
    for (term, category), rules in RULES.items():
        LexiconEntry.objects.filter(term=term, category=category, context_rules="").update(
            context_rules="\n".join(rules)
        )
    for (term, category), phrases in WHITELIST.items():
        for entry in LexiconEntry.objects.filter(term=term, category=category):
            listed = entry.whitelist.splitlines()
            entry.whitelist = "\n".join(listed + [p for p in phrases if p not in listed])
            entry.save(update_fields=["whitelist"])


def unseed(apps, schema_editor):
    LexiconEntry = apps.get_model("lexicon", "LexiconEntry")
    LexiconEntry.objects.filter(term__in=NEW_ENTRIES, category="advertising").delete()


class Migration(migrations.Migration):
    dependencies = [("lexicon", "0004_seed_standard_wording")]

    operations = [
        migrations.AddField(
            model_name="lexiconentry",
            name="context_rules",
            field=models.TextField(
                blank=True,
                help_text=(
                    "每行一条，按顺序判断，第一条符合的规则决定处理方式。格式：“后：高|低|长 + <数字>|不超过 => 忽略”"
                    "（词条后紧接这些词时忽略）、“前：禁止|严禁 => 提示”（词条前紧接这些词时改为提示）、“其他 => 忽略”（其余情况）。"
                    "“|”分隔可选词，“+”连接先后出现的词，<数字> 表示任意数字，<汉字> 表示任意一个汉字；"
            "处理方式为忽略、提示或阻止。"
                ),
                verbose_name="上下文规则",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
