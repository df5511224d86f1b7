"""Create the three administrator groups of 等保 (系统管理员, 安全管理员, 审计管理员)."""

from django.db import migrations

from cms.security.roles import create_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0002_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        # These two give every admin group the choose permissions; running after them keeps the lists exact.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("organisation", "0001_initial"),
        ("workflows", "0002_default_workflow_and_sources"),
        ("lexicon", "0002_seed_entries"),
        ("site_pages", "0002_articlepage_co_issuing_units_and_more"),
        ("disclosure", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
