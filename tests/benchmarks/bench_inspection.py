"""Quarterly inspection (inspect_site, no external links) on a portal of 200 columns, then of 2,000 columns.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_inspection.py \
        [--columns 200 2000] [--pages-per-column 100]

DATABASE_URL=postgres://... runs it on PostgreSQL. Everything happens in a throw-away test database
(destroyed at the end); nothing is asserted, the figures are printed: wall time, peak Python memory
(tracemalloc, in a second run so that tracing does not slow the timed one; --no-memory skips it), the
process's peak RSS so far, and SQL queries, in total and per check. The number of queries must not grow
with the number of columns.

The portal is built in bulk: groups of one first-level column above 19 leaf columns, each leaf holding
articles (100 pages per column on average, so 200,000 pages at 2,000 columns). Page rows go in with one
bulk_create per batch (treebeard paths computed, not looked up), the specific rows with one multi-row INSERT
per batch. Update classes and the newest item's age vary by column, so the inspection finds stale, warning
and empty columns at both sizes. The search and reference indexes are not filled: the inspection uses neither.
"""

import argparse
import datetime
import json
import resource
import sys
import time
import tracemalloc
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

from django.core.management import call_command  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.benchmarks.run_benchmarks import (  # noqa: E402
    database_description,
    heading,
    load_average,
    print_table,
)

LEAVES_PER_GROUP = 19
UNITS = 20
BATCH = 2000
UPDATE_CLASSES = ("news", "notice_policy", "monthly", "quarterly", "annual", "unclassified")
# Every EMPTY_EVERY-th leaf column holds nothing (空白栏目).
EMPTY_EVERY = 97


class Portal:
    """The generated tree: the home page, the units, and how many groups of columns are built so far.

    Built below a new home page, or below `home` after the children it has (bench_pages grows the demo county).
    """

    def __init__(self, as_of, home=None):
        from wagtail.models import Page

        from tests.factories import UnitFactory, make_home, paragraph

        self.as_of = as_of
        self.body = prepared_body(paragraph("批量生成的测试信息正文，安岳县人民政府网站检查考核基准测试。"))
        self.home = home or make_home()
        last_child = self.home.get_last_child()
        self.first_position = Page._str2int(last_child.path[-Page.steplen :]) if last_child else 0
        self.existing = Page.objects.live().descendant_of(self.home).count()
        self.units = [UnitFactory(name=f"基准检查{n}镇人民政府", short_name=f"基准检查{n}镇") for n in range(UNITS)]
        self.groups = 0
        self.columns = 0
        self.pages = 0

    def grow(self, columns, pages_per_column):
        """Adds groups of columns until there are `columns` columns, with their articles."""
        from django.db.models import F
        from wagtail.models import Page

        from site_pages.models import ArticlePage, ColumnPage

        home = self.home
        first_level, leaves, articles = [], [], []
        new_groups = columns // (LEAVES_PER_GROUP + 1) - self.groups
        for g in range(self.groups + 1, self.groups + new_groups + 1):
            unit = self.units[g % UNITS]
            position = self.first_position + g
            group = self._page(
                ColumnPage, home, position, f"一级栏目{g}", f"g{g}", unit, update_class=UPDATE_CLASSES[g % 2]
            )
            first_level.append(group)
            for j in range(1, LEAVES_PER_GROUP + 1):
                n = (g - 1) * LEAVES_PER_GROUP + j
                leaf = self._page(
                    ColumnPage,
                    group,
                    j,
                    f"栏目{n}",
                    f"c{n}",
                    unit,
                    update_class=UPDATE_CLASSES[n % len(UPDATE_CLASSES)],
                )
                leaves.append(leaf)
                count = 0 if n % EMPTY_EVERY == 0 else pages_per_column * (LEAVES_PER_GROUP + 1) // LEAVES_PER_GROUP
                # The newest item is 0..39 days old: news columns are in time, in warning or stale.
                newest = timezone.now() - datetime.timedelta(days=n % 40, hours=1)
                if len(articles) >= BATCH * 5:  # inserted as they come, so that memory stays flat
                    self.pages += len(articles)
                    insert(ArticlePage, articles)
                    articles = []
                for k in range(1, count + 1):
                    published = newest - datetime.timedelta(days=k - 1)
                    articles.append(
                        self._page(
                            ArticlePage,
                            leaf,
                            k,
                            f"栏目{n}第{k}条信息",
                            f"a{k}",
                            unit,
                            published=published,
                            summary=f"第{k}条摘要",
                            body=self.body,
                        )
                    )
                leaf.numchild = count
            group.numchild = LEAVES_PER_GROUP
        for model, pages in ((ColumnPage, first_level), (ColumnPage, leaves), (ArticlePage, articles)):
            insert(model, pages)
        Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + new_groups)
        home.refresh_from_db()
        self.groups += new_groups
        self.columns += len(first_level) + len(leaves)
        self.pages += len(articles)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _page(self, model, parent, position, title, slug, unit, published=None, **fields):
        """A base Page row of `model`'s content type; `own` holds the values of the model's own table."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        published = published or timezone.now() - datetime.timedelta(days=400)
        page = Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type_id=ContentType.objects.get_for_model(model).pk,
            path=Page._get_path(parent.path, parent.depth + 1, position),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            locale_id=self.home.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
        )
        page.own = {"owning_unit_id": unit.pk, **fields}
        return page


def prepared_body(blocks):
    """The body as stored, sanitised once rather than once per page."""
    from site_pages.models import ArticlePage

    field = ArticlePage._meta.get_field("body")
    return json.dumps(field.get_prep_value(ArticlePage(body=blocks).body), cls=DjangoJSONEncoder)


def insert(model, pages):
    """Base page rows by bulk_create, then the model's own rows by one executemany per batch.

    The own rows skip model instances (and a StreamField's per-value sanitising): their values are stored
    as prepared once, which is what makes 200,000 pages take minutes rather than an hour.
    """
    from wagtail.fields import StreamField
    from wagtail.models import Page

    own_fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in own_fields),
        ", ".join(["%s"] * len(own_fields)),
    )

    def stored(field, page):
        if field.primary_key:
            return page.pk
        value = page.own.get(field.attname, field.get_default())
        return value if isinstance(field, StreamField) else field.get_db_prep_save(value, connection)

    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        with transaction.atomic():
            Page.objects.bulk_create(batch)
            if any(page.pk is None for page in batch):
                raise SystemExit("this database backend does not return primary keys from bulk_create")
            with connection.cursor() as cursor:
                cursor.executemany(sql, [[stored(f, page) for f in own_fields] for page in batch])


def check_tree(portal):
    """The bulk rows form a sound tree: each level's numchild adds up to the next level's nodes (treebeard's
    find_problems counts children one node at a time, hours at this size), every page hangs below its parent,
    and every page the portal holds is live below the home page."""
    from django.db.models import Count, Sum
    from wagtail.models import Page

    levels = {
        row["depth"]: row
        for row in Page.objects.values("depth").annotate(nodes=Count("pk"), children=Sum("numchild")).order_by()
    }
    for depth, row in levels.items():
        below = levels[depth + 1]["nodes"] if depth + 1 in levels else 0
        if row["children"] != below:
            raise SystemExit(f"depth {depth}: numchild adds up to {row['children']}, {below} nodes below")
    last = Page.objects.order_by("-pk").first()
    if not Page.objects.filter(path=last.path[: -Page.steplen], depth=last.depth - 1).exists():
        raise SystemExit(f"page {last.pk} has no parent at {last.path[: -Page.steplen]}")
    live = Page.objects.live().descendant_of(portal.home).count()
    expected = portal.existing + portal.columns + portal.pages
    if live != expected:
        raise SystemExit(f"{live} live pages below the home page, expected {expected}")


class QueryCounter:
    """Counts queries without keeping them (Django's query log stops at 9,000 entries)."""

    def __enter__(self):
        self.count = 0
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)


class CheckTimer:
    """Wraps every registered check to count its queries and time while inspect_site runs."""

    def __init__(self):
        self.rows = {}

    def __enter__(self):
        from cms.inspection import checks, findings

        checks.load()
        self.originals = list(findings.CHECKS)
        findings.CHECKS[:] = [self.wrap(function) for function in self.originals]
        return self

    def __exit__(self, *exc):
        from cms.inspection import findings

        findings.CHECKS[:] = self.originals

    def wrap(self, function):
        def timed(context):
            started = time.perf_counter()
            with QueryCounter() as queries:
                found = list(function(context))
            self.rows[f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"] = (
                queries.count,
                time.perf_counter() - started,
                len(found),
            )
            return found

        return timed


def inspect_site(as_of):
    """inspect_site --format json: (seconds, queries, number of findings, per-check rows)."""
    out = StringIO()
    with CheckTimer() as timer, QueryCounter() as queries:
        started = time.perf_counter()
        call_command("inspect_site", "--as-of", as_of.isoformat(), "--format", "json", stdout=out)
        seconds = time.perf_counter() - started
    return seconds, queries.count, len(json.loads(out.getvalue())["findings"]), timer.rows


def peak_memory(as_of):
    """Peak Python memory of one more inspect_site run, traced on its own (tracing slows the run)."""
    tracemalloc.start()
    try:
        call_command("inspect_site", "--as-of", as_of.isoformat(), "--format", "json", stdout=StringIO())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--columns", type=int, nargs="+", default=[200, 2000], help="portal sizes, growing")
    parser.add_argument("--pages-per-column", type=int, default=100)
    parser.add_argument("--no-memory", action="store_true", help="skip the traced second run")
    args = parser.parse_args()

    # The lexicon and the leader register re-read their version every few seconds: a longer run would show more
    # queries for its duration, not for its columns. Nothing changes them during the benchmark.
    from workflows.lexicon import leaders, matcher

    matcher.VERSION_CHECK_SECONDS = leaders.VERSION_CHECK_SECONDS = 24 * 3600.0
    with (
        bench_db.benchmark_database("bench_inspection") as database,
        override_settings(INSPECTION_CHECK_EXTERNAL_LINKS=False),
    ):
        print(f"{database_description()}, test database {database.name!r}, load average {load_average()}")
        as_of = timezone.localdate()
        portal = Portal(as_of)
        inspect_site(as_of)  # warm-up: content types, site root paths, the lexicon matcher
        rows, per_check = [], {}
        for columns in sorted(args.columns):
            started = time.perf_counter()
            portal.grow(columns, args.pages_per_column)
            check_tree(portal)
            print(
                f"portal grown to {portal.columns:,} columns and {portal.pages:,} articles "
                f"in {time.perf_counter() - started:.1f}s"
            )
            seconds, queries, found, checks = inspect_site(as_of)
            peak = None if args.no_memory else peak_memory(as_of)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"inspect_site: {seconds:.1f}s, {queries} queries, {found} findings, process peak RSS {rss:.0f} MiB")
            rows.append(
                [
                    f"{portal.columns:,}",
                    f"{portal.pages:,}",
                    f"{seconds:.1f}",
                    "-" if peak is None else f"{peak / 2**20:.0f}",
                    f"{rss:.0f}",
                    str(queries),
                    str(found),
                ]
            )
            for name, (count, check_seconds, check_found) in checks.items():
                per_check.setdefault(name, []).append(f"{count} q, {check_seconds:.1f}s, {check_found} found")
        heading(f"inspect_site without external links ({connection.vendor})")
        print_table(
            ["columns", "pages", "wall s", "traced peak MiB", "process peak RSS MiB", "queries", "findings"],
            rows,
            [">"] * 7,
        )
        sizes = [row[0] for row in rows]
        print_table(["check", *(f"{size} columns" for size in sizes)], [[n, *v] for n, v in per_check.items()])
        counts = [int(row[5]) for row in rows]
        print(f"queries equal at every size: {'yes' if len(set(counts)) == 1 else 'NO'}")
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


if __name__ == "__main__":
    main()
