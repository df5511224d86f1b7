"""An index on wagtailcore_page by its id as text, for the search's join with its index entries (PostgreSQL only).

Wagtail's database search backend (modelsearch's TextIDGenericRelation) joins a page to its index entry on
CAST(page.id AS varchar(50)) = entry.object_id: with no index on that expression PostgreSQL read every page of
the site to find the few the entries matched (a hash join over the whole page table). With it, each matching entry
finds its page by this index. The expression is the backend's own, as PostgreSQL matches an index on an expression
only to the same expression. SQLite's backend (FTS5) takes the pages whose id is among the matched entries' (id IN a
subquery), which the primary key serves: nothing to do there.
"""

from django.db import migrations

INDEX = "site_pages_page_id_text"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (((id)::varchar(50)))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0015_page_parent_order_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
