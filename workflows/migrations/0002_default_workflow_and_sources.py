"""The default 三审三校 workflow on every page, and the seed authoritative-source list."""

from django.db import migrations

DEFAULT_WORKFLOW = "三审三校"
STAGES = [
    ("一审", "review_1", "info_officer"),
    ("二审", "review_2", "deputy_head"),
    ("三审（签发）", "review_3", "head"),
    ("一校", "proof_1", "typesetter"),
    ("二校", "proof_2", "section_chief"),
    ("三校", "proof_3", "deputy_head"),
]

SOURCES = [
    ("中国政府网", "gov.cn", "national"),
    ("国务院新闻办公室", "scio.gov.cn", "national"),
    ("中国共产党新闻网", "cpcnews.cn", "central_media"),
    ("共产党员网", "12371.cn", "central_media"),
    ("人民网", "people.com.cn", "central_media"),
    ("人民日报", "paper.people.com.cn", "central_media"),
    ("新华网", "xinhuanet.com", "central_media"),
    ("新华社", "news.cn", "central_media"),
    ("求是网", "qstheme.cn", "central_media"),
    ("光明网", "gmw.cn", "central_media"),
    ("央视网", "cctv.com", "central_media"),
    ("中国新闻网", "chinanews.com.cn", "central_media"),
    ("中国日报网", "chinadaily.com.cn", "central_media"),
    ("经济日报", "ce.cn", "central_media"),
    ("四川省人民政府", "sc.gov.cn", "provincial"),
    ("四川日报", "scdaily.cn", "provincial_media"),
    ("四川在线", "scol.com.cn", "provincial_media"),
    ("资阳市人民政府", "ziyang.gov.cn", "municipal"),
    ("资阳日报", "", "municipal"),
    ("安岳县人民政府", "scanyue.gov.cn", "county"),
]


def content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="workflows", model=model)[0]


def create(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    AutomatedCheckTask = apps.get_model("workflows", "AutomatedCheckTask")
    UnitRoleTask = apps.get_model("workflows", "UnitRoleTask")
    AuthoritativeSource = apps.get_model("workflows", "AuthoritativeSource")

    for name, domain, level in SOURCES:
        AuthoritativeSource.objects.get_or_create(name=name, defaults={"domain": domain, "level": level})

    if Workflow.objects.filter(name=DEFAULT_WORKFLOW).exists():
        return
    workflow = Workflow.objects.create(name=DEFAULT_WORKFLOW, active=True)
    tasks = [AutomatedCheckTask.objects.create(name="自动检查", content_type=content_type(apps, "automatedchecktask"))]
    unit_role_type = content_type(apps, "unitroletask")
    for name, stage, role in STAGES:
        task, _created = UnitRoleTask.objects.get_or_create(
            name=name, defaults={"stage": stage, "role": role, "unit_source": "owning", "content_type": unit_role_type}
        )
        tasks.append(task)
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
