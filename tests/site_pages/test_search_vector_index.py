"""The ranked search reads only the index entries that hold its words (site_pages 0017 on PostgreSQL).

Wagtail's PostgreSQL search backend keeps the entries whose `title || body` matches the query, and PostgreSQL uses an
index on an expression only for that same expression. At a test's size the planner rightly reads the few entries
whole, so with whole reads priced out the plan shows whether the index can serve the match at all: if the backend
changed its expression, nothing would, and every search would read every entry again (1.7-2.1 s of SQL at 200,000
entries; docs/deployment.md, "Search at scale").
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_content

INDEX = "site_pages_indexentry_title_body"
# The backend's own expression, as it writes it into the search's SQL.
MATCH = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'


def entry_indexes():
    if connection.vendor == "sqlite":
        sql = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'wagtailsearch_indexentry' AND type = 'index'"
    else:
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_the_index_exists_on_postgresql_alone():
    definitions = entry_indexes()
    if connection.vendor == "postgresql":
        assert "gin (((title || body)))" in definitions[INDEX], definitions[INDEX]
    else:  # SQLite's backend searches its FTS5 table
        assert INDEX not in definitions, definitions


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend and plans")
def test_the_search_matches_by_the_indexed_expression(client, portal):
    for number in range(3):
        make_content(portal["a"], title=f"柠檬产业发展第{number}次推进会", slug=f"nm{number}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "柠檬产业"})
    assert response.status_code == 200 and len(response.context["hits"]) == 3
    (sql,) = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert MATCH in sql, sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN (COSTS OFF) SELECT id FROM wagtailsearch_indexentry WHERE (title || body) @@ to_tsquery(%s)",
            ["柠檬 & 产业"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEX in plan, plan
