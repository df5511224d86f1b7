"""The public listings read what one page needs, not the whole site (issue 17 §2): SQLite's plans of their queries.

Every listing of the catalogue (each page type built on CatalogueListing, the catalogue's index page) and the site
search's title match are requested on a catalogue of a few hundred items and a catalogued policy document, and the
plan of each query that reads or counts their rows is asked of SQLite. A table read whole ("SCAN t" without an index)
or the rows of the content-type index sorted afterwards means the listing grows with the site: at 100,000 items
those plans cost 100-500 ms where an index walk costs a millisecond (tests/benchmarks/bench_listings.py prints the
figures on both databases). The policy tables have rows and no planner statistics, as on a site whose policy
documents came after the last ANALYZE: SQLite then guesses a million rows for them.

PostgreSQL is not asked: at a few hundred rows its planner rightly reads small tables whole, so its plans here say
nothing of 100,000 items; the benchmark measures it.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import get_page_models

from disclosure.models import DisclosureCatalogue, DisclosureItem
from disclosure.models.listing import CatalogueListing
from site_pages import listing_cache
from site_pages.keyset import KeysetListing
from site_pages.models import PolicyDocumentPage
from tests import module_data
from tests.benchmarks.bench_catalogue import build_tree, bulk_items
from tests.factories import make_column, make_content

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans (see the module docstring)")

ITEMS = 300
# The statistics are those of a site of ITEMS * SCALE items: the planner chooses as it does at that size.
SCALE = 300
# What SQLite's bounded ANALYZE (PRAGMA analysis_limit, cms.settings) recorded for the items' and pages' indexes in
# bench_listings at 100,000 items: a few hundred sampled rows make a depth, a content type or a category look
# selective. A listing must not depend on the planner believing them.
SAMPLED_STATISTICS = {
    "disclosure_cat_date": "101376 401 201 1",
    "disclosure_cat_unit_date": "99085 401 401 201 1",
    "disclosure_disclosureitem_category_id_01b6f393": "120064 401",
    "disclosure_disclosureitem_owning_unit_id_f6642b65": "120640 401",
    "disclosure_published_date": "95904 201 1",
    "disclosure_unit_date": "115240 401 201 1",
    "site_pages_page_depth_path": "259840 101 1",
    "sqlite_autoindex_wagtailcore_page_1": "164450 1",
    "wagtailcore_page_content_type_id_c28424df": "105966 81",
    "wagtailcore_page_first_published_at_2b5dd637": "443352 7",
}
# A table read from end to end: "SCAN t" with no index, or a whole index read for its rows rather than its order.
FULL_READ = re.compile(r"^SCAN (?!subquery)\S+( USING COVERING INDEX \S*content_type\S*)?$")
# The depth index read by depth alone: every page of the site at those depths, the catalogue's or not.
DEPTH_ONLY = re.compile(r"site_pages_page_depth_path \(depth[<=>]+\?\)")


@pytest.fixture(scope="module")
def catalogue_rows(module_db, django_db_blocker):
    """The catalogue, its statistics and a catalogued policy document, made once for the module's tests
    (tests/module_data.py): the statistics go back with the module's transaction."""
    with django_db_blocker.unblock():
        proactive, parents, _unit = build_tree()
        bulk_items(parents, 0, ITEMS, (2025, 2026))  # ends with ANALYZE, as a deployment keeps statistics
        statistics_of_a_larger_site(SCALE)
        column = make_column(proactive.get_parent().get_parent(), "政策文件", parents[0].owning_unit, "notice_policy")
        make_content(
            column,
            model=PolicyDocumentPage,
            title="政策文件第1号",
            document_number="安府办发〔2026〕1号",
            written_date=DisclosureItem.objects.values_list("published_date", flat=True).first(),
            issuing_authority="安岳县人民政府办公室",
        )
    return proactive


@pytest.fixture
def catalogue(request, catalogue_rows, db, settings, monkeypatch):
    settings.LISTING_CACHE_ENABLED = True
    # The listing cache keeps each first page (site_pages.keyset): its query, run after every change of pages, is
    # the one whose plan is checked here.
    monkeypatch.setattr(KeysetListing, "_asks_first_page", staticmethod(lambda params: False))
    listing_cache.bump()
    return module_data.copy_for(request, catalogue_rows)


def statistics_of_a_larger_site(factor):
    """The planner's statistics scaled to a site `factor` times larger with the same spread of values.

    sqlite_stat1 holds, per index, the rows of the table and the average rows per value of each prefix of the
    index's columns: every figure but a unique prefix's 1 grows with the site. SQLite rereads the statistics at
    ANALYZE sqlite_schema; the module's transaction takes them back.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
        for table, index, stat in cursor.fetchall():
            figures = [str(int(f) * factor) if f.isdigit() and f != "1" else f for f in stat.split()]
            cursor.execute(
                "UPDATE sqlite_stat1 SET stat = %s WHERE tbl = %s AND idx IS %s", [" ".join(figures), table, index]
            )
        for index, stat in SAMPLED_STATISTICS.items():
            cursor.execute("UPDATE sqlite_stat1 SET stat = %s WHERE idx = %s", [stat, index])
        cursor.execute("ANALYZE sqlite_schema")


def listing_urls(proactive):
    """The URL of one live page of every catalogue listing type, and of the catalogue's index page."""
    listing_types = [model for model in get_page_models() if issubclass(model, CatalogueListing)]
    assert listing_types, "no page type lists the catalogue any more"
    urls = [model.objects.live().descendant_of(proactive, inclusive=True).first().url for model in listing_types]
    return [*urls, DisclosureCatalogue.objects.get().url]


def plans(client, url, data=None):
    """{sql: plan lines} of the request's queries that read listing rows in order or count them."""
    assert client.get(url, data).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data).status_code == 200
    found = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        if not (("ORDER BY" in sql and "LIMIT" in sql) or "COUNT(*)" in sql):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            found[sql] = cursor.fetchall()
    assert found, f"{url}: no listing query captured"
    return found


def details(found):
    return [row[-1] for rows in found.values() for row in rows]


def unbounded(sql, rows):
    """The plan's whole reads that no LIMIT stops: any in a query of rows, and in a bounded count (COUNT over a
    LIMIT) those that fill a list before the limit applies."""
    parents = {row[0]: row[1] for row in rows}
    lines = {row[0]: row[-1] for row in rows}

    def listed(node):
        while node in parents:
            node = parents[node]
            if lines.get(node, "").startswith(("LIST SUBQUERY", "MATERIALIZE")):
                return True
        return False

    counted = sql.startswith("SELECT COUNT(*) FROM (")
    return [row[-1] for row in rows if FULL_READ.match(row[-1]) and (not counted or listed(row[0]))]


@pytest.mark.parametrize("page", ["first", "last"])
def test_catalogue_listings_read_no_table_whole(client, catalogue, page):
    for url in listing_urls(catalogue):
        data = {"page": "last"} if page == "last" else {}
        found = plans(client, url, data)
        reads = {sql[:120]: lines for sql, rows in found.items() if (lines := unbounded(sql, rows))}
        assert not reads, f"{url} reads whole tables: {reads}"
        assert not [line for line in details(found) if DEPTH_ONLY.search(line)], f"{url}: {details(found)}"


def test_unit_catalogue_walks_its_units_date_index(client, catalogue):
    """Not the depth index, which holds every item of the site: its rows would all be read and sorted."""
    unit_page = catalogue.get_children().live().first()
    lines = details(plans(client, unit_page.url))
    assert any("disclosure_unit_date" in line for line in lines), lines
    assert not any("site_pages_page_depth_path (depth=?)" in line for line in lines), lines


@pytest.mark.parametrize("data", [{"q": "第"}, {"q": "第", "type": "disclosure"}, {"q": "第 条"}])
def test_single_character_search_walks_the_date_index(client, catalogue, data):
    """Titles matched newest first stop at the cap: no sort of every page of the result types."""
    lines = details(plans(client, "/search/", data))
    assert any("first_published_at" in line for line in lines), lines
    assert "USE TEMP B-TREE FOR ORDER BY" not in lines, lines
    assert not any(FULL_READ.match(line) or "content_type" in line for line in lines), lines


@pytest.mark.parametrize("filters", [("year",), ("category", "year"), ("unit", "year"), ("category", "unit", "year")])
def test_a_years_filter_reads_that_year_alone(client, catalogue, filters):
    """Whatever else is chosen, the items are read by an index that bounds their date: not every item of a
    category or a unit, which grow with the catalogue while a year's items do not."""
    sample = DisclosureItem.objects.order_by("pk").first()
    values = {"category": sample.category_id, "unit": sample.owning_unit_id, "year": sample.published_date.year}
    lines = details(plans(client, catalogue.url, {name: values[name] for name in filters}))
    # The items table read by one of its indexes, under its name or an alias (U0 in a subquery); with the total in
    # the listing cache only the page's own query is left.
    table = DisclosureItem._meta.db_table
    with connection.cursor() as cursor:
        indexes = {name for name, c in connection.introspection.get_constraints(cursor, table).items() if c["index"]}
    by_index = re.compile(r"USING (?:COVERING )?INDEX (\S+)")
    items = [
        line
        for line in lines
        if (f"{table} USING" in line and "PRIMARY KEY" not in line)
        or (by_index.search(line) and by_index.search(line).group(1) in indexes)
    ]
    assert items and all("published_date>? AND published_date<?" in line for line in items), lines
