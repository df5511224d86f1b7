"""The one-character search is read in the order of an index (site_pages 0014 on PostgreSQL): newest first, undated
pages last, the page id breaking ties, so the database stops at the cap of results instead of sorting every page
that shares a publication time (bench_listings: 99,000 such pages cost 55 ms, the index walk under a millisecond)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from site_pages.search import MAX_RESULTS
from tests.factories import make_content

ORDER = '"wagtailcore_page"."first_published_at" DESC NULLS LAST'


def title_query(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    capped = f"LIMIT {MAX_RESULTS + 1}"
    (sql,) = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"] and capped in q["sql"]]
    return response, sql


def test_titles_come_newest_first_ties_by_id_undated_last(client, portal):
    moment = timezone.now() - datetime.timedelta(days=1)
    pages = [make_content(portal["a"], title=f"柚子{number}", slug=f"yz{number}") for number in range(4)]
    Page.objects.filter(pk__in=[p.pk for p in pages[:3]]).update(first_published_at=moment)
    Page.objects.filter(pk=pages[3].pk).update(first_published_at=None)
    response, sql = title_query(client, "柚")
    assert ORDER in sql
    shown = [hit.page.pk for hit in response.context["hits"]]
    assert shown == [pages[2].pk, pages[1].pk, pages[0].pk, pages[3].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's first_published_at index ends with the id")
@pytest.mark.django_db
def test_postgresql_has_an_index_in_that_order():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailcore_page'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("(first_published_at DESC NULLS LAST, id DESC)" in d for d in definitions), definitions
