"""Search results served from the page cache with every search still counted (site_pages.search_counts), and the
per-hit action of stored pages (cms.pagecache.middleware.run_on_hit).

With Redis (the production caches against a redis-server of this test's own, see tests/security/test_outages.py)
a search writes nothing to the database, so its page is stored; each hit counts through the stored action, and a
flush moves the counts into SearchQueryStat exactly once. With local memory a search writes its count as before and
its page is not stored.
"""

import logging
from urllib.parse import urlencode

import pytest
import redis
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cms.pagecache import keys
from cms.pagecache.keys import ENTRY_FORMAT, page_cache
from cms.pagecache.local import local_pages
from cms.pagecache.middleware import HEADER
from site_pages import search_counts
from site_pages.models import SearchQueryStat
from tests.factories import make_content
from tests.pagecache.conftest import generation, warm
from tests.pagecache.test_wsgi import app, call  # noqa: F401 - fixture
from tests.security.test_outages import on_redis, production_caches, redis_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]
FOUND_QUERY = "石羊镇"
ZERO_QUERY = "查无此词"


@pytest.fixture
def article(portal):
    return make_content(portal["a"], title="石羊镇搜索缓存测试信息", text="正文")


@pytest.fixture
def counted_in_redis(on_redis, settings):  # noqa: F811
    """The production caches on a real Redis, the page cache on and empty; no outage pause left behind."""
    settings.PAGE_CACHE_ENABLED = True
    local_pages.clear()
    yield on_redis
    local_pages.clear()
    keys.outage_pause.end()
    search_counts.outage_pause.end()


def stat(query):
    row = SearchQueryStat.objects.filter(query=query).first()
    return (row.searches, row.zero_results) if row else (0, 0)


def search(client, query, **extra):
    response = client.get("/search/", {"q": query, **extra})
    assert response.status_code == 200
    return response


def test_searches_are_stored_served_as_hits_and_each_counted_once(counted_in_redis, portal, article, app):  # noqa: F811
    application, django = app
    client = Client()
    warm(client, "/")  # the site's settings row is made by the first page rendered
    states = [search(client, FOUND_QUERY).get(HEADER) for _ in range(4)]
    assert states == ["miss", "hit", "hit", "hit"]
    assert article.url in search(client, FOUND_QUERY).content.decode()
    # The WSGI front answers the same key: Django is not reached, the hit still counts.
    calls = django.calls
    for _ in range(3):
        answer = call(application, "/search/", QUERY_STRING=urlencode({"q": FOUND_QUERY}))
        assert answer["headers"][HEADER] == "hit" and article.url in answer["body"].decode()
    assert django.calls == calls
    # A HEAD shows no results: not a search.
    assert call(application, "/search/", "HEAD", QUERY_STRING=urlencode({"q": FOUND_QUERY}))["headers"][HEADER] == "hit"
    zero = [search(client, ZERO_QUERY).get(HEADER) for _ in range(3)]
    assert zero == ["miss", "hit", "hit"]
    # Further pages of a search are not searches of their own.
    assert [search(client, FOUND_QUERY, page="2").get(HEADER) for _ in range(2)] == ["miss", "hit"]
    assert SearchQueryStat.objects.count() == 0  # nothing written in the requests

    assert search_counts.flush() == 4 + 1 + 3 + 3
    assert stat(FOUND_QUERY) == (8, 0)
    assert stat(ZERO_QUERY) == (3, 3)
    assert search_counts.flush() == 0
    assert stat(FOUND_QUERY) == (8, 0)


def test_publishing_a_matching_page_shows_in_the_next_search(counted_in_redis, portal):
    client = Client()
    warm(client, "/")
    assert [search(client, "柑橘产业").get(HEADER) for _ in range(2)] == ["miss", "hit"]
    before = generation()
    published = make_content(portal["a"], title="新发布的柑橘产业通知")
    assert generation() != before
    response = search(client, "柑橘产业")
    assert response.get(HEADER) == "miss" and published.url in response.content.decode()
    assert search_counts.flush() == 3 and stat("柑橘产业") == (3, 2)


def test_the_command_and_the_admin_report_move_pending_counts(counted_in_redis, admin_client, capsys):
    search_counts.count("养老服务", found=True)
    call_command("flush_search_stats")
    assert "1" in capsys.readouterr().out and stat("养老服务") == (1, 0)
    search_counts.count("新媒体运营", found=False)
    html = admin_client.get(reverse("site_pages_search_stats")).content.decode()
    assert "新媒体运营" in html and stat("新媒体运营") == (1, 1)


def pending_client():
    cache, client = search_counts._redis()
    return client, cache.make_key(search_counts.FLUSHING)


def test_a_count_and_a_second_flush_while_a_flush_reads_are_moved_once(counted_in_redis, monkeypatch):
    for _ in range(3):
        search_counts.count("低保", found=True)
    read = redis.Redis.hgetall
    interleaved = []

    def read_after_others(client, batch):
        # Between this flush's rename and its read: a search is counted and another flush runs to the end.
        if not interleaved:
            interleaved.append(None)
            search_counts.count("低保", found=False)
            interleaved.append(search_counts.flush())
        return read(client, batch)

    monkeypatch.setattr(redis.Redis, "hgetall", read_after_others)
    assert search_counts.flush() == 3
    assert interleaved == [None, 1]
    assert stat("低保") == (4, 1)
    assert search_counts.flush() == 0 and stat("低保") == (4, 1)


def test_a_batch_whose_flush_failed_is_moved_once_by_a_later_flush(counted_in_redis, monkeypatch):
    search_counts.count("医保", found=True)
    search_counts.count("医保", found=True)

    def database_down(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(SearchQueryStat, "add", database_down)
    with pytest.raises(RuntimeError):
        search_counts.flush()
    monkeypatch.undo()
    client, prefix = pending_client()
    assert len(list(client.scan_iter(match=f"{prefix}*"))) == 1
    # Young, it may be a flush still running: left alone.
    assert search_counts.flush() == 0 and stat("医保") == (0, 0)
    monkeypatch.setattr(search_counts, "ABANDONED_AFTER", -10)
    assert search_counts.flush() == 2 and stat("医保") == (2, 0)
    assert list(client.scan_iter(match=f"{prefix}*")) == []
    assert search_counts.flush() == 0 and stat("医保") == (2, 0)


def test_with_redis_down_searches_are_counted_in_the_database(counted_in_redis, portal, article):
    client = Client(raise_request_exception=False)
    counted_in_redis.kill()
    for _ in range(3):
        response = search(client, FOUND_QUERY)
        assert HEADER not in response and article.url in response.content.decode()
    assert stat(FOUND_QUERY) == (3, 0)
    # The first failure paused Redis for this process: the two searches after it did not wait for its timeout.
    assert search_counts.outage_pause.active()
    with pytest.raises(search_counts.CACHE_ERRORS):  # the scheduled flush fails visibly, the counts are safe
        search_counts.flush()
    counted_in_redis.start()
    assert search_counts.flush() == 0 and stat(FOUND_QUERY) == (3, 0)


def test_in_local_memory_searches_are_counted_in_the_database_and_not_stored(page_cache_on, portal, article):
    client = Client()
    assert [search(client, FOUND_QUERY).get(HEADER) for _ in range(3)] == ["skip"] * 3
    assert stat(FOUND_QUERY) == (3, 0)
    assert search_counts.flush() == 0


calls = []


def note_call(*args):
    calls.append(args)


def explode(*_args):
    raise ValueError("the action failed")


def stored_entry(client, url):
    """Warms ``url`` and returns (its key, its stored entry); the process copy is forgotten."""
    for _ in range(3):
        if client.get(url).get(HEADER) in ("miss", "hit"):
            break
    (key,) = local_pages._copies
    local_pages.clear()
    return key, page_cache().get(key)


def test_a_stored_action_runs_on_every_get_hit_and_its_errors_never_fail_one(
    page_cache_on,
    portal,
    app,  # noqa: F811
    caplog,
):
    application, _django = app
    client = Client()
    key, (generation_, content, headers, on_hit) = stored_entry(client, portal["a"].url)
    assert on_hit is None and key.startswith(f"pagecache:v{ENTRY_FORMAT}:")
    calls.clear()
    page_cache().set(key, (generation_, content, headers, (f"{__name__}.note_call", ("a", 1))), 60)
    assert client.get(portal["a"].url).get(HEADER) == "hit"
    assert call(application, portal["a"].url)["headers"][HEADER] == "hit"
    assert client.head(portal["a"].url).get(HEADER) == "hit"
    assert calls == [("a", 1), ("a", 1)]

    for broken in (f"{__name__}.explode", f"{__name__}.no_such_function"):
        local_pages.clear()
        page_cache().set(key, (generation_, content, headers, (broken, ())), 60)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="cms.outages.cache"):
            hit = client.get(portal["a"].url)
            answer = call(application, portal["a"].url)
        assert hit.get(HEADER) == "hit" and hit.content == content
        assert answer["headers"][HEADER] == "hit" and answer["body"] == content
        assert any(broken in record.getMessage() for record in caplog.records), broken


def test_an_entry_stored_by_the_previous_code_is_never_served(page_cache_on, portal):
    client = Client()
    key, (generation_, _content, headers, _on_hit) = stored_entry(client, portal["a"].url)
    page_cache().clear()
    # The previous code's key and entry: (generation, content, headers) under pagecache:<sha256>.
    page_cache().set(keys.GENERATION_KEY, generation_, None)
    old_key = "pagecache:" + key.rsplit(":", 1)[1]
    page_cache().set(old_key, (generation_, "旧格式的页面".encode(), headers), 60)
    response = client.get(portal["a"].url)
    assert response.get(HEADER) == "miss" and "旧格式的页面" not in response.content.decode()


def sent(on_redis):  # noqa: F811
    """HINCRBY commands Redis has executed."""
    stats = redis.Redis(port=on_redis.port).info("commandstats")
    return stats.get("cmdstat_hincrby", {}).get("calls", 0)


def test_hits_send_their_counts_together_not_one_command_each(counted_in_redis, portal, article, app, monkeypatch):  # noqa: F811
    application, _django = app
    client = Client()
    warm(client, "/")
    assert search(client, FOUND_QUERY).get(HEADER) == "miss"  # the miss itself counts at once
    before = sent(counted_in_redis)
    for _ in range(20):
        assert call(application, "/search/", QUERY_STRING=urlencode({"q": FOUND_QUERY}))["headers"][HEADER] == "hit"
    assert sent(counted_in_redis) == before  # waiting in this process
    monkeypatch.setattr(search_counts, "PUSH_AFTER", 0.0)
    call(application, "/search/", QUERY_STRING=urlencode({"q": FOUND_QUERY}))
    assert sent(counted_in_redis) == before + 1  # 21 searches of one query: one command
    assert search_counts.flush() == 22 and stat(FOUND_QUERY) == (22, 0)


def test_many_waiting_queries_are_sent_before_the_second(counted_in_redis, monkeypatch):
    monkeypatch.setattr(search_counts, "PUSH_AT", 5)
    before = sent(counted_in_redis)
    for number in range(5):
        search_counts.count_hit(f"查询{number}", found=True)
    assert sent(counted_in_redis) == before + 5 and search_counts._waiting.fields == {}
    assert search_counts.flush() == 5


def test_a_forked_worker_leaves_its_parents_waiting_counts_to_the_parent(counted_in_redis, monkeypatch):
    search_counts.count_hit("父进程的查询", found=True)
    parent_pid = search_counts._waiting.pid
    monkeypatch.setattr(search_counts.os, "getpid", lambda: parent_pid + 1)
    search_counts.count_hit("子进程的查询", found=True)
    assert list(search_counts._waiting.fields) == [search_counts._field("子进程的查询", True)]
    search_counts._waiting.send()
    monkeypatch.undo()
    assert search_counts.flush() == 1 and stat("子进程的查询") == (1, 0) and stat("父进程的查询") == (0, 0)


def test_waiting_counts_go_to_the_database_when_redis_fails(counted_in_redis):
    search_counts.count_hit("停机时的查询", found=False)
    counted_in_redis.kill()
    search_counts._waiting.send()  # as at exit, or the next hit a second later
    assert stat("停机时的查询") == (1, 1)
