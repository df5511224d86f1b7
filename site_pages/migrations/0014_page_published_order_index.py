"""An index on wagtailcore_page in the order of the search's title matches: newest first, the page id breaking ties.

PostgreSQL only. Wagtail's index on first_published_at does not end with the id, so PostgreSQL read every page
sharing the 1,000th match's publication time and sorted them (incremental sort), and chose that over an index on
(first_published_at, id) whatever its statistics said; the search orders DESC NULLS LAST, which only this index
gives. SQLite's index on first_published_at ends with the rowid, the page id, and serves that order already.
"""

from django.db import migrations

INDEX = "site_pages_page_published_order"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (first_published_at DESC NULLS LAST, id DESC)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0013_page_url_path_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
