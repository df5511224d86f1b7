"""The ranked search finds each matched page by an index (site_pages 0016 on PostgreSQL), not by reading every page.

Wagtail's PostgreSQL search backend joins a page to its index entry on CAST(page.id AS varchar(50)) =
entry.object_id; PostgreSQL uses an index on an expression only for the same expression. At a test's size the planner
rightly reads the small page table whole, so with whole reads and the joins that need them priced out the plan shows
whether the index can serve the join at all: if the backend changed its cast, nothing would, and the search would
read the whole page table again at 200,000 pages (tests/benchmarks/bench_pages.py --large).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_content

INDEX = "site_pages_page_id_text"


def page_indexes():
    if connection.vendor == "sqlite":
        sql = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'wagtailcore_page' AND type = 'index'"
    else:
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'wagtailcore_page'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_the_index_exists_on_postgresql_alone():
    definitions = page_indexes()
    if connection.vendor == "postgresql":
        assert "((id)::character varying(50))" in definitions[INDEX], definitions[INDEX]
    else:  # SQLite's backend takes the pages by id IN (the matched entries), which the primary key serves
        assert INDEX not in definitions, definitions


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend and plans")
def test_the_search_joins_its_matches_to_pages_by_the_indexed_expression(client, portal):
    """The join names the expression the index is built on, and a page sought by that expression is found through the
    index. Which side of the join the planner reads first depends on the statistics of the moment (at a test's size
    it may walk the pages of the searched types and look their entries up instead), so the plan of the search itself
    is not asserted beyond naming it or walking it; at 200,000 pages bench_pages --large shows the index walked."""
    for number in range(3):
        make_content(portal["a"], title=f"柠檬产业发展第{number}次推进会", slug=f"nm{number}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "柠檬产业"})
    assert response.status_code == 200 and len(response.context["hits"]) == 3
    (sql,) = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (COSTS OFF) " + sql)
        search_plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        page = portal["a"].get_children().first()
        cursor.execute(
            "EXPLAIN (COSTS OFF) SELECT id FROM wagtailcore_page WHERE (id)::varchar(50) = %s", [str(page.pk)]
        )
        lookup_plan = "\n".join(row[0] for row in cursor.fetchall())
    # Either the planner walks the index already, or its join names the expression the index serves.
    assert INDEX in search_plan or "(wagtailcore_page.id)::character varying(50)" in search_plan, search_plan
    assert f"using {INDEX} on wagtailcore_page" in lookup_plan, lookup_plan
