"""The tree's root reads 根目录, and Wagtail's default Editors and Moderators groups go when nobody is in them.

Wagtail's own migrations create both groups with rights on the whole tree (Moderators even publish); this
project gives rights per unit (单位编辑组) and the 三员 groups, so an unused default group is only an
English name in 设置 › 组 and a grant nobody should hold. A group someone was put in stays.
"""

from django.db import migrations

ROOT_TITLE = "根目录"
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        # Every Wagtail migration that grants the default groups something runs first.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
