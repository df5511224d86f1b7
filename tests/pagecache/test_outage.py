"""A Redis outage under the page cache: pages are served uncached and correct, and caching resumes afterwards.

The caches are the production settings' (tests/security/test_outages.py reads them in a subprocess and starts a
redis-server of its own on a free port).
"""

import time

import pytest
from django.test import Client
from django_redis.cache import RedisCache

from cms.pagecache import keys
from cms.pagecache.middleware import HEADER
from tests.factories import make_content
from tests.pagecache.conftest import warm
from tests.security.test_outages import on_redis, production_caches, redis_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_pause(monkeypatch):
    monkeypatch.setattr(keys.outage_pause, "seconds", 0.5)
    yield
    keys.outage_pause.end()


def test_pages_are_served_uncached_while_redis_is_down_and_cached_again_after(  # noqa: F811
    on_redis,  # noqa: F811
    settings,
    portal,
    short_pause,
    monkeypatch,
):
    assert settings.CACHES["pages"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    settings.PAGE_CACHE_ENABLED = True
    client = Client(raise_request_exception=False)
    warm(client, portal["a"].url)
    assert client.get(portal["a"].url).get(HEADER) == "hit"

    on_redis.kill()
    down = client.get(portal["a"].url)
    assert down.status_code == 200 and HEADER not in down
    # Found down once, the page cache leaves Redis alone for a while: a hung Redis costs one timeout, not one a request.
    asked = []
    original = RedisCache.get_many
    monkeypatch.setattr(
        RedisCache, "get_many", lambda cache, *args, **kwargs: asked.append(1) or original(cache, *args, **kwargs)
    )
    for _ in range(3):
        down = client.get(portal["a"].url)
        assert down.status_code == 200 and HEADER not in down
    assert asked == []
    # A publication while Redis is down cannot purge, and needs not: nothing is served from the cache.
    make_content(portal["a"], title="停机期间发布的信息")
    assert "停机期间发布的信息" in client.get(portal["a"].url).content.decode()

    on_redis.start()
    time.sleep(keys.outage_pause.seconds)
    assert warm(client, portal["a"].url).get(HEADER) == "miss"
    back = client.get(portal["a"].url)
    assert back.get(HEADER) == "hit" and "停机期间发布的信息" in back.content.decode()
