"""The generation kept in the process and reported by Redis (cms.pagecache.watch), against a real redis-server.

What must hold: a kept generation is never answered after Redis has another one, whatever happened to the
connections (a purge by another process, a connection closed by the server, a restart, a fork); and while nothing
changed, the kept one is answered without a command sent to Redis.
"""

import os
import time

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from cms.pagecache import watch as watch_module
from cms.pagecache.keys import GENERATION_KEY, bump_generation, start_generation
from cms.pagecache.middleware import HEADER
from cms.pagecache.watch import GenerationWatch
from tests.factories import make_content
from tests.pagecache.conftest import warm
from tests.security.test_outages import on_redis, production_caches, redis_server  # noqa: F401 - fixtures

PAUSE = 0.2


@pytest.fixture
def pages(on_redis):  # noqa: F811
    cache = caches["pages"]
    start_generation(cache)
    return cache


@pytest.fixture
def watch():
    watch = GenerationWatch(GENERATION_KEY, PAUSE)
    yield watch
    watch._close()


def server(on_redis):  # noqa: F811
    return redis.Redis(port=on_redis.port)


def reads(on_redis):  # noqa: F811
    """Commands Redis has executed that read a key, by anyone."""
    stats = server(on_redis).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


def test_a_purge_by_another_connection_is_answered_by_the_next_read(pages, watch):
    assert watch.generation(pages) == pages.get(GENERATION_KEY)
    for _ in range(200):
        bump_generation(pages)
        assert watch.generation(pages) == pages.get(GENERATION_KEY)


def test_the_kept_generation_is_answered_without_a_command(pages, watch, on_redis):  # noqa: F811
    kept = watch.generation(pages)
    before = reads(on_redis)
    assert all(watch.generation(pages) == kept for _ in range(100))
    assert reads(on_redis) == before


def test_it_is_read_again_after_a_while_even_without_a_report(pages, watch, on_redis, monkeypatch):  # noqa: F811
    watch.generation(pages)
    monkeypatch.setattr(watch_module, "REVALIDATE_SECONDS", 0.0)
    before = reads(on_redis)
    watch.generation(pages)
    assert reads(on_redis) == before + 1


@pytest.mark.parametrize("connection", ["listener", "tracker"])
def test_a_connection_the_server_closed_never_answers_an_old_generation(pages, watch, on_redis, connection):  # noqa: F811
    kept = watch.generation(pages)
    if connection == "listener":
        server(on_redis).client_kill_filter(_type="pubsub")
    else:
        (tracking,) = [client for client in server(on_redis).client_list() if "t" in client["flags"]]
        server(on_redis).client_kill_filter(_id=tracking["id"])
    time.sleep(0.05)  # the close reaches this process's socket
    bump_generation(pages)
    assert watch.generation(pages) is None  # the caller reads Redis itself
    time.sleep(PAUSE)
    current = watch.generation(pages)
    assert current == pages.get(GENERATION_KEY) != kept
    bump_generation(pages)
    assert watch.generation(pages) == pages.get(GENERATION_KEY)


def test_reports_lost_on_open_connections_are_found_by_the_next_read(pages, watch, monkeypatch):
    kept = watch.generation(pages)
    # As a half-open connection would: the change happens, no report arrives.
    monkeypatch.setattr(watch._listener, "can_read", lambda timeout=0: False)
    bump_generation(pages)
    monkeypatch.setattr(watch_module, "REVALIDATE_SECONDS", 0.0)
    assert watch.generation(pages) == pages.get(GENERATION_KEY) != kept
    monkeypatch.undo()
    # The connections were opened again, and report again.
    bump_generation(pages)
    assert watch.generation(pages) == pages.get(GENERATION_KEY)


def test_a_restarted_redis_is_watched_again_after_the_pause(pages, watch, on_redis):  # noqa: F811
    kept = watch.generation(pages)
    on_redis.kill()
    assert watch.generation(pages) is None
    on_redis.start()
    assert watch.generation(pages) is None  # paused: nothing is asked of Redis meanwhile
    time.sleep(PAUSE)
    # Restarted empty: no generation until the page cache starts one.
    assert watch.generation(pages) is None
    start_generation(pages)
    current = watch.generation(pages)
    assert current == pages.get(GENERATION_KEY) != kept


def test_a_forked_worker_opens_its_own_connections(pages, watch):
    watch.generation(pages)
    parent = watch._listener
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    answer_read, answer_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only os._exit leaves it, whatever happens
        try:
            first = watch.generation(pages)
            own = watch._listener is not parent
            os.write(ready_write, b"1")
            os.read(go_read, 1)
            second = watch.generation(pages)
            os.write(answer_write, f"{first} {second} {own}".encode())
        finally:
            os._exit(0)
    os.read(ready_read, 1)
    bump_generation(pages)
    os.write(go_write, b"1")
    first, second, own = os.read(answer_read, 200).decode().split()
    os.waitpid(pid, 0)
    assert own == "True"
    assert int(second) == pages.get(GENERATION_KEY) != int(first)
    # The parent's connections were left alone by the child.
    assert watch._listener is parent
    assert watch.generation(pages) == pages.get(GENERATION_KEY)


def test_another_redis_for_the_same_cache_is_watched_instead(pages, watch, settings, tmp_path, on_redis):  # noqa: F811
    watch.generation(pages)
    other = type(on_redis)(tmp_path).start()
    try:
        settings.CACHES = {alias: {**config, "LOCATION": other.url} for alias, config in settings.CACHES.items()}
        moved = caches["pages"]
        start_generation(moved)
        assert watch.generation(moved) == moved.get(GENERATION_KEY)
        bump_generation(moved)
        assert watch.generation(moved) == moved.get(GENERATION_KEY)
    finally:
        other.kill()


def test_a_cache_outside_redis_is_left_to_the_caller(watch):
    assert watch.generation(caches["default"]) is None


@pytest.mark.django_db
def test_hits_ask_redis_nothing_and_a_publication_is_seen_on_the_next_request(
    on_redis,  # noqa: F811
    settings,
    portal,
):
    settings.PAGE_CACHE_ENABLED = True
    client = Client()
    column = portal["a"]
    warm(client, column.url)
    assert client.get(column.url).get(HEADER) == "hit"
    before = reads(on_redis)
    for _ in range(20):
        assert client.get(column.url).get(HEADER) == "hit"
    assert reads(on_redis) == before
    make_content(column, title="监听测试发布的信息")
    after = client.get(column.url)
    assert after.get(HEADER) != "hit" and "监听测试发布的信息" in after.content.decode()
