"""Public disclosure catalogue with 1,000 vs 100,000 items: a filtered listing and an item page.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_catalogue.py [--large N]

DATABASE_URL=postgres://... runs it on PostgreSQL. Everything happens in a throw-away test database
(destroyed at the end); nothing is asserted, the figures are printed. Items are inserted in bulk:
base page rows with one bulk_create per batch (treebeard paths computed, not looked up), the
DisclosureItem rows with one multi-row INSERT per batch, the 索引号 counters as one row per unit
and year. The search and reference indexes are not filled: the catalogue uses neither.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.benchmarks.run_benchmarks import (  # noqa: E402
    database_description,
    get,
    heading,
    load_average,
    print_table,
)

# The catalogue grows by years: the first items are this year's, the other 99,000 spread over the ten
# years before it, so a filter on this year matches as many items at both sizes (as it does on a real site).
RECENT_YEARS = (2026,)
EARLIER_YEARS = tuple(range(2016, 2026))
BATCH = 2000
RUNS = 30


def build_tree():
    from cms.organisation.models import Unit
    from disclosure.models import DisclosureCatalogue, ProactiveDisclosurePage, UnitCataloguePage
    from tests.factories import UnitFactory, make_home

    home = make_home()
    owner = UnitFactory(name="基准县政府办", short_name="县政府办", kind="supervisor")
    catalogue = DisclosureCatalogue(title="政府信息公开", slug="zfxxgk", owning_unit=owner, show_in_menus=True)
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    proactive = ProactiveDisclosurePage(title="法定主动公开内容", slug="fdzdgknr")
    catalogue.add_child(instance=proactive)
    proactive.save_revision().publish()
    parents = []
    for n in range(10):
        unit = owner if n == 0 else UnitFactory(name=f"基准{n}镇人民政府", short_name=f"基准{n}镇")
        page = UnitCataloguePage(title=unit.name, slug=f"unit-{n}", owning_unit=unit)
        proactive.add_child(instance=page)
        page.save_revision().publish()
        parents.append(page)
    return proactive, parents, Unit


def live_child(parent, position, slug, title, published_at):
    """The base page fields of a live page at `position` among the parent's children (treebeard path computed)."""
    from wagtail.models import Page

    return {
        "title": title,
        "draft_title": title,
        "slug": slug,
        "path": Page._get_path(parent.path, parent.depth + 1, position),
        "depth": parent.depth + 1,
        "numchild": 0,
        "url_path": f"{parent.url_path}{slug}/",
        "locale_id": parent.locale_id,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": published_at,
        "last_published_at": published_at,
        "owning_unit_id": parent.owning_unit_id,
    }


def insert_pages(model, pages):
    """One INSERT of the base page rows and one of the `model` rows (whose paths the caller computed)."""
    from wagtail.models import Page

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        bases = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
        )
        for page, base in zip(pages, bases, strict=True):
            page.id = page.page_ptr_id = base.pk
        model._base_manager._insert(pages, fields=model._meta.local_concrete_fields, using=connection.alias)


def bulk_items(parents, start, count, years):
    """Items number start+1 .. start+count, spread round-robin over units, categories and years."""
    from wagtail.models import Page

    from disclosure.models import DisclosureCategory, DisclosureItem, IndexNumberCounter
    from tests.factories import paragraph

    categories = list(DisclosureCategory.objects.values_list("pk", flat=True))
    now = timezone.now()
    body = paragraph("批量生成的测试信息正文。")
    serials = {}
    for batch_start in range(start, start + count, BATCH):
        items = []
        for i in range(batch_start + 1, min(batch_start + BATCH, start + count) + 1):
            parent = parents[i % len(parents)]
            position = (i - 1) // len(parents) + 1  # this item's place among its parent's children
            year = years[i % len(years)]
            published = datetime.date(year, 1 + i % 12, 1 + i % 28)
            key = (parent.owning_unit_id, year)
            serials[key] = serials.get(key, 0) + 1
            items.append(
                DisclosureItem(
                    **live_child(parent, position, f"item-{i:06d}", f"基准测试公开信息第{i}条", now),
                    index_number=f"{parent.owning_unit_id:018d}/{year}-{i:06d}",
                    summary=f"第{i}条内容概述",
                    written_date=published - datetime.timedelta(days=5),
                    published_date=published,
                    category_id=categories[i % len(categories)],
                    body=body,
                )
            )
        insert_pages(DisclosureItem, items)
    for parent in parents:
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())
        parent.refresh_from_db()
    for (unit_id, year), n in serials.items():
        counter, _created = IndexNumberCounter.objects.get_or_create(unit_id=unit_id, year=year)
        IndexNumberCounter.objects.filter(pk=counter.pk).update(last_serial=counter.last_serial + n)
    # A catalogue always has some withheld items, whose view restrictions every listing excludes.
    from wagtail.models import PageViewRestriction

    if not PageViewRestriction.objects.exists():
        PageViewRestriction.objects.create(page=parents[0].get_children().first(), restriction_type="login")
    # Planner statistics, as a deployment keeps them (PostgreSQL's autovacuum; SQLite's PRAGMA optimize,
    # which the settings run on every new connection): without them SQLite routes by the depth index and
    # scans every item to find one slug.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url, data=None):
    get(client, url, data)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        get(client, url, data)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = get(client, url, data)
    return statistics.median(times), len(ctx.captured_queries), response


def figures(client, proactive, parents, size):
    from disclosure.models import DisclosureItem

    # A combination that exists at both sizes: that of the first item of one unit.
    sample = DisclosureItem.objects.filter(owning_unit=parents[3].owning_unit).order_by("pk").first()
    data = {"category": sample.category_id, "year": sample.published_date.year, "unit": sample.owning_unit_id}
    listing_ms, listing_queries, response = measure(client, proactive.url, data)
    shown = response.context["listing"].paginator.count
    item = DisclosureItem.objects.filter(owning_unit=sample.owning_unit).order_by("-pk").first()
    item_ms, item_queries, _response = measure(client, item.url)
    return [
        [
            f"{size:,}",
            "filtered listing (category+year+unit)",
            f"{shown} matches",
            f"{listing_ms:.1f}",
            str(listing_queries),
        ],
        [f"{size:,}", "item detail page", item.url_path.rsplit("/", 2)[-2], f"{item_ms:.1f}", str(item_queries)],
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()

    with bench_db.benchmark_database("bench_catalogue") as database:
        print(f"{database_description()}, test database {database.name!r}, load average {load_average()}")
        client = Client()
        proactive, parents, _unit = build_tree()
        rows = []
        started = time.perf_counter()
        bulk_items(parents, 0, args.small, RECENT_YEARS)
        print(f"inserted {args.small:,} items in {time.perf_counter() - started:.1f}s")
        rows += figures(client, proactive, parents, args.small)
        started = time.perf_counter()
        bulk_items(parents, args.small, args.large - args.small, EARLIER_YEARS)
        print(f"inserted {args.large - args.small:,} more items in {time.perf_counter() - started:.1f}s")
        rows += figures(client, proactive, parents, args.large)
        heading(f"Public catalogue, median of {RUNS} warm requests ({connection.vendor})")
        print_table(["items", "page", "result", "median ms", "queries"], rows, [">", "<", "<", ">", ">"])
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


if __name__ == "__main__":
    main()
