"""A long column listing reads its own pages only (issue 17 §2): the plans of every way a column is paged, and the
indexes of migration site_pages 0015 on either database.

Every page type that lists what lies below it (ListingMixin) gets a page holding articles directly and in a
sub-column, beside a catalogue of newer items that a walk of the site's date index would read and skip. The listing
is made long (BOUNDED_COUNT lowered) and each way of reaching a page is requested: the first page, the last page by
its link and by `page=last`, the next and previous pages by their cursors, a page number typed by hand. SQLite is
asked for the plan of each query that reads the listing's rows, under the statistics of a site 300 times larger
(tests/disclosure/test_listing_plans.py): none may read the page table whole, sort it, or walk a date index of the
whole site; each must read the parents' children through site_pages_page_parent_order.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, get_page_models

from site_pages import keyset, listing_cache
from site_pages.models import ArticlePage, SpecialTopicPage
from site_pages.models.columns import ListingMixin
from tests.benchmarks.bench_catalogue import build_tree, bulk_items, insert_pages, live_child
from tests.disclosure.test_listing_plans import SCALE, statistics_of_a_larger_site
from tests.factories import make_column, paragraph
from tests.site_pages.test_search_indexes import table_indexes

ARTICLES = 45  # per parent: a few pages of LISTING_PAGE_SIZE
LINK = re.compile(r'<a href="\?([^"]*)" rel="(first|prev|next|last)"')
PAGE_TABLE_READ_WHOLE = re.compile(r"^SCAN wagtailcore_page(?! USING (COVERING )?INDEX site_pages_page_parent)")
LISTING_ORDER = re.compile(r'ORDER BY "wagtailcore_page"."first_published_at"')
SITE_DATE_INDEX = re.compile(r"first_published_at_\w+|site_pages_page_published_order")


def bulk_articles(parent, count, hours_back):
    """`count` live articles below `parent`, one an hour backwards from `hours_back` hours ago, three sharing each
    time (ties the id breaks)."""
    now = timezone.now()
    articles = [
        ArticlePage(
            **live_child(
                parent, parent.numchild + i, f"a{i}", f"动态{i}", now - datetime.timedelta(hours=hours_back + i // 3)
            ),
            summary="",
            body=paragraph("正文"),
        )
        for i in range(1, count + 1)
    ]
    insert_pages(ArticlePage, articles)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)


@pytest.fixture
def listings(db, settings, monkeypatch):
    """{page type: a page of it whose listing is long}, on a site whose catalogue items are all newer."""
    settings.LISTING_CACHE_ENABLED = True
    proactive, parents, _unit = build_tree()
    home = proactive.get_parent().get_parent()
    column = make_column(home, "基准动态", parents[0].owning_unit, slug="jzdt")
    sub_column = make_column(column, "基准子栏目", parents[0].owning_unit, slug="jzzlm")
    topic = SpecialTopicPage(title="基准专题", slug="jzzt", owning_unit=parents[0].owning_unit)
    column.add_child(instance=topic)
    topic.save_revision().publish()
    for parent in (column, sub_column, topic):
        parent.refresh_from_db()
        bulk_articles(parent, ARTICLES, hours_back=24 * 800)  # older than every catalogue item
    bulk_items(parents, 0, 300, (2025, 2026))  # ends with ANALYZE
    if connection.vendor == "sqlite":
        statistics_of_a_larger_site(SCALE)
    monkeypatch.setattr(keyset, "BOUNDED_COUNT", 10)
    # The listing cache keeps each first page: its query, run after every change of pages, is checked here.
    monkeypatch.setattr(keyset.KeysetListing, "_asks_first_page", staticmethod(lambda params: False))
    listing_cache.bump()
    pages = {SpecialTopicPage: topic}
    for model in keyset_listing_models():
        pages.setdefault(model, model.objects.get(pk=column.pk) if isinstance(column, model) else None)
    assert all(pages.values()), f"a listing page type without a page here: {pages}"
    return pages


def keyset_listing_models():
    """Page types that show ListingMixin's keyset listing: those that list another way override its methods."""
    return [
        model
        for model in get_page_models()
        if issubclass(model, ListingMixin)
        and model.paginate_listing is ListingMixin.paginate_listing
        and model.get_context is ListingMixin.get_context
    ]


def links(response):
    return {rel: query.replace("&amp;", "&") for query, rel in LINK.findall(response.content.decode())}


def paging_queries(client, page):
    """{name: query string} of every way to reach a page of the listing."""
    first = links(client.get(page.url))
    last = links(client.get(f"{page.url}?{first['last']}"))
    second = links(client.get(f"{page.url}?{first['next']}"))
    assert "after=" in first["next"] and "before=" in last["prev"] and "after=" in second["next"], (first, last)
    return {
        "first": "",
        "last by its link": first["last"],
        "page=last": "page=last",
        "next by cursor": first["next"],
        "third by cursor": second["next"],
        "previous by cursor": last["prev"],
        "typed number": "page=2",
    }


def row_plans(client, url, explain="EXPLAIN QUERY PLAN "):
    """{sql: plan lines} of the request's queries that read the listing's rows in order."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.context["listing"].object_list, url
    found = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        if "substr(" in sql or LISTING_ORDER.search(sql):
            with connection.cursor() as cursor:
                cursor.execute(explain + sql)
                found[sql] = [row[-1] for row in cursor.fetchall()]
    assert found, f"{url}: no listing query captured"
    return found


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans (tests/disclosure/test_listing_plans.py)")
def test_every_way_to_a_long_column_page_reads_its_parents_index_only(client, listings):
    for model, page in listings.items():
        for way, query in paging_queries(client, page).items():
            for sql, lines in row_plans(client, f"{page.url}?{query}").items():
                where = f"{model.__name__} {way}: {sql[:200]} -> {lines}"
                assert any("site_pages_page_parent_order" in line for line in lines), where
                assert not any(PAGE_TABLE_READ_WHOLE.match(line) for line in lines), where
                assert not any(SITE_DATE_INDEX.search(line) for line in lines), where


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_postgresql_can_walk_the_parents_index_for_every_way_to_a_page(client, listings):
    """At the test's size PostgreSQL rightly reads the small table whole; with whole reads priced out it shows
    whether the index can serve the query: the expression written as the index has it, each parent's rows in order
    (a sort of each parent's rows would mean the order was not the index's). Several parents are one walk of the
    index run for each of them (LATERAL over their paths, keyset.KeysetListing._union_made_by)."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    for model, page in listings.items():
        parents = len(keyset.parents_below(page))
        for way, query in paging_queries(client, page).items():
            for sql, lines in row_plans(client, f"{page.url}?{query}", "EXPLAIN (COSTS OFF) ").items():
                where = f"{model.__name__} {way}: {sql[:200]} -> {lines}"
                walks = [line for line in lines if "using site_pages_page_parent_order on wagtailcore_page" in line]
                assert len(walks) == 1, where
                assert (parents > 1) == any("Function Scan on unnest made_by" in line for line in lines), where
                assert not any("Seq Scan on wagtailcore_page" in line for line in lines), where
                sort_keys = [line for line in lines if "Sort Key:" in line and "first_published_at" in line]
                assert len(sort_keys) <= (1 if parents > 1 else 0), where


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans (tests/disclosure/test_listing_plans.py)")
def test_the_parents_of_a_listing_are_read_by_the_partial_index(listings):
    """Not the path range, which holds every article below the column. Planned with its parameters bound, as it
    runs: SQLite uses a partial index for `numchild > ?` only when the bound value implies its `numchild > 0`."""
    for page in listings.values():
        sql, params = keyset.parent_pages_below(page).values_list("path").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [row[-1] for row in cursor.fetchall()]
        (line,) = lines
        assert re.fullmatch(
            r"SEARCH wagtailcore_page USING (COVERING )?INDEX site_pages_page_parents \(path>\? AND path<\?\)", line
        )


def test_a_long_listing_reads_one_source_per_parent(client, listings):
    """The column, its sub-column and its special topic are the three parents of the column's listing: one query
    reads a page of each. On SQLite each part of a UNION names its parent twice (in its LIMIT subquery and in its
    own filter); PostgreSQL runs one part for each of the three paths (LATERAL)."""
    column = listings[next(model for model in listings if model is not SpecialTopicPage)]
    client.get(column.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(column.url)
    (sql,) = [q["sql"] for q in queries.captured_queries if "substr(" in q["sql"]]
    if connection.vendor == "postgresql":
        paths = keyset.parents_below(column)
        assert len(paths) == 3 and all(path in sql for path in paths), sql
        assert sql.count("substr(") == 1 and "CROSS JOIN LATERAL" in sql and "UNION" not in sql, sql
    else:
        assert sql.count("substr(") == 2 * 3 and sql.count("UNION ALL") == 2, sql


@pytest.mark.django_db
def test_migration_creates_the_column_indexes():
    definitions = {
        name: " ".join((sql or "").lower().split()) for name, sql in table_indexes("wagtailcore_page").items()
    }
    parent_order = definitions["site_pages_page_parent_order"]
    assert "substr" in parent_order and "length" in parent_order, parent_order
    assert parent_order.index("first_published_at") < parent_order.rindex("id"), parent_order
    assert "numchild > 0" in definitions["site_pages_page_parents"], definitions["site_pages_page_parents"]
