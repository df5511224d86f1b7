"""The home page's fixed four sections become editable blocks (首页版块).

The data step turns the four column choices into blocks and gives a home page holding the demo
county's columns the sections a county portal is expected to have (乡镇动态, 部门动态, 政府信息公开,
政务服务, 互动交流). Pages are found by title and type so that no other app's models are imported.
"""

import json
import uuid

import wagtail.fields
from django.db import migrations

ONLINE_SERVICE_HALL = ("四川政务服务网", "https://www.sczwfw.gov.cn/")
REQUEST_FORM = ("依申请公开", "/yxsqgk/")


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def feed(column, page_type="", count=8):
    return block("column_feed", {"title": "", "column": column.pk, "page_type": page_type, "count": count})


def link(label, page=None, url=""):
    return {
        "type": "item",
        "value": {"label": label, "page": page.pk if page else None, "url": url},
        "id": str(uuid.uuid4()),
    }


def home_blocks(apps, home):
    Page = apps.get_model("wagtailcore", "Page")
    ColumnPage = apps.get_model("site_pages", "ColumnPage")
    columns = ColumnPage.objects.filter(path__startswith=home.path)

    def column(title):
        return columns.filter(title=title).order_by("path").first()

    body = []
    if home.news_column_id:
        body.append(block("news", {"title": "", "column": home.news_column_id, "count": 8, "pictures": 5}))
    for title in ("乡镇动态", "部门动态"):
        if found := column(title):
            body.append(feed(found))
    if home.notice_column_id:
        body.append(feed(home.notice_column))
    if home.policy_column_id:
        body.append(feed(home.policy_column, "policy"))
    if home.interpretation_column_id:
        body.append(feed(home.interpretation_column, "interpretation"))
    catalogue = Page.objects.filter(
        depth=home.depth + 1,
        path__startswith=home.path,
        content_type__app_label="disclosure",
        content_type__model="disclosurecatalogue",
    ).first()
    if catalogue:
        body.append(
            block(
                "entry",
                {
                    "title": catalogue.title,
                    "intro": "法定主动公开内容、政府信息公开指南、年度报告和依申请公开。",
                    "link": {"label": "进入政府信息公开", "page": catalogue.pk, "url": ""},
                    "links": [link(REQUEST_FORM[0], url=REQUEST_FORM[1])],
                },
            )
        )
    service = column("政务服务")
    links = [link(ONLINE_SERVICE_HALL[0], url=ONLINE_SERVICE_HALL[1]), link(REQUEST_FORM[0], url=REQUEST_FORM[1])]
    if service:
        links.insert(0, link("办事动态", page=service))
    body.append(block("shortcuts", {"title": "政务服务", "links": links}))
    if interaction := column("互动交流"):
        interviews = column("在线访谈")
        body.append(
            block(
                "entry",
                {
                    "title": interaction.title,
                    "intro": "在线访谈、意见征集，倾听群众呼声。",
                    "link": {"label": "进入互动交流", "page": interaction.pk, "url": ""},
                    "links": [link(interviews.title, page=interviews)] if interviews else [],
                },
            )
        )
    return body


def fill_home_body(apps, schema_editor):
    HomePage = apps.get_model("site_pages", "HomePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for home in HomePage.objects.all():
        raw = json.dumps(home_blocks(apps, home), ensure_ascii=False)
        HomePage.objects.filter(pk=home.pk).update(body=raw)
        # The editor opens the latest revision: without the blocks there, the next publish would drop them.
        revision = Revision.objects.filter(pk=home.latest_revision_id).first()
        if revision is not None:
            revision.content["body"] = raw
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0003_page_depth_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="homepage",
            name="body",
            field=wagtail.fields.StreamField(
                [("news", 4), ("column_feed", 6), ("entry", 15), ("shortcuts", 17)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "留空则使用栏目名称。", "label": "标题", "max_length": 40, "required": False},
                    ),
                    1: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"label": "栏目", "page_type": ["site_pages.ColumnPage"]},
                    ),
                    2: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 8, "label": "条数", "max_value": 20, "min_value": 1},
                    ),
                    3: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 5,
                            "help_text": "1 为头条图片，2 条以上为图片轮播，0 为不显示图片。",
                            "label": "图片条数",
                            "max_value": 5,
                            "min_value": 0,
                        },
                    ),
                    4: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 0), ("column", 1), ("count", 2), ("pictures", 3)]],
                        {},
                    ),
                    5: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("article", "动态"),
                                ("notice", "通知公告"),
                                ("policy", "政策文件"),
                                ("interpretation", "政策解读"),
                            ],
                            "help_text": "留空则列出栏目中的全部信息。",
                            "label": "信息类型",
                            "required": False,
                        },
                    ),
                    6: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 0), ("column", 1), ("page_type", 5), ("count", 2)]],
                        {},
                    ),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 40}),
                    8: ("wagtail.blocks.TextBlock", (), {"label": "简介", "max_length": 200, "required": False}),
                    9: ("wagtail.blocks.CharBlock", (), {"label": "名称", "max_length": 40}),
                    10: ("wagtail.blocks.PageChooserBlock", (), {"label": "站内页面", "required": False}),
                    11: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "不选站内页面时填写，例如 /yxsqgk/ 或 https:// 开头的地址。",
                            "label": "链接地址",
                            "max_length": 300,
                            "required": False,
                        },
                    ),
                    12: ("wagtail.blocks.StructBlock", [[("label", 9), ("page", 10), ("url", 11)]], {"label": "入口"}),
                    13: ("wagtail.blocks.StructBlock", [[("label", 9), ("page", 10), ("url", 11)]], {}),
                    14: ("wagtail.blocks.ListBlock", (13,), {"default": [], "label": "常用链接"}),
                    15: ("wagtail.blocks.StructBlock", [[("title", 7), ("intro", 8), ("link", 12), ("links", 14)]], {}),
                    16: ("wagtail.blocks.ListBlock", (13,), {"label": "快捷链接", "max_num": 12, "min_num": 1}),
                    17: ("wagtail.blocks.StructBlock", [[("title", 7), ("links", 16)]], {}),
                },
                verbose_name="首页版块",
            ),
        ),
        migrations.RunPython(fill_home_body, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="homepage",
            name="interpretation_column",
        ),
        migrations.RemoveField(
            model_name="homepage",
            name="news_column",
        ),
        migrations.RemoveField(
            model_name="homepage",
            name="notice_column",
        ),
        migrations.RemoveField(
            model_name="homepage",
            name="policy_column",
        ),
    ]
