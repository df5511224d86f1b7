"""An index on wagtailcore_page.url_path: the public site routes a URL by its url_path (site_pages.routing).

A hash index on PostgreSQL (equality is all routing needs, and a btree row cannot hold an arbitrarily long text),
a plain index elsewhere.
"""

from django.db import migrations

INDEX = "site_pages_page_url_path"


def create_index(apps, schema_editor):
    method = " USING hash" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page{method} (url_path)")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0012_letter_reminders"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
