"""Public-site benchmarks: listing query counts (figure A) and demo page render times (figure B).

Run with `make benchmark`, or directly:

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/run_benchmarks.py [--verbose]

DATABASE_URL=postgres://... runs it on PostgreSQL. Everything happens in a throw-away test
database (bench_db.py, destroyed at the end) and a temporary MEDIA_ROOT, so no real database or
media directory is touched. Not part of the pytest suite: nothing here
asserts on timings, it only prints figures.

Figure A: a column with 20 live children and one with 2,000 (page 1 and page 50), rendered
through the test Client; the listing is paginated, so all must cost the same number of SQL
queries, at most 15. Done for articles and for policy documents (whose listing shows 文号).
Figure B: seed_demo, then median/p90 render time and query count of the home page, a column,
an article, a search and a policy-document column.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
import unicodedata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

import django  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

QUERY_TARGET = 15
SMALL_COLUMN_CHILDREN = 20
BIG_COLUMN_CHILDREN = 2000
MIDDLE_PAGE = 50


# --------------------------------------------------------------------------- helpers


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def pad(text, width, align="<"):
    text = str(text)
    gap = " " * max(0, width - display_width(text))
    return text + gap if align == "<" else gap + text


def print_table(headers, rows, aligns=None):
    aligns = aligns or ["<"] * len(headers)
    widths = [max(display_width(c) for c in col) for col in zip(headers, *rows, strict=True)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    print(line)
    print("| " + " | ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)) + " |")
    print(line)
    for row in rows:
        print("| " + " | ".join(pad(c, w, a) for c, w, a in zip(row, widths, aligns, strict=True)) + " |")
    print(line)


def heading(text):
    print()
    print(text)
    print("=" * display_width(text))


def clear_caches():
    """Wagtail keeps site root paths (and renditions) in the cache; a rolled-back phase must not leak them."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


def get(client, url, data=None):
    response = client.get(url, data or {})
    if response.status_code != 200:
        raise SystemExit(f"GET {url} {data or ''} answered {response.status_code}, expected 200")
    return response


def count_queries(client, url, data=None):
    """(response, captured queries) of one request; the caller warms the URL up first."""
    with CaptureQueriesContext(connection) as ctx:
        response = get(client, url, data)
    return response, list(ctx.captured_queries)


def print_queries(label, queries):
    print(f"\n--- {label}: {len(queries)} queries")
    for i, q in enumerate(queries, 1):
        print(f"[{i:2d}] ({q['time']}s) {q['sql']}")


# --------------------------------------------------------------------------- figure A


def bulk_children(column, count, model, title_prefix, **fields):
    """`count` live `model` pages below an empty `column`, built in bulk.

    The rows are what add_child() + publish would leave for an imported page without revision
    history: treebeard path/depth/numchild, url_path, locale, translation_key, owning unit,
    live=True with publication times. Page rows go in with one bulk_create; the specific rows
    with save_base(raw=True), Django's fixture-loading path, which inserts only the child table.
    (The search index and reference index are not updated; the listing uses neither.)
    """
    from wagtail.models import Page

    from tests.factories import paragraph

    assert column.numchild == 0, "bulk_children needs an empty column"
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = []
    for i in range(1, count + 1):
        published = now - datetime.timedelta(minutes=i)
        slug = f"bulk-{i:05d}"
        title = f"{title_prefix}第{i}条"
        page = model(
            title=title,
            draft_title=title,
            slug=slug,
            body=paragraph(f"批量生成的第{i}条测试信息正文。"),
            summary=f"第{i}条摘要",
            owning_unit_id=column.owning_unit_id,
            locale_id=column.locale_id,
            path=Page._get_path(column.path, column.depth + 1, i),
            depth=column.depth + 1,
            numchild=0,
            url_path=f"{column.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            **{name: value(i) if callable(value) else value for name, value in fields.items()},
        )
        pages.append(page)
    with transaction.atomic():
        bases = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages], batch_size=500
        )
        for page, base in zip(pages, bases, strict=True):
            assert base.pk is not None, "this database backend does not return primary keys from bulk_create"
            page.id = page.page_ptr_id = base.pk
            page.save_base(raw=True, force_insert=True)
        Page.objects.filter(pk=column.pk).update(numchild=count)
    column.refresh_from_db()
    return pages


def check_bulk_pages(column, pages, client):
    """The bulk pages must be indistinguishable from published ones where the site is concerned."""
    from wagtail.models import Page

    problems = Page.find_problems(parent=column)
    if any(problems):
        raise SystemExit(f"treebeard reports tree problems after the bulk load: {problems}")
    listed = column.listing_queryset().count()
    if listed != len(pages):
        raise SystemExit(f"the listing shows {listed} of {len(pages)} bulk pages")
    sample = Page.objects.get(pk=pages[len(pages) // 2].pk).specific
    sample.full_clean()  # slug uniqueness, required fields, StreamField body
    response = get(client, sample.url)
    if sample.title not in response.content.decode():
        raise SystemExit(f"{sample.url} does not show its title")


def figure_a_kinds():
    """Per content type: label, model, extra fields for make_content / bulk_children."""
    from site_pages.models import ArticlePage, PolicyDocumentPage

    written = timezone.localdate() - datetime.timedelta(days=30)
    return [
        ("articles", ArticlePage, {}),
        (
            "policy documents",
            PolicyDocumentPage,
            {
                "document_number": lambda i: f"安府发〔2024〕{i}号",
                "written_date": written,
                "issuing_authority": "安岳县人民政府",
            },
        ),
    ]


def figure_a(client, verbose):
    from site_pages.models.columns import LISTING_PAGE_SIZE
    from tests.factories import UnitFactory, make_column, make_content, make_home

    home = make_home()
    unit = UnitFactory(name="基准测试单位", short_name="基准")
    results = []
    for n, (kind, model, fields) in enumerate(figure_a_kinds()):
        small = make_column(home, f"小栏目{n}", unit, slug=f"bench-{n}-small")
        big = make_column(home, f"大栏目{n}", unit, slug=f"bench-{n}-big")
        started = time.perf_counter()
        for i in range(1, SMALL_COLUMN_CHILDREN + 1):
            values = {name: value(i) if callable(value) else value for name, value in fields.items()}
            make_content(small, model=model, title=f"小栏目第{i}条", slug=f"small-{i:03d}", **values)
        small_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pages = bulk_children(big, BIG_COLUMN_CHILDREN, model, "大栏目", **fields)
        big_seconds = time.perf_counter() - started
        print(
            f"{kind}: built {SMALL_COLUMN_CHILDREN} children via make_content (add_child + revision + publish) "
            f"in {small_seconds:.1f}s, {BIG_COLUMN_CHILDREN} via bulk load in {big_seconds:.1f}s"
        )
        check_bulk_pages(big, pages, client)

        cases = [
            (small.url, {}, SMALL_COLUMN_CHILDREN, 1),
            (big.url, {}, BIG_COLUMN_CHILDREN, 1),
            (big.url, {"page": MIDDLE_PAGE}, BIG_COLUMN_CHILDREN, MIDDLE_PAGE),
        ]
        for url, data, children, page_number in cases:
            get(client, url, data)  # warm-up: site root paths, content types
            response, queries = count_queries(client, url, data)
            listing = response.context["listing"]
            expected_items = min(LISTING_PAGE_SIZE, children)
            if (
                listing.paginator.count != children
                or listing.number != page_number
                or len(listing.object_list) != expected_items
            ):
                raise SystemExit(
                    f"{url} {data}: listing shows page {listing.number} with {len(listing.object_list)} items "
                    f"of {listing.paginator.count}, expected page {page_number} with {expected_items} of {children}"
                )
            shown = url + (f"?page={data['page']}" if data else "")
            result = {"kind": kind, "children": children, "url": shown, "page": page_number, "queries": queries}
            results.append(result)
            if verbose:
                print_queries(f"{kind}, {children} children, {shown}", queries)

    print()
    verdicts = {}
    for kind, _model, _fields in figure_a_kinds():
        rows = [r for r in results if r["kind"] == kind]
        counts = [len(r["queries"]) for r in rows]
        verdicts[kind] = (len(set(counts)) == 1, max(counts) <= QUERY_TARGET)
        for r in rows:
            print(f"{kind:<17} {r['children']:>5} children  {r['url']:<24} {len(r['queries']):>3} queries")
        equal, within = verdicts[kind]
        print(f"{kind}: equal: {'yes' if equal else 'NO'}; <= {QUERY_TARGET}: {'yes' if within else 'NO'}")
    return results, verdicts


# --------------------------------------------------------------------------- figure B


def figure_b(client, runs, warmup, verbose):
    from io import StringIO

    from wagtail.models import Page

    from site_pages.models import ArticlePage, ColumnPage

    started = time.perf_counter()
    call_command("seed_demo", stdout=StringIO())
    print(f"seed_demo: {time.perf_counter() - started:.1f}s, {Page.objects.count()} pages")

    column = ColumnPage.objects.get(url_path__endswith="/xwdt/ayyw/")
    article = ArticlePage.objects.live().child_of(column).order_by("-first_published_at", "-pk").first()
    if article is None:
        raise SystemExit("seed_demo made no article in /xwdt/ayyw/")
    cases = [
        ("home page", "/", {}),
        ("column page", "/xwdt/ayyw/", {}),
        ("article page", article.url, {}),
        ("search", "/search/", {"q": "信息公开"}),
        # Not in the brief: the demo column whose listing holds policy documents (document_number).
        ("policy column", "/zcwj/xzfwj/", {}),
    ]
    results = []
    for label, url, data in cases:
        for _ in range(warmup):
            get(client, url, data)
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            get(client, url, data)
            samples.append((time.perf_counter() - t0) * 1000)
        response, queries = count_queries(client, url, data)
        shown = url + (f"?q={data['q']}" if data else "")
        note = ""
        if label == "search":
            results_page = response.context["results"]
            note = f"{results_page.paginator.count if results_page else 0} hits"
        p90 = statistics.quantiles(samples, n=10)[8] if len(samples) > 1 else samples[0]
        results.append(
            {
                "label": label,
                "url": shown,
                "median": statistics.median(samples),
                "p90": p90,
                "queries": queries,
                "note": note,
            }
        )
        print(
            f"{label:<13} {pad(shown, 52)} median {statistics.median(samples):7.1f} ms  "
            f"p90 {p90:7.1f} ms  {len(queries):3d} queries {note}"
        )
        if verbose:
            print_queries(f"{label}, {shown}", queries)
    return results


# --------------------------------------------------------------------------- main


def database_description():
    if connection.vendor == "sqlite":
        return "SQLite " + ".".join(map(str, connection.Database.sqlite_version_info))
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    return connection.display_name


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="print the SQL of every counted request")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page in figure B (default 50)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before them (default 3)")
    args = parser.parse_args()

    import wagtail

    with bench_db.benchmark_database("benchmark", temporary_media=True) as database:
        print(
            f"Python {platform.python_version()}, Django {django.get_version()}, Wagtail {wagtail.__version__}, "
            f"{database_description()}, test database {database.name!r} "
            f"(migrated in {database.migrate_seconds:.1f}s)"
        )
        print(f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load_average()}")
        client = Client()

        heading("Figure A: column listing query count (warm requests, anonymous visitor)")
        # Rolled back afterwards so that seed_demo in figure B starts from a freshly migrated database.
        with transaction.atomic():
            a_results, verdicts = figure_a(client, args.verbose)
            transaction.set_rollback(True)
        clear_caches()

        heading(f"Figure B: demo pages, {args.runs} timed requests after {args.warmup} warm-up requests")
        b_results = figure_b(client, args.runs, args.warmup, args.verbose)

        heading(f"Summary ({connection.vendor})")
        print_table(
            ["figure A: column of", "children", "URL", "queries"],
            [[r["kind"], str(r["children"]), r["url"], str(len(r["queries"]))] for r in a_results],
            ["<", ">", "<", ">"],
        )
        for kind, (equal, within) in verdicts.items():
            print(
                f"{kind}: the {BIG_COLUMN_CHILDREN}-children column uses the same number of queries as the "
                f"{SMALL_COLUMN_CHILDREN}-children one: {'yes' if equal else 'NO'}; "
                f"at most {QUERY_TARGET}: {'yes' if within else 'NO'}"
            )
        print()
        print_table(
            ["figure B: page", "URL", "median ms", "p90 ms", "queries", "note"],
            [
                [r["label"], r["url"], f"{r['median']:.1f}", f"{r['p90']:.1f}", str(len(r["queries"])), r["note"]]
                for r in b_results
            ],
            ["<", "<", ">", ">", ">", "<"],
        )
        print("Reference: Wagtail's bakerydemo home page takes about 40 ms and 43 queries on this machine.")
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


if __name__ == "__main__":
    main()
