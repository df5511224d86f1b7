"""A GIN index on the search index entries' title and body together, for the ranked search (PostgreSQL only).

Wagtail's database search backend on PostgreSQL keeps the entries whose `title || body` matches the query.
PostgreSQL uses an index on an expression only for the same expression, and the GIN indexes Wagtail builds on
`title` and on `body` alone do not serve it: every search read every index entry, hundreds of megabytes on a portal
of 200,000 pages. With this index a search reads the entries that hold its words. SQLite's backend searches its own
FTS5 table: nothing to do there.
"""

from django.db import migrations

INDEX = "site_pages_indexentry_title_body"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0016_page_id_text_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
