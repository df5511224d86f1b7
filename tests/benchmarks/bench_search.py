"""The ranked site search with 1,000 and with 100,000 indexed articles, first and last page (issue 17 §2).

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_search.py [--large N]
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 ... (the same on PostgreSQL)

In a throw-away test database (bench_db.py) the demo county is seeded (seed_demo), which indexes its pages. Then a
news column grows to --small and then to --large articles. Article i copies one of the demo's indexed result pages
(round-robin): its title, and its search index entry, copied by SQL. Each query
therefore matches the same share of the site at both sizes, as the words of a real portal do: a common word
matches half of it. The copies are dated newest first, so the 1,000 stay the newest at 100,000.

For each query it prints how many results the search ranked (capped at search.MAX_RESULTS), the median time of
`run_search` alone, of the results page /search/?q= and of its last page, and the 100k/1k ratio of each; each
round of the timings takes every query in turn. The database is settled after each bulk load (bench_db.settle).
The page cache and the listing cache are off (the test settings'). Nothing is asserted; the issue's target is a
ratio of 1.5 or less. --plans prints the database's plan of the ranked query at each size (PostgreSQL's EXPLAIN ANALYZE,
SQLite's EXPLAIN QUERY PLAN).
"""

import argparse
import datetime
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.benchmarks.bench_catalogue import BATCH, insert_pages, live_child  # noqa: E402
from tests.benchmarks.run_benchmarks import database_description, heading, load_average, print_table  # noqa: E402

# Common words of the demo (half of it, a tenth, a twentieth), a phrase, and a name few pages hold.
QUERIES = ("安岳", "信息公开", "乡村振兴", "柠檬产业", "营商环境")


def indexed_sources():
    """(title, entry id) of every live public result page of the demo that has a search index entry."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    from site_pages.search import result_models

    sources = []
    for model in result_models().values():
        content_type = ContentType.objects.get_for_model(model)
        pages = dict(Page.objects.live().public().type(model).values_list("pk", "title"))
        entries = IndexEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pages])
        sources += [(pages[int(object_id)], entry_id) for entry_id, object_id in entries.values_list("pk", "object_id")]
    return sorted(sources, key=lambda source: source[1])


def copy_entries(pairs):
    """Index entries for new articles: [(article id, source entry id)], copied by SQL (on SQLite, Wagtail's
    triggers copy them into its FTS5 table)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from site_pages.models import ArticlePage

    table = IndexEntry._meta.db_table
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    copied = [f.column for f in IndexEntry._meta.concrete_fields if f.name not in ("id", "content_type", "object_id")]
    values = ", ".join("(%s, %s)" for _ in pairs)
    params = [p for article, entry in pairs for p in (str(article), entry)]
    columns = ", ".join(copied)
    source_columns = ", ".join(f"e.{c}" for c in copied)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, {columns}) "  # noqa: S608 - names from the models
            f"SELECT {content_type}, v.column1, {source_columns} FROM (VALUES {values}) AS v "
            f"JOIN {table} e ON e.id = v.column2",
            params,
        )


def grow(column, sources, start, count):
    """Articles number start+1 .. start+count in `column`, one an hour backwards, each a copy of a source."""
    from wagtail.models import Page

    from site_pages.models import ArticlePage
    from tests.factories import paragraph

    now = timezone.now()
    body = paragraph("批量生成的搜索基准正文。")
    for batch_start in range(start, start + count, BATCH):
        articles, entries = [], []
        for i in range(batch_start + 1, min(batch_start + BATCH, start + count) + 1):
            title, entry = sources[i % len(sources)]
            published = now - datetime.timedelta(hours=i)
            articles.append(
                ArticlePage(**live_child(column, i, f"search-{i:06d}", title, published), summary="", body=body)
            )
            entries.append(entry)
        insert_pages(ArticlePage, articles)
        copy_entries([(article.pk, entry) for article, entry in zip(articles, entries, strict=True)])
    Page.objects.filter(pk=column.pk).update(numchild=start + count)
    column.refresh_from_db()
    bench_db.settle()


def interleaved_medians(calls, runs):
    """{name: (median ms, last result)} of each call, timed in `runs` rounds that take every call in turn.

    A burst of other work on the machine (autovacuum, a checkpoint, the host) then slows one round of every query
    instead of all the runs of one query, which the median drops."""
    last = {name: call() for name, call in calls.items()}  # warm-up
    times = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            last[name] = call()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(times[name]), last[name]) for name in calls}


def explain_ranked(query):
    """The database's plan of the ranked query: the search statement that scores (ts_rank, bm25)."""
    from site_pages.search import SearchForm, run_search

    with CaptureQueriesContext(connection) as ctx:
        run_search(SearchForm({"q": query}))
    for captured in ctx.captured_queries:
        if "ts_rank" in captured["sql"] or "bm25" in captured["sql"]:
            sqlite = connection.vendor == "sqlite"
            with connection.cursor() as cursor:
                cursor.execute(
                    ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + captured["sql"]
                )
                for line in cursor.fetchall():
                    print("     " + " | ".join(str(cell) for cell in line))


def figures(client, size, runs, show_plans):
    from site_pages.search import PAGE_SIZE, SearchForm, run_search

    calls = {}
    for query in QUERIES:
        found = len(run_search(SearchForm({"q": query})).ids)
        last_page = max(1, -(-found // PAGE_SIZE))
        calls[query, "search"] = lambda q=query: run_search(SearchForm({"q": q}))
        calls[query, "first"] = lambda q=query: client.get("/search/", {"q": q})
        calls[query, "last"] = lambda q=query, n=last_page: client.get("/search/", {"q": q, "page": n})
    timed = interleaved_medians(calls, runs)
    rows = {}
    for query in QUERIES:
        (search_ms, outcome), (first_ms, first), (last_ms, last) = (
            timed[query, part] for part in ("search", "first", "last")
        )
        assert first.status_code == 200 and last.status_code == 200, (query, first.status_code, last.status_code)
        rows[query] = (len(outcome.ids), outcome.truncated, search_ms, first_ms, last_ms)
        if show_plans:
            print(f"\nPlan of the ranked query at {size:,}, {query}:")
            explain_ranked(query)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print the database's plan of the ranked query")
    args = parser.parse_args()

    with bench_db.benchmark_database("bench_search", temporary_media=True) as database:
        from wagtail.models import Page

        from cms.organisation.models import Unit
        from tests.factories import make_column

        print(f"{database_description()}, test database {database.name!r}, load average {load_average()}")
        started = time.perf_counter()
        call_command("seed_demo", stdout=StringIO())
        sources = indexed_sources()
        print(f"seed_demo: {time.perf_counter() - started:.1f}s, {len(sources)} indexed result pages to copy")
        home = Page.objects.get(depth=2).specific
        column = make_column(home, "搜索基准动态", Unit.objects.order_by("pk").first(), slug="search-bench")
        client = Client()
        results = {}
        for size, start in ((args.small, 0), (args.large, args.small)):
            started = time.perf_counter()
            grow(column, sources, start, size - start)
            print(f"{size:,} copied articles after {time.perf_counter() - started:.1f}s of inserts")
            results[size] = figures(client, size, args.runs, args.plans)
        rows = []
        for query in QUERIES:
            small, large = results[args.small][query], results[args.large][query]
            rows.append(
                [
                    query,
                    f"{small[0]:,}{'+' if small[1] else ''} / {large[0]:,}{'+' if large[1] else ''}",
                    *(f"{a:.0f} / {b:.0f} ({b / a:.1f}×)" for a, b in zip(small[2:], large[2:], strict=True)),
                ]
            )
        sizes = f"{args.small:,} / {args.large:,} copied articles"
        heading(f"Ranked search, {sizes}, median of {args.runs} ({connection.vendor})")
        print_table(
            ["query", "results (+: capped)", "run_search ms", "results page ms", "last page ms"],
            rows,
            ["<", ">", ">", ">", ">"],
        )
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


if __name__ == "__main__":
    main()
