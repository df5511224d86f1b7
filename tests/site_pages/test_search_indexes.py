"""The ranked search's two indexes on PostgreSQL: it reads only the index entries that hold its words (site_pages
0017), and finds each matched page by an index (0016), instead of reading every entry and every page.

Wagtail's PostgreSQL search backend keeps the entries whose `title || body` matches the query, and joins a page to
its entry on CAST(page.id AS varchar(50)) = entry.object_id; PostgreSQL uses an index on an expression only for that
same expression. At a test's size the planner rightly reads the few rows whole, so with whole reads priced out the
plan shows whether an index can serve the expression at all: if the backend changed either expression, nothing
would, and a search would read every entry (1.7-2.1 s of SQL at 200,000 entries; docs/deployment.md, "Search at
scale") or the whole page table again (tests/benchmarks/bench_pages.py --large).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from tests.factories import make_content

PAGE_INDEX = "site_pages_page_id_text"
ENTRY_INDEX = "site_pages_indexentry_title_body"
# The backend's own match, as it writes it into the search's SQL.
MATCH = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend and plans")


def table_indexes(table):
    if connection.vendor == "sqlite":
        sql = "SELECT name, sql FROM sqlite_master WHERE tbl_name = %s AND type = 'index'"
    else:
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
        return dict(cursor.fetchall())


def plan(sql, params=(), *priced_out):
    with connection.cursor() as cursor:
        for setting in priced_out:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def search_sql(portal):
    """The SQL of a search that finds three pages."""
    for number in range(3):
        make_content(portal["a"], title=f"柠檬产业发展第{number}次推进会", slug=f"nm{number}")
    # The backend's ranked search (the admin's); site_pages.search_recent's statements are planned in
    # test_search_recent.
    with CaptureQueriesContext(connection) as queries:
        found = list(get_search_backend().search("柠檬产业", Page.objects.live()).annotate_score("_score"))
    assert len(found) == 3
    (sql,) = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    return sql


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "index", "definition"),
    [
        ("wagtailcore_page", PAGE_INDEX, "((id)::character varying(50))"),
        ("wagtailsearch_indexentry", ENTRY_INDEX, "gin (((title || body)))"),
    ],
)
def test_the_indexes_exist_on_postgresql_alone(table, index, definition):
    definitions = table_indexes(table)
    if connection.vendor == "postgresql":
        assert definition in definitions[index], definitions[index]
    else:  # SQLite's backend searches its FTS5 table and takes the pages by id IN (the matches): the keys serve it
        assert index not in definitions, definitions


@postgresql_only
def test_the_search_joins_its_matches_to_pages_by_the_indexed_expression(search_sql, portal):
    """The join names the expression the index is built on, and a page sought by that expression is found through the
    index. Which side of the join the planner reads first depends on the statistics of the moment (at a test's size
    it may walk the pages of the searched types and look their entries up instead), so the plan of the search itself
    is not asserted beyond naming it or walking it; at 200,000 pages bench_pages --large shows the index walked."""
    search_plan = plan(search_sql)
    page = portal["a"].get_children().first()
    lookup_plan = plan(
        "SELECT id FROM wagtailcore_page WHERE (id)::varchar(50) = %s",
        [str(page.pk)],
        "enable_seqscan",
        "enable_bitmapscan",
    )
    # Either the planner walks the index already, or its join names the expression the index serves.
    assert PAGE_INDEX in search_plan or "(wagtailcore_page.id)::character varying(50)" in search_plan, search_plan
    assert f"using {PAGE_INDEX} on wagtailcore_page" in lookup_plan, lookup_plan


@postgresql_only
def test_the_search_matches_entries_by_the_indexed_expression(search_sql):
    assert MATCH in search_sql, search_sql
    match_plan = plan(
        "SELECT id FROM wagtailsearch_indexentry WHERE (title || body) @@ to_tsquery(%s)",
        ["柠檬 & 产业"],
        "enable_seqscan",
    )
    assert ENTRY_INDEX in match_plan, match_plan
