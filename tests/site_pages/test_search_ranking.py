"""The database backends' ranked search: Wagtail's ranking in leaner queries (site_pages.search_sqlite and
search_postgres)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Phrase

from site_pages.models import ArticlePage, NoticePage
from site_pages.segmentation import segment_query
from tests.factories import make_content

pytestmark = pytest.mark.usefixtures("shared_portal")

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text query")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranked query")

QUERIES = ("柠檬产业", "柠檬 论坛", "安岳县城", "产业")


@pytest.fixture
def ranked(portal):
    """Pages matching 柠檬产业 to different degrees, of two types, one not live and one not matching at all."""
    pages = []
    for n in range(1, 7):
        model = NoticePage if n % 2 else ArticlePage
        text = "安岳县城举办柠檬产业论坛。" * n + "其他工作安排。" * (7 - n)
        pages.append(make_content(portal["a"], model=model, title=f"第{n}期柠檬产业简报", text=text))
    make_content(portal["a"], title="柠檬产业草稿", text="柠檬产业", publish=False)
    make_content(portal["b"], title="卧佛院石刻保护", text="文物保护")
    return pages


def wagtails_own(backend, query, queryset, **kwargs):
    """The same search through Wagtail's compiler, which the segmenting backend's class replaces."""
    ours = type(backend).query_compiler_class
    backend.query_compiler_class = next(c for c in ours.__mro__ if c.__module__.startswith("modelsearch."))
    try:
        results = backend.search(query, queryset, **kwargs).annotate_score("_score")
        return [(page.pk, page._score) for page in results]
    finally:
        del backend.query_compiler_class


@pytest.mark.parametrize("model", [Page, NoticePage])
@pytest.mark.parametrize("by_relevance", [True, False])
def test_the_ranking_is_wagtails_own(ranked, model, by_relevance):
    backend = get_search_backend()
    queryset = model.objects.live()
    # Every query in one test: building the pages costs far more than the searches.
    for query in QUERIES:
        results = backend.search(query, queryset, order_by_relevance=by_relevance).annotate_score("_score")
        ours = [(page.pk, page._score) for page in results]
        theirs = wagtails_own(backend, segment_query(query), queryset, order_by_relevance=by_relevance)
        assert ours, query
        assert [pk for pk, _score in ours] == [pk for pk, _score in theirs], query
        assert [score for _pk, score in ours] == pytest.approx([score for _pk, score in theirs]), query


def test_the_backend_of_each_database_has_its_leaner_compiler():
    compiler = type(get_search_backend()).query_compiler_class
    assert compiler.__module__ == "site_pages.search_backend", compiler


def ranked_statement(ranked, marker):
    """The backend's one statement holding `marker` (the admin's search; the public search reads
    site_pages.search_recent first), after checking that the search found every page."""
    with CaptureQueriesContext(connection) as ctx:
        found = list(get_search_backend().search("柠檬产业", Page.objects.live()).annotate_score("_score"))
    assert {page.pk for page in found} == {page.pk for page in ranked}
    (sql,) = [query["sql"] for query in ctx.captured_queries if marker in query["sql"]]
    return sql


@sqlite_only
def test_the_full_text_query_runs_once_and_finds_each_page_by_its_key(ranked):
    ranked_sql = ranked_statement(ranked, " MATCH ")
    # The full-text query drives; each match finds its entry and its page by primary key, not by a scan.
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ranked_sql)
        steps = [row[-1] for row in cursor.fetchall() if "wagtail" in row[-1]]
    assert steps[0].startswith("SCAN wagtailsearch_indexentry_fts VIRTUAL TABLE"), steps
    assert all(step.endswith("USING INTEGER PRIMARY KEY (rowid=?)") for step in steps[1:]), steps
    assert {step.split()[1] for step in steps[1:]} == {"wagtailsearch_indexentry", "wagtailcore_page"}, steps


def test_unranked_phrase_and_sliced_searches_still_match(ranked):
    backend = get_search_backend()
    unranked = backend.search("柠檬产业", Page.objects.live(), order_by_relevance=False)
    assert {page.pk for page in unranked} == {page.pk for page in ranked}
    assert {page.pk for page in backend.search(Phrase("柠檬产业"), Page.objects.live())} == {p.pk for p in ranked}
    ordered = [page.pk for page in backend.search("柠檬产业", Page.objects.live())]
    assert [page.pk for page in backend.search("柠檬产业", Page.objects.live())[2:4]] == ordered[2:4]
    assert len(set(ordered)) == len(ordered) == len(ranked)


@postgresql_only
def test_the_ranked_rows_carry_no_text_vector_and_the_filter_keeps_the_indexed_expression(ranked):
    ranked_sql = ranked_statement(ranked, "ts_rank")
    selected = ranked_sql.split(" FROM ", 1)[0]
    assert "_vector_" not in selected and "||" not in selected
    # The expression of the GIN index of site_pages 0017 (tests/site_pages/test_search_indexes.py plans it).
    assert '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@' in ranked_sql
