"""This process's copies of shared pages (cms.pagecache.local): one small read per hit, never a purged page."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from cms.pagecache.keys import bump_generation, page_cache
from cms.pagecache.local import LocalPages, local_pages
from cms.pagecache.middleware import HEADER
from tests.factories import make_content
from tests.pagecache.conftest import generation, warm

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """The keys each read of the shared page cache asked for."""
    asked = []
    get, get_many = LocMemCache.get, LocMemCache.get_many
    monkeypatch.setattr(LocMemCache, "get", lambda cache, key, *a, **k: asked.append([key]) or get(cache, key, *a, **k))
    monkeypatch.setattr(
        LocMemCache, "get_many", lambda cache, keys, *a, **k: asked.append(list(keys)) or get_many(cache, keys, *a, **k)
    )
    return asked


def test_a_hit_with_a_copy_reads_only_the_generation(page_cache_on, portal, reads):
    client = Client()
    stored = warm(client, portal["a"].url)
    reads.clear()
    hit = client.get(portal["a"].url)
    assert hit.get(HEADER) == "hit" and hit.content == stored.content
    assert reads == [["pagecache:generation"]]


def test_a_copy_is_never_served_after_a_purge_by_another_process(page_cache_on, portal):
    client = Client()
    article = make_content(portal["a"], title="旧标题的信息", text="正文")
    warm(client, article.url)
    assert client.get(article.url).get(HEADER) == "hit"
    # Another process changes the page: the shared generation moves on, this process's copy stays behind.
    type(article).objects.filter(pk=article.pk).update(title="新标题的信息")
    bump_generation()
    fresh = client.get(article.url)
    assert fresh.get(HEADER) == "miss" and "新标题的信息" in fresh.content.decode()


def test_a_purged_copy_gives_way_to_the_page_another_process_stored(page_cache_on, portal, reads):
    client = Client()
    warm(client, portal["a"].url)
    key = next(k for k in local_pages._copies)
    bump_generation()
    # Another process rendered the page again and stored it under the new generation.
    current = generation()
    page_cache().set(
        key, (current, "他处存入的页面".encode(), [("Content-Type", "text/html; charset=utf-8")], None), 60
    )
    reads.clear()
    hit = client.get(portal["a"].url)
    assert hit.get(HEADER) == "hit" and hit.content.decode() == "他处存入的页面"
    assert reads == [["pagecache:generation"], [key]]
    reads.clear()
    assert client.get(portal["a"].url).content.decode() == "他处存入的页面"
    assert reads == [["pagecache:generation"]]


def test_copies_stay_within_their_byte_limit_least_recently_used_out(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 1000
    copies = LocalPages()
    for name in "abcd":
        copies.put(name, (1, b"x" * 300, [("Content-Type", "text/html")], None))
    assert copies.size <= 1000
    assert "a" not in copies and {"b", "c", "d"} <= set(copies._copies)
    copies.get("b", 1)
    copies.put("e", (1, b"x" * 300, [], None))
    assert "c" not in copies and "b" in copies
    copies.put("huge", (1, b"x" * 1001, [], None))
    assert "huge" not in copies
    assert copies.get("b", 2) is None and "b" not in copies  # stored under an older generation: dropped


def test_no_copies_when_the_limit_is_zero(page_cache_on, portal, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    client = Client()
    warm(client, portal["a"].url)
    assert client.get(portal["a"].url).get(HEADER) == "hit"
    assert local_pages.size == 0
