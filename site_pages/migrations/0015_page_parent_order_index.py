"""Two indexes on wagtailcore_page for a long column listing (site_pages.keyset, ListingMixin.long_listing).

site_pages_page_parent_order: a page's parent's path (the expression keyset.ParentPath writes), then the
publication time (keyset.IndexedDate: on PostgreSQL in UTC without its zone) and the id. A column of 100,000
articles walked the site's date index from its newest page, so every page of other sections published after the
column's newest was read and skipped; this index gives one parent's children alone, newest first, forwards and
backwards, and from a cursor.

site_pages_page_parents: the paths of the pages that have children (columns and other containers, a few thousand
where the content is hundreds of thousands), each of which gives the listing one page of its children.
"""

from django.db import migrations

PARENT_ORDER = "site_pages_page_parent_order"
PARENTS = "site_pages_page_parents"


def create_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    date = "(timezone('UTC', first_published_at))" if postgresql else "first_published_at"
    parent = "(substr(path, 1, length(path) - 4))"
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PARENT_ORDER} ON wagtailcore_page ({parent}, {date}, id)")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PARENTS} ON wagtailcore_page (path) WHERE numchild > 0")


def drop_indexes(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {PARENT_ORDER}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {PARENTS}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0014_page_published_order_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
