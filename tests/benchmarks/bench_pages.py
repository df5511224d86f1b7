"""Every public page type, uncached: median render time and SQL queries on the demo and on a large portal (issue 17 §3).

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_pages.py [--large] [--runs N]
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 ... (the same on PostgreSQL)

In a throw-away test database (bench_db.py) the demo county is seeded as `make run` seeds it (seed_demo,
seed_review_demo). Every page model Wagtail knows but its tree root is walked at run time, as the query budgets
and the page-cache tests walk them: its first live, public page of exactly that type is requested, and so is each
of its routable sub-pages that takes no argument (the letter form is MessageBoardPage write/); a type with no such
page is printed as missing. A few views that are not pages are measured too: the search, the 公开信息 catalogue
unfiltered and filtered, the 依申请公开 request form. Each URL gets `--warmup` anonymous GETs, then `--runs`
timed ones, each from a new test Client (no cookies), then one whose queries are counted. The page cache and
the listing cache are off: these are rendering costs.

Then the same database grows into a large portal, below the demo's own home page and catalogue: bench_inspection's
columns (groups of a first-level column over 19 leaf columns) with about 100 articles each, and bench_catalogue's
公开信息 items under ten new unit catalogues: 200 columns, 20,000 articles and 10,000 items by default, and with
--large then on to 2,000 columns, 200,000 articles and 100,000 items (--columns, --pages-per-column and --items
set the last size). At each size the same URLs are measured again, with a generated column, article, unit
catalogue and item beside them from the first size on; a URL whose query count grew is marked, and the queries it
gained are printed. The generated pages are not in the search index. Nothing is asserted; the load average is
printed with the figures (wall-clock times).
"""

import argparse
import datetime
import os
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
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.benchmarks.bench_catalogue import EARLIER_YEARS, RECENT_YEARS, bulk_items  # noqa: E402
from tests.benchmarks.bench_inspection import Portal, check_tree  # noqa: E402
from tests.benchmarks.run_benchmarks import database_description, heading, load_average, print_table  # noqa: E402

DEFAULT_SIZE = {"columns": 200, "pages_per_column": 100, "items": 10_000}
LARGE_SIZE = {"columns": 2_000, "pages_per_column": 100, "items": 100_000}
UNIT_CATALOGUES = 10
MISSING = "no live public page on the demo"


class Target:
    """One URL to measure: a page type's page, one of its sub-pages, or a view that is not a page."""

    def __init__(self, label, url, data=None, note=""):
        self.label, self.url, self.data, self.note = label, url, data or {}, note
        self.figures = {}  # phase -> (status, median ms, queries, 1-minute load)
        self.sql = {}  # phase -> the SQL of the counted request
        self.matches = {}  # phase -> entries in the listing or search results the page shows, if it shows one

    @property
    def shown(self):
        if self.url is None:
            return "-"
        return self.url + ("?" + "&".join(f"{k}={v}" for k, v in self.data.items()) if self.data else "")


def load_1min():
    return os.getloadavg()[0]


def measure(target, phase, runs, warmup):
    """Median wall time of `runs` anonymous GETs (new Client each) after `warmup`, and the queries of one more."""
    if target.url is None:
        return
    for _ in range(warmup):
        Client().get(target.url, target.data)
    times = []
    for _ in range(runs):
        client = Client()
        started = time.perf_counter()
        client.get(target.url, target.data)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(target.url, target.data)
    target.figures[phase] = (response.status_code, statistics.median(times), len(queries), load_1min())
    target.sql[phase] = [query["sql"] for query in queries.captured_queries]
    for name in ("listing", "results"):  # a paginated listing or search results, by their context names
        shown = response.context[name] if response.context is not None and name in response.context else None
        if getattr(shown, "paginator", None) is not None:
            target.matches[phase] = shown.paginator.count


def page_type_targets():
    """The first live, public page of each page model (exact type), and its routable sub-pages without arguments."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page, get_page_models

    targets = []
    for model in get_page_models():
        if model is Page:  # the tree root, never served
            continue
        label = model._meta.label
        page = model.objects.exact_type(model).live().public().order_by("path").first()
        if page is None:
            targets.append(Target(label, None, note=MISSING))
            continue
        targets.append(Target(label, page.url))
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                route = str(pattern.pattern)
                if route and "<" not in route and not route.startswith("^"):
                    targets.append(Target(f"{label} {route}", page.url + route))
    return targets


def catalogue_filter(item):
    return {"category": item.category_id, "year": item.published_date.year, "unit": item.owning_unit_id}


def view_targets():
    """Views that are not one page type's own: search, the catalogue listing with and without filters, the form."""
    from disclosure.models import DisclosureItem, ProactiveDisclosurePage

    targets = [Target("search results", "/search/", {"q": "安岳"})]
    listing = ProactiveDisclosurePage.objects.live().public().order_by("path").first()
    if listing is None:
        targets.append(Target("catalogue listing", None, note=MISSING))
    else:
        targets.append(Target("catalogue listing, unfiltered", listing.url))
        item = (
            DisclosureItem.objects.live()
            .public()
            .descendant_of(listing)
            .filter(category__isnull=False)
            .order_by("path")
            .first()
        )
        if item is None:
            targets.append(Target("catalogue listing, filtered", None, note="no categorised item on the demo"))
        else:
            targets.append(Target("catalogue listing, category+year+unit", listing.url, catalogue_filter(item)))
    targets.append(Target("request form (依申请公开)", "/yxsqgk/"))
    return targets


def seed_demo():
    from wagtail.models import Page

    started = time.perf_counter()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_review_demo", stdout=StringIO())
    print(f"seed_demo + seed_review_demo: {time.perf_counter() - started:.1f}s, {Page.objects.count():,} pages")


def unit_catalogues(proactive):
    """UNIT_CATALOGUES new, empty unit catalogues below the demo's catalogue listing, for bulk_items to fill."""
    from disclosure.models import UnitCataloguePage
    from tests.factories import UnitFactory

    parents = []
    for n in range(UNIT_CATALOGUES):
        unit = UnitFactory(name=f"基准页面{n}乡人民政府", short_name=f"基准页面{n}乡")
        page = UnitCataloguePage(title=unit.name, slug=f"bench-unit-{n}", owning_unit=unit)
        proactive.add_child(instance=page)
        page.save_revision().publish()
        parents.append(page)
    return parents


class LargePortal:
    """The demo county grown step by step: generated columns and articles, and 公开信息 items in new unit catalogues."""

    def __init__(self):
        from disclosure.models import ProactiveDisclosurePage
        from site_pages.models import HomePage

        self.home = HomePage.objects.get()
        self.proactive = ProactiveDisclosurePage.objects.live().public().order_by("path").first()
        self.parents = unit_catalogues(self.proactive)
        self.portal = Portal(timezone.localdate(), home=self.home)  # counts the pages it finds below the home page
        self.items = 0

    def grow(self, size):
        """Grows to `size`; the seconds it took."""
        started = time.perf_counter()
        self.portal.grow(size["columns"], size["pages_per_column"])
        check_tree(self.portal)
        columns_seconds = time.perf_counter() - started
        started = time.perf_counter()
        # A tenth of the new items this year, the rest spread over the ten years before, as bench_catalogue does.
        new = size["items"] - self.items
        bulk_items(self.parents, self.items, new // 10, RECENT_YEARS)
        bulk_items(self.parents, self.items + new // 10, new - new // 10, EARLIER_YEARS)
        self.items = size["items"]
        self.portal.existing += new  # pages below the home page that are not the portal's, for check_tree
        items_seconds = time.perf_counter() - started
        print(
            f"grown to {self.portal.columns:,} columns and {self.portal.pages:,} articles in {columns_seconds:.1f}s "
            f"(bench_inspection.Portal), {self.items:,} 公开信息 items in {items_seconds:.1f}s "
            f"(bench_catalogue.bulk_items)"
        )
        return columns_seconds + items_seconds

    def targets(self):
        """Generated pages of each generated kind, and the catalogue filtered on a generated item's values."""
        from disclosure.models import DisclosureItem
        from site_pages.models import ArticlePage, ColumnPage

        group = ColumnPage.objects.get(url_path=f"{self.home.url_path}g1/")
        leaf = group.get_children().specific().first()
        article = ArticlePage.objects.child_of(leaf).order_by("-first_published_at").first()
        unit_catalogue = self.parents[len(self.parents) // 2]
        item = DisclosureItem.objects.child_of(unit_catalogue).order_by("-path").first()
        return [
            Target("generated first-level column", group.url, note="19 leaf columns"),
            Target("generated leaf column", leaf.url, note="about 100 articles"),
            Target("generated article", article.url),
            Target("generated unit catalogue", unit_catalogue.url, note=f"1/{UNIT_CATALOGUES} of the items"),
            Target("generated 公开信息 item", item.url),
            Target("catalogue listing, generated category+year+unit", self.proactive.url, catalogue_filter(item)),
        ]


def figure_cells(target, phase):
    if phase not in target.figures:
        return ["", "", ""]
    status, median, queries, load = target.figures[phase]
    time_cell = f"{median:.1f}" if status == 200 else f"{median:.1f} ({status})"
    return [time_cell, str(queries), f"{load:.1f}"]


def matches_note(target):
    if not target.matches:
        return ""
    return "entries " + " / ".join(f"{count:,}" for count in target.matches.values())


def grew(target):
    """Whether a later phase took more queries than the first one that measured this URL."""
    counts = [queries for _status, _median, queries, _load in target.figures.values()]
    return any(count > counts[0] for count in counts[1:])


def print_figures(targets, phases, runs, warmup):
    heading(
        f"Uncached anonymous GET, median of {runs} after {warmup} warm-up, queries of one more ({connection.vendor})"
    )
    rows = [
        [
            target.label,
            target.shown,
            *(cell for phase in phases for cell in figure_cells(target, phase)),
            "GREW" if grew(target) else "",
            "; ".join(filter(None, [target.note, matches_note(target)])),
        ]
        for target in targets
    ]
    print_table(
        ["page type / view", "URL", *(h for phase in phases for h in (f"{phase} ms", "q", "load")), "queries", "note"],
        rows,
        ["<", "<", *[">"] * 3 * len(phases), "<", "<"],
    )
    grown = [t for t in targets if grew(t)]
    missing = [t.label for t in targets if t.note == MISSING]
    print(f"query count grew with the site: {', '.join(t.label for t in grown) if grown else 'none'}")
    for target in grown:
        first, *_, last = target.sql.values()
        print(f"\n--- {target.label}: queries of the last measurement that the first did not make")
        earlier = list(first)
        for sql in last:
            if sql in earlier:
                earlier.remove(sql)
            else:
                print(f"  {sql[:400]}")
    print(f"page types with no live public page on the demo: {', '.join(missing) if missing else 'none'}")


def sizes(args):
    """The portal sizes to grow to and measure at, smallest first."""
    steps = [dict(DEFAULT_SIZE), dict(LARGE_SIZE)] if args.large else [dict(DEFAULT_SIZE)]
    for step in steps:
        step["pages_per_column"] = args.pages_per_column or step["pages_per_column"]
    for name in ("columns", "items"):
        if getattr(args, name) is not None:
            steps[-1][name] = getattr(args, name)
    last = steps[-1]
    return [step for step in steps[:-1] if step["columns"] < last["columns"] and step["items"] < last["items"]] + [last]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="then 2,000 columns, 200,000 articles, 100,000 items")
    parser.add_argument("--columns", type=int, help="generated columns at the last size")
    parser.add_argument("--pages-per-column", type=int, help="articles per column on average, at every size (100)")
    parser.add_argument("--items", type=int, help="公开信息 items at the last size")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per URL (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before them (default 3)")
    parser.add_argument("--demo-only", action="store_true", help="measure the demo and stop")
    args = parser.parse_args()
    steps = [] if args.demo_only else sizes(args)
    from wagtail.models import Page

    with (
        bench_db.benchmark_database("bench_pages", temporary_media=True) as database,
        override_settings(PAGE_CACHE_ENABLED=False, LISTING_CACHE_ENABLED=False),
    ):
        print(
            f"{database_description()}, test database {database.name!r} (migrated in "
            f"{database.migrate_seconds:.1f}s), {os.cpu_count()} CPUs, load average {load_average()}"
        )
        seed_demo()
        targets = page_type_targets() + view_targets()
        phases = ["demo"]
        measure_all(targets, "demo", args)
        large = LargePortal() if steps else None
        generation = 0.0
        for step in steps:
            generation += large.grow(step)
            print(
                f"{Page.objects.count():,} pages in all, generated in {datetime.timedelta(seconds=round(generation))} "
                f"so far, load average {load_average()}"
            )
            if len(phases) == 1:
                targets += large.targets()
            phases.append(f"{large.portal.columns:,} col")
            measure_all(targets, phases[-1], args)
        print_figures(targets, phases, args.runs, args.warmup)
        print(f"Load average at the end: {load_average()} (timings are wall-clock).")


def measure_all(targets, phase, args):
    started = time.perf_counter()
    for target in targets:
        measure(target, phase, args.runs, args.warmup)
    print(f"{phase}: measured in {time.perf_counter() - started:.1f}s, load average {load_average()}")


if __name__ == "__main__":
    main()
