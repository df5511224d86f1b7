"""The public search reads its matches newest first and stops (site_pages.search_recent, migration 0018)."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from site_pages import search, search_recent
from site_pages.models import ArticlePage, NoticePage
from site_pages.search import SearchForm, run_search
from tests.factories import make_content

pytestmark = pytest.mark.usefixtures("shared_portal")
migration = importlib.import_module("site_pages.migrations.0018_search_recent")
MINUTES_SINCE_1900 = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def filed():
    """{page id: publication to the minute, or None for a live page never published}, as the index keeps it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT recent_key FROM {search_recent.RECENT_KEYS}")
            keys = [key for (key,) in cursor.fetchall()]
            cursor.execute(f"SELECT rowid FROM {search_recent.RECENT_TABLE}")
            assert sorted(row for (row,) in cursor.fetchall()) == sorted(keys)
            return {
                key % search_recent.KEY_SPAN: MINUTES_SINCE_1900
                + datetime.timedelta(minutes=key // search_recent.KEY_SPAN)
                if key // search_recent.KEY_SPAN
                else None
                for key in keys
            }
        cursor.execute(
            f"SELECT object_id, NULLIF({search_recent.PUBLISHED_COLUMN}, '-infinity') "  # noqa: S608 - constants
            f"FROM wagtailsearch_indexentry WHERE {search_recent.PUBLISHED_COLUMN} IS NOT NULL"
        )
        return {int(object_id): published for object_id, published in cursor.fetchall()}


def expected():
    """Every live page with an index entry of its own type, and its first publication to the minute."""
    entries = set(IndexEntry.objects.values_list("content_type_id", "object_id"))
    return {
        page.pk: page.first_published_at.replace(second=0, microsecond=0) if page.first_published_at else None
        for page in Page.objects.filter(live=True)
        if (page.content_type_id, str(page.pk)) in entries
    }


def to_the_minute(found):
    return {pk: published.replace(second=0, microsecond=0) if published else None for pk, published in found.items()}


def test_every_live_page_is_filed_with_its_publication_through_its_whole_life(portal):
    page = make_content(portal["a"], title="柠檬产业发展推进会", text="柠檬产业")
    draft = make_content(portal["a"], title="柠檬产业草稿", text="柠檬产业", publish=False)
    steps = {"published": lambda: None}
    steps["edited and published again"] = lambda: page.save_revision().publish()
    steps["unpublished"] = lambda: page.unpublish()
    steps["published again"] = lambda: page.save_revision().publish()
    steps["dated earlier without indexing"] = lambda: Page.objects.filter(pk=page.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=400)
    )
    steps["made live without a date"] = lambda: Page.objects.filter(pk=draft.pk).update(live=True)
    steps["deleted"] = lambda: Page.objects.get(pk=page.pk).delete()
    for step, run in steps.items():
        run()
        assert expected(), step
        assert to_the_minute(filed()) == expected(), step
    assert page.pk not in filed()
    assert filed()[draft.pk] is None


@pytest.mark.django_db(transaction=False)
def test_the_migration_files_the_pages_already_indexed(portal):
    for number in range(3):
        make_content(portal["a"], title=f"已有信息第{number}条", slug=f"old{number}")
    with connection.cursor() as cursor:
        # The statements as the migration runs them (a schema editor cannot open inside a test's transaction).
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        if connection.vendor == "postgresql":
            # The pages' deferred foreign key checks would otherwise forbid altering the entries' table.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration._run({"sqlite": migration.SQLITE_REVERSE, "postgresql": migration.POSTGRESQL_REVERSE})(None, editor)
        migration._run({"sqlite": migration.SQLITE, "postgresql": migration.POSTGRESQL})(None, editor)
    assert len(expected()) >= 3
    assert to_the_minute(filed()) == expected()


def dated(column, title, text, days_ago, model=ArticlePage):
    page = make_content(column, model=model, title=title, text=text)
    Page.objects.filter(pk=page.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=days_ago))
    return page


def test_a_search_ranks_the_newest_matches_and_keeps_every_title_match(portal, monkeypatch, client):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    bodies = [dated(portal["a"], f"工作动态第{n}期", "全县柠檬产业稳步发展。", days_ago=n) for n in range(1, 7)]
    titled = dated(portal["b"], "柠檬产业发展规划", "规划全文。", days_ago=900, model=NoticePage)
    outcome = run_search(SearchForm({"q": "柠檬产业"}))
    assert outcome.truncated
    # The title match ranks first however old; then the body matches among the newest MAX_RESULTS + 1.
    # (Equal texts score alike, so the body matches go by recency.)
    assert outcome.ids == [titled.pk, bodies[0].pk, bodies[1].pk]
    # The reader is told what the list holds and how to narrow it.
    page = client.get("/search/", {"q": "柠檬产业"}).content.decode()
    assert "其中最新的 3 条，按相关度排列" in page and "请增加关键词或使用筛选" in page


def test_filters_apply_before_the_newest_matches_are_taken(portal, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    for n in range(1, 5):
        dated(portal["a"], f"工作动态第{n}期", "全县柠檬产业稳步发展。", days_ago=n)
    notice = dated(portal["b"], "工作通知", "柠檬产业工作安排。", days_ago=30, model=NoticePage)
    outcome = run_search(SearchForm({"q": "柠檬产业", "type": "notice"}))
    assert outcome.ids == [notice.pk] and not outcome.truncated


def walks_and_scorings(ctx):
    """The statements that walked matches in date order, and those that read scores, of a captured search."""
    marker = search_recent.RECENT_TABLE if connection.vendor == "sqlite" else search_recent.PUBLISHED_COLUMN
    score = "bm25(" if connection.vendor == "sqlite" else "ts_rank("
    sqls = [query["sql"] for query in ctx.captured_queries]
    return [sql for sql in sqls if marker in sql and "ORDER BY" in sql], [sql for sql in sqls if score in sql]


def candidate_statements(portal, monkeypatch):
    """The whole-text pass and the title pass (which a search by score reads first), as {vector: statement}."""
    monkeypatch.setattr(search, "MAX_RESULTS", 1)
    for n in range(1, 4):
        dated(portal["a"], f"工作动态第{n}期", "全县柠檬产业稳步发展。", days_ago=n)
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_search(SearchForm({"q": "柠檬产业"}))
    assert len(outcome.ids) == 1 and outcome.truncated
    statements, _scorings = walks_and_scorings(ctx)
    assert len(statements) == 2, statements
    if connection.vendor == "sqlite":
        return dict(zip(("title", "body"), statements, strict=True))
    return {vector: next(sql for sql in statements if f"e.{vector} @@" in sql) for vector in ("body", "title")}


@pytest.mark.parametrize("left_out", [1, 20])
def test_a_walk_goes_on_past_the_pages_the_filters_leave_out(portal, monkeypatch, township_b, left_out):
    """Newer matches of another unit take no slot and do not end the walk: one is absorbed by what PostgreSQL reads
    beyond the limit, twenty fill that whole read (the rest is read with the filters inside the walk)."""
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    for n in range(left_out):
        dated(portal["a"], f"石羊动态第{n}期", "全县柠檬产业稳步发展。", days_ago=1 + n / 10)
    ours = [dated(portal["b"], f"龙台动态第{n}期", "全县柠檬产业稳步发展。", days_ago=10 + n) for n in range(4)]
    outcome = run_search(SearchForm({"q": "柠檬产业", "unit": township_b.pk}))
    assert outcome.ids == [ours[0].pk, ours[1].pk] and outcome.truncated


def test_only_the_pages_ranked_by_their_score_are_scored(portal):
    titled = dated(portal["a"], "柠檬产业动态", "全县柠檬产业稳步发展。", days_ago=1)
    bodies = [dated(portal["a"], f"工作动态第{n}期", "全县柠檬产业稳步发展。", days_ago=1 + n) for n in range(1, 3)]
    rows = search_recent.candidates(
        "柠檬产业", Page.objects.live(), 10, lambda title: 0 if "柠檬产业" in title else None
    )
    scores = {row[0]: row[-1] for row in rows}
    assert scores[titled.pk] is None and all(scores[page.pk] is not None for page in bodies)
    assert rows[-1][0] == titled.pk, "the scored rows come first"


def test_title_matches_filling_the_list_leave_nothing_to_score_or_to_read_further(portal, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    titled = [dated(portal["a"], f"柠檬产业动态第{n}期", "全县柠檬产业稳步发展。", days_ago=n) for n in range(1, 4)]
    dated(portal["b"], "工作动态", "柠檬产业", days_ago=10)
    dated(portal["b"], "柠檬产业发展规划", "规划全文。", days_ago=900, model=NoticePage)
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_search(SearchForm({"q": "柠檬产业"}))
    # Newer titles holding the query as typed rank before any older one: there is no room for the title pass.
    assert outcome.ids == [titled[0].pk, titled[1].pk] and outcome.truncated
    walks, scorings = walks_and_scorings(ctx)
    assert len(walks) == 1 and not scorings, (walks, scorings)


def test_reading_the_titles_first_ranks_as_reading_the_whole_text_first(portal, monkeypatch, township_b):
    """A mix of titles holding the query as typed (0), titles holding its words apart (1) and bodies alone (None),
    in two units, one page never published, ranks the same at every cap and filter whether a search by score reads
    the title matches first or not. Both ways of reading them first are taken: the title matches alone filling
    the list, and all of them read before the whole text, which then reads no title again."""
    titles = {
        0: ("柠檬产业动态第{}期", "简讯。"),
        # Every pair of the query's characters, but not the query: a title match of rank 1.
        1: ("柠檬产地与产业第{}期", "简讯。"),
        None: ("工作动态第{}期", "全县柠檬产业稳步发展。"),
    }
    mix = [(1, 1, "a"), (1, 2, "a"), (0, 3, "b"), (None, 4, "a"), (None, 4.5, "b"), (0, 5, "b"), (0, 6, "a")]
    mix += [(None, 6.5, "a"), (None, 7, "a"), (1, 8, "a"), (0, 9, "a"), (0, None, "a"), (None, 10, "b")]
    mix += [(None, 0.5, "b"), (1, 5.5, "b")]
    for n, (rank, days_ago, unit) in enumerate(mix):
        title, text = titles[rank]
        page = dated(portal[unit], title.format(n), text, days_ago=days_ago or 0)
        if days_ago is None:
            Page.objects.filter(pk=page.pk).update(first_published_at=None)
    calls = {}
    real = search_recent.candidates

    def reading(titles_first):
        def candidates(*args, **kwargs):
            with CaptureQueriesContext(connection) as ctx:
                rows = real(*args, **{**kwargs, "titles_first": titles_first and kwargs["titles_first"]})
            calls.setdefault(titles_first, []).append(len(walks_and_scorings(ctx)[0]))
            return rows

        return candidates

    for cap in range(1, 15):
        monkeypatch.setattr(search, "MAX_RESULTS", cap)
        for filters in ({}, {"unit": township_b.pk}, {"sort": "date"}):
            outcomes = []
            for titles_first in (False, True):
                monkeypatch.setattr(search_recent, "candidates", reading(titles_first))
                outcome = run_search(SearchForm({"q": "柠檬产业", **filters}))
                outcomes.append((outcome.ids, outcome.truncated))
            assert outcomes[0] == outcomes[1], (cap, filters, outcomes)
    # Read first, the titles alone answered some searches; other searches read every title match first and
    # then the whole text, without reading the titles again.
    assert 1 in calls[True] and 2 in calls[True], calls


def test_titles_holding_the_query_fill_the_list_without_reading_the_whole_text(portal, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    titled = [dated(portal["a"], f"柠檬产业动态第{n}期", "简讯。", days_ago=n) for n in range(3, 6)]
    newer = dated(portal["b"], "工作动态", "全县柠檬产业稳步发展。", days_ago=1)
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_search(SearchForm({"q": "柠檬产业"}))
    assert outcome.ids == [titled[0].pk, titled[1].pk] and outcome.truncated
    walks, scorings = walks_and_scorings(ctx)
    assert len(walks) == 1 and not scorings, (walks, scorings)
    if connection.vendor == "postgresql":
        assert "e.title @@" in walks[0], walks
    # By date the newer page whose body alone holds the query comes first: the whole text is read.
    outcome = run_search(SearchForm({"q": "柠檬产业", "sort": "date"}))
    assert outcome.ids == [newer.pk, titled[0].pk]


def test_a_search_by_date_scores_nothing_and_reads_no_older_titles(portal, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    bodies = [dated(portal["a"], f"工作动态第{n}期", "全县柠檬产业稳步发展。", days_ago=n) for n in range(1, 4)]
    dated(portal["b"], "柠檬产业发展规划", "规划全文。", days_ago=900, model=NoticePage)
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_search(SearchForm({"q": "柠檬产业", "sort": "date"}))
    assert outcome.ids == [bodies[0].pk, bodies[1].pk] and outcome.truncated
    walks, scorings = walks_and_scorings(ctx)
    assert len(walks) == 1 and not scorings, (walks, scorings)


def test_recency_is_read_to_the_microsecond_and_a_page_never_published_comes_last(portal):
    """The database gives each match's first publication in seconds since the epoch: two pages a microsecond
    apart keep their order against their ids, and a live page without a date sorts after every dated one."""
    moment = timezone.now() - datetime.timedelta(days=2)
    later, earlier, undated = (
        make_content(portal["a"], title=f"工作动态第{n}期", text="全县柠檬产业稳步发展。") for n in range(3)
    )
    Page.objects.filter(pk=later.pk).update(first_published_at=moment + datetime.timedelta(microseconds=1))
    Page.objects.filter(pk=earlier.pk).update(first_published_at=moment)
    Page.objects.filter(pk=undated.pk).update(first_published_at=None)
    rows = search_recent.candidates("柠檬产业", Page.objects.filter(pk__in=[later.pk, earlier.pk, undated.pk]), 10)
    assert {row[0]: row[2] for row in rows} == {
        later.pk: (moment + datetime.timedelta(microseconds=1)).timestamp(),
        earlier.pk: moment.timestamp(),
        undated.pk: 0.0,
    }
    outcome = run_search(SearchForm({"q": "柠檬产业", "sort": "date"}))
    mine = [pk for pk in outcome.ids if pk in (later.pk, earlier.pk, undated.pk)]
    assert mine == [later.pk, earlier.pk, undated.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_sqlite_walks_the_full_text_index_newest_first_without_sorting(portal, monkeypatch):
    for sql in candidate_statements(portal, monkeypatch).values():
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            steps = [row[-1] for row in cursor.fetchall()]
        assert steps[0].startswith("SCAN r VIRTUAL TABLE"), steps
        assert not any("TEMP B-TREE" in step for step in steps), steps
        assert any("wagtailcore_page USING INTEGER PRIMARY KEY (rowid=?)" in step for step in steps), steps


def gin_index(column):
    """The name of Wagtail's GIN index on the entries' `column`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry' AND indexdef LIKE %s",
            [f"%USING gin ({column})"],
        )
        (name,) = cursor.fetchone()
    return name


def postgresql_plan(sql, *priced_out):
    with connection.cursor() as cursor:
        for setting in priced_out:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (COSTS OFF) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in priced_out:
            cursor.execute(f"SET LOCAL {setting} = on")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_can_walk_the_publication_index_or_read_the_matches_by_gin(portal, monkeypatch):
    """Common words: walk the publication index newest first and stop; rare words: read their matches by GIN."""
    statements = candidate_statements(portal, monkeypatch)
    for sql in statements.values():
        plan = postgresql_plan(sql, "enable_seqscan", "enable_bitmapscan", "enable_sort")
        assert f"Index Scan using wagtailsearch_indexentry_{search_recent.PUBLISHED_COLUMN}" in plan, plan
        assert "Sort" not in plan, plan
    # On a few rows the planner may prefer a bitmap of the publication index; without it, GIN must serve.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX wagtailsearch_indexentry_{search_recent.PUBLISHED_COLUMN}")
        for vector, sql in statements.items():
            plan = postgresql_plan(sql, "enable_seqscan", "enable_indexscan")
            assert f"Bitmap Index Scan on {gin_index(vector)}" in plan, plan
        transaction.set_rollback(True)


def test_another_backend_ranks_by_itself(monkeypatch):
    class Engine:
        query_compiler_class = type("ElasticsearchSearchQueryCompiler", (), {})

    monkeypatch.setattr(search_recent, "get_search_backend", Engine)
    assert search_recent.candidates("柠檬产业", Page.objects.all(), 10) is None
    assert search_recent.candidates("", Page.objects.all(), 10) == []
