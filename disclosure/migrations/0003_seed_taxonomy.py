"""Seed the regulation's disclosure categories and the 22 主题分类 of the national policy libraries."""

from django.db import migrations

ALL_GOVERNMENT = ["supervisor", "department", "township", "subdistrict"]
COUNTY = ["supervisor", "department"]
TOWNSHIP = ["township", "subdistrict"]

PROACTIVE = [
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
]
COUNTY_LIST = ["市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"]
TOWNSHIP_LIST = [
    "贯彻落实农业农村政策的情况",
    "农田水利工程建设运营情况",
    "农村土地承包经营权流转情况",
    "宅基地使用情况审核",
    "土地征收",
    "房屋征收",
    "筹资筹劳情况",
    "社会救助",
]
TOPICS = [
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]


def seed(apps, schema_editor):
    Category = apps.get_model("disclosure", "DisclosureCategory")
    Topic = apps.get_model("disclosure", "TopicCategory")
    order = 0
    for category_list, names, kinds in (
        ("proactive", PROACTIVE, ALL_GOVERNMENT),
        ("county", COUNTY_LIST, COUNTY),
        ("township", TOWNSHIP_LIST, TOWNSHIP),
    ):
        for name in names:
            order += 10
            Category.objects.get_or_create(
                category_list=category_list,
                name=name,
                defaults={"required_unit_kinds": kinds, "sort_order": order},
            )
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"sort_order": position * 10})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_catalogue")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
