"""Every public listing at 1,000 and at 100,000 entries, first and last page (issue 17 §2).

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_listings.py [--large N]
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 ... (the same on PostgreSQL)

Builds, in a throw-away test database destroyed at the end (bench_db.py), a catalogue of N 公开信息 items
(bench_catalogue's bulk insert: treebeard paths computed, one INSERT per batch) and a news column of N articles,
then prints for each listing the median time and the query count of its first page and of its last page (reached
by the link the page itself offers), and the median time of its second page by the first page's 下一页 link (a
cursor on the keyset listings): the catalogue unfiltered and filtered, a unit's catalogue, the column
listing (and on the same site a column of 50 articles, and a column with 99 sub-columns holding a hundredth as
many articles as the news column over the same years), the site search and the catalogue's index page /zfxxgk/.
Nothing is asserted; the target is the 100k time within 1.5x of the 1k time. --plans prints the database's plans
(SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN ANALYZE) of the unfiltered listings' queries. The search uses
a one-character query, matched in titles: the benchmark does not fill the search index (bench_search.py measures
the ranked search, capped at search.MAX_RESULTS whatever the size of the site).
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.benchmarks.bench_catalogue import (  # noqa: E402
    BATCH,
    EARLIER_YEARS,
    RECENT_YEARS,
    build_tree,
    bulk_items,
    insert_pages,
    live_child,
)
from tests.benchmarks.run_benchmarks import database_description, heading, load_average, print_table  # noqa: E402

SMALL_COLUMN = 50
# As many sub-columns as a long listing reads one by one (columns.MAX_LISTED_PARENTS, the column itself the
# hundredth). It holds a hundredth as many articles as the news column, spread over the same years.
WIDE_COLUMNS = 99
WIDE_SHARE = 100
PLANNED = ("catalogue, unfiltered", "column listing", f"small column ({SMALL_COLUMN} articles)")


def bulk_articles(columns, start, count, hours_back=0, hours_apart=1):
    """Articles number start+1 .. start+count, round-robin over `columns` (a column or a list), one every
    `hours_apart` hours backwards from `hours_back` hours ago (seven at a time share their time: ties for the pk to
    break)."""
    from wagtail.models import Page

    from site_pages.models import ArticlePage
    from tests.factories import paragraph

    columns = columns if isinstance(columns, list) else [columns]
    now = timezone.now()
    body = paragraph("批量生成的测试动态正文。")
    for batch_start in range(start, start + count, BATCH):
        articles = []
        for i in range(batch_start + 1, min(batch_start + BATCH, start + count) + 1):
            column, position = columns[(i - 1) % len(columns)], (i - 1) // len(columns) + 1
            # The later a batch, the older its articles: the 1k column's newest stay newest at 100k.
            published = now - datetime.timedelta(hours=hours_back + (i - i % 7) * hours_apart)
            articles.append(
                ArticlePage(
                    **live_child(column, position, f"article-{i:06d}", f"基准测试动态第{i}条", published),
                    summary="",
                    body=body,
                )
            )
        insert_pages(ArticlePage, articles)
    total = start + count
    for n, column in enumerate(columns):
        Page.objects.filter(pk=column.pk).update(numchild=total // len(columns) + (n < total % len(columns)))
        column.refresh_from_db()
    bench_db.settle()


def timed(client, url, data, runs):
    client.get(url, data)  # warm-up, fills the caches a deployment keeps warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, data)
        times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, (url, data, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, data)
    return statistics.median(times), len(ctx.captured_queries), response


def page_link(response, rel):
    """The query string of the page's own link with `rel` (last, next), as a visitor would follow it, or None."""
    import re

    found = re.search(rf'<a href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def last_page_link(response, name):
    """The query string of the listing's own last-page link (rel="last"), or its last page by number."""
    from django.utils.http import urlencode

    return page_link(response, "last") or urlencode({"page": response.context[name].paginator.num_pages})


def listings(proactive, parents, column, small_column, wide_column):
    from disclosure.models import DisclosureCatalogue, DisclosureItem

    sample = DisclosureItem.objects.filter(owning_unit=parents[3].owning_unit).order_by("pk").first()
    catalogue = DisclosureCatalogue.objects.get()
    return [
        ("catalogue, unfiltered", proactive.url, {}, "listing"),
        ("catalogue, category+year", proactive.url, {"category": sample.category_id, "year": 2026}, "listing"),
        (
            "catalogue, category+year+unit",
            proactive.url,
            {"category": sample.category_id, "year": 2026, "unit": sample.owning_unit_id},
            "listing",
        ),
        ("unit catalogue", parents[3].url, {}, "listing"),
        ("column listing", column.url, {}, "listing"),
        (f"small column ({SMALL_COLUMN} articles)", small_column.url, {}, "listing"),
        (f"wide column ({WIDE_COLUMNS} sub-columns)", wide_column.url, {}, "listing"),
        ("search (one character)", "/search/", {"q": "第"}, "results"),
        ("/zfxxgk/ index", catalogue.url, {}, None),
    ]


def explain(client, url, data):
    """The database's plan of each query of one request that reads listing rows in order or counts them."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, data)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    for query in ctx.captured_queries:
        sql = query["sql"]
        if not ("ORDER BY" in sql and "published" in sql and "LIMIT" in sql) and "COUNT(*)" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            plan = cursor.fetchall()
        print(f"  -- {sql[:160]}...")
        for line in plan:
            print("     " + " | ".join(str(cell) for cell in line))


def figures(client, proactive, parents, columns, size, runs, show_plans):
    from django.http import QueryDict

    from site_pages import listing_cache

    # The bulk inserts send no signals: renew the cached totals as the publication of those pages would.
    listing_cache.bump()
    rows = []
    for label, url, data, name in listings(proactive, parents, *columns):
        first_ms, first_queries, response = timed(client, url, data, runs)
        row = [f"{size:,}", label, f"{first_ms:.1f}", str(first_queries)]
        if name:
            pager = response.context[name]
            last = QueryDict(last_page_link(response, name)).dict()
            if show_plans and label in PLANNED:
                print(f"\nPlans at {size:,}, {label}, first page:")
                explain(client, url, data)
                print(f"Plans at {size:,}, {label}, last page:")
                explain(client, url, {**data, **last})
            last_ms, last_queries, last_response = timed(client, url, {**data, **last}, runs)
            shown = len(last_response.context[name].object_list)
            # The second page by the first page's 下一页 link: a cursor (after=) on the keyset listings.
            following = page_link(response, "next")
            next_ms = timed(client, url, {**data, **QueryDict(following).dict()}, runs)[0] if following else None
            row += [
                f"{last_ms:.1f}",
                str(last_queries),
                "" if next_ms is None else f"{next_ms:.1f}",
                f"{pager.paginator.count:,} / last page {shown}",
            ]
        else:
            row += ["", "", "", ""]
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--plans", action="store_true", help="print the query plans of the unfiltered listings")
    args = parser.parse_args()

    # As deployed: the test settings switch the listing cache off (a rolled-back test would leave values behind).
    settings.LISTING_CACHE_ENABLED = True
    with bench_db.benchmark_database("bench_listings") as database:
        from tests.factories import make_column

        print(f"{database_description()}, test database {database.name!r}, load average {load_average()}")
        client = Client()
        proactive, parents, _unit = build_tree()
        home = proactive.get_parent().get_parent()
        column = make_column(home, "基准动态", parents[0].owning_unit, slug="jzdt")
        small_column = make_column(home, "基准小栏目", parents[0].owning_unit, slug="jzxlm")
        wide_column = make_column(home, "基准宽栏目", parents[0].owning_unit, slug="jzkl")
        subcolumns = [
            make_column(wide_column, f"基准子栏目{n}", parents[0].owning_unit, slug=f"jzzl{n}")
            for n in range(WIDE_COLUMNS)
        ]
        # Older than anything else on the site: walking the site's newest-first date index would meet them last.
        bulk_articles(small_column, 0, SMALL_COLUMN, hours_back=args.large * 2)
        rows = []
        for size, start, years in ((args.small, 0, RECENT_YEARS), (args.large, args.small, EARLIER_YEARS)):
            started = time.perf_counter()
            bulk_items(parents, start, size - start, years)
            bulk_articles(column, start, size - start)
            # A hundredth of the column's size over the same years: one page in 200 of the site's at any time.
            bulk_articles(subcolumns, start // WIDE_SHARE, (size - start) // WIDE_SHARE, hours_apart=WIDE_SHARE)
            print(f"{size:,} items and articles after {time.perf_counter() - started:.1f}s of inserts")
            columns = (column, small_column, wide_column)
            rows += figures(client, proactive, parents, columns, size, args.runs, args.plans)
        heading(f"Public listings, median of {args.runs} warm requests ({connection.vendor})")
        print_table(
            [
                "entries",
                "listing",
                "first ms",
                "queries",
                "last ms",
                "queries",
                "next ms",
                "matches / rows on last page",
            ],
            rows,
            [">", "<", ">", ">", ">", ">", ">", "<"],
        )
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


if __name__ == "__main__":
    main()
