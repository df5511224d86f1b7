"""New pages start with a paragraph; stored rich text the page editor cannot open is repaired.

Rich text written by imports, migrations or the ORM before BodyBlock cleaned it on save can hold markup
(unmatched tags, noscript, svg, inputs) that makes the page editor answer 500. Pages and every revision
of them are cleaned to the editor's feature set, as BodyBlock now does on every save.
"""

import wagtail.fields
from django.db import migrations

from site_pages.sanitize import repair_stored_rich_text

CONTENT_MODELS = ("articlepage", "noticepage", "policydocumentpage", "interpretationpage")


def repair_rich_text(apps, schema_editor):
    repair_stored_rich_text(apps, "site_pages", CONTENT_MODELS, stream_fields=("body",))


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0005_search_query_stat"),
    ]

    operations = [
        migrations.RunPython(repair_rich_text, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="articlepage",
            name="body",
            field=wagtail.fields.StreamField(
                [("paragraph", 0), ("image", 4), ("table", 5), ("attachment", 8), ("video", 12)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
                            "label": "正文段落",
                        },
                    ),
                    1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "供读屏软件朗读的图片说明，必填。", "label": "替代文字", "max_length": 200},
                    ),
                    3: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    4: ("wagtail.blocks.StructBlock", [[("image", 1), ("alt", 2), ("caption", 3)]], {}),
                    5: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"label": "表格", "table_options": {"renderer": "text", "startCols": 3, "startRows": 3}},
                    ),
                    6: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "附件"}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "附件名称", "max_length": 200, "required": False}),
                    8: ("wagtail.blocks.StructBlock", [[("document", 6), ("title", 7)]], {}),
                    9: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"help_text": "上传 MP4 或 WebM 文件。", "label": "视频文件"},
                    ),
                    10: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "封面图", "required": False}),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "视频说明", "max_length": 200}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 9), ("poster", 10), ("caption", 11)]], {}),
                },
                default=[("paragraph", "")],
                verbose_name="正文",
            ),
        ),
        migrations.AlterField(
            model_name="interpretationpage",
            name="body",
            field=wagtail.fields.StreamField(
                [("paragraph", 0), ("image", 4), ("table", 5), ("attachment", 8), ("video", 12)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
                            "label": "正文段落",
                        },
                    ),
                    1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "供读屏软件朗读的图片说明，必填。", "label": "替代文字", "max_length": 200},
                    ),
                    3: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    4: ("wagtail.blocks.StructBlock", [[("image", 1), ("alt", 2), ("caption", 3)]], {}),
                    5: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"label": "表格", "table_options": {"renderer": "text", "startCols": 3, "startRows": 3}},
                    ),
                    6: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "附件"}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "附件名称", "max_length": 200, "required": False}),
                    8: ("wagtail.blocks.StructBlock", [[("document", 6), ("title", 7)]], {}),
                    9: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"help_text": "上传 MP4 或 WebM 文件。", "label": "视频文件"},
                    ),
                    10: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "封面图", "required": False}),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "视频说明", "max_length": 200}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 9), ("poster", 10), ("caption", 11)]], {}),
                },
                default=[("paragraph", "")],
                verbose_name="正文",
            ),
        ),
        migrations.AlterField(
            model_name="noticepage",
            name="body",
            field=wagtail.fields.StreamField(
                [("paragraph", 0), ("image", 4), ("table", 5), ("attachment", 8), ("video", 12)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
                            "label": "正文段落",
                        },
                    ),
                    1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "供读屏软件朗读的图片说明，必填。", "label": "替代文字", "max_length": 200},
                    ),
                    3: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    4: ("wagtail.blocks.StructBlock", [[("image", 1), ("alt", 2), ("caption", 3)]], {}),
                    5: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"label": "表格", "table_options": {"renderer": "text", "startCols": 3, "startRows": 3}},
                    ),
                    6: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "附件"}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "附件名称", "max_length": 200, "required": False}),
                    8: ("wagtail.blocks.StructBlock", [[("document", 6), ("title", 7)]], {}),
                    9: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"help_text": "上传 MP4 或 WebM 文件。", "label": "视频文件"},
                    ),
                    10: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "封面图", "required": False}),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "视频说明", "max_length": 200}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 9), ("poster", 10), ("caption", 11)]], {}),
                },
                default=[("paragraph", "")],
                verbose_name="正文",
            ),
        ),
        migrations.AlterField(
            model_name="policydocumentpage",
            name="body",
            field=wagtail.fields.StreamField(
                [("paragraph", 0), ("image", 4), ("table", 5), ("attachment", 8), ("video", 12)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
                            "label": "正文段落",
                        },
                    ),
                    1: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "供读屏软件朗读的图片说明，必填。", "label": "替代文字", "max_length": 200},
                    ),
                    3: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    4: ("wagtail.blocks.StructBlock", [[("image", 1), ("alt", 2), ("caption", 3)]], {}),
                    5: (
                        "wagtail.contrib.table_block.blocks.TableBlock",
                        (),
                        {"label": "表格", "table_options": {"renderer": "text", "startCols": 3, "startRows": 3}},
                    ),
                    6: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "附件"}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "附件名称", "max_length": 200, "required": False}),
                    8: ("wagtail.blocks.StructBlock", [[("document", 6), ("title", 7)]], {}),
                    9: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"help_text": "上传 MP4 或 WebM 文件。", "label": "视频文件"},
                    ),
                    10: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "封面图", "required": False}),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "视频说明", "max_length": 200}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 9), ("poster", 10), ("caption", 11)]], {}),
                },
                default=[("paragraph", "")],
                verbose_name="正文",
            ),
        ),
    ]
