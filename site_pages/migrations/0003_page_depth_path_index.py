"""An index on wagtailcore_page (depth, path) for the county's large page tree.

Treebeard finds a page's children with `depth = n AND path BETWEEN …`; with Wagtail's indexes alone
that scans every descendant (all 100,000 catalogue items below a section, for its menu of a dozen unit
catalogues, and for routing to one item). With this index it reads only the children.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0002_articlepage_co_issuing_units_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS site_pages_page_depth_path ON wagtailcore_page (depth, path)",
            "DROP INDEX IF EXISTS site_pages_page_depth_path",
        )
    ]
