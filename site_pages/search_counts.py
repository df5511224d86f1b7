"""Search statistics counted without a database write in the request, so that search results can be cached.

The page cache stores no page during whose rendering the database was written (a hit would skip the write), and
``SearchQueryStat.record`` wrote on every search. Where the default cache is Redis (django-redis, production),
``count`` adds the search to pending counts in Redis instead, one ``HINCRBY`` on one hash (field: week, found or
not, normalised query), and ``flush`` (the ``flush_search_stats`` command every minute, and the admin's 搜索统计
before it reads) moves them into SearchQueryStat. A search page served from the page cache counts through the same
``count``, called by the stored page's per-hit action (cms.pagecache.middleware.run_on_hit).

A flush first renames the pending hash to a key of its own: a count arriving meanwhile starts a new pending hash,
and a second flush finds nothing to take, so each count is moved by exactly one flush. It deletes its key after
the database transaction that added the counts committed. A key left by a flush that failed (its database write,
its process) is taken, by rename again, by the first flush ``ABANDONED_AFTER`` seconds later; only a flush killed
between its commit and its delete, one round trip, would have its counts added twice.

Elsewhere (local memory: development, most tests) and while Redis fails, ``count`` writes the database as before:
nothing is lost, and that page is simply not stored.
"""

import datetime
import logging
import time
import uuid

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from redis.exceptions import ResponseError

from cms.outages import CACHE_ERRORS

from .models.search_stats import SearchQueryStat, normalise_query, week_of

# One line a minute and kind of error while Redis fails (cms.outages.OncePerInterval).
logger = logging.getLogger("cms.outages.cache")

PENDING = "search_counts:pending"
FLUSHING = "search_counts:flushing:"
# A flush of a minute's counts takes milliseconds: a key this old was left by a flush that failed.
ABANDONED_AFTER = 300
# After a Redis error, counts go to the database for this many seconds without asking Redis again: a hung Redis
# would otherwise cost every search its timeout.
OUTAGE_PAUSE = 5.0
FOUND, ZERO = "1", "0"


class _Outage:
    until = 0.0


def _redis():
    """(the default cache, its Redis client raising errors) where the default cache is django-redis, else None."""
    cache = caches["default"]
    from django_redis.cache import RedisCache  # the first cache read imports it anyway

    if not isinstance(cache, RedisCache):
        return None
    return cache, cache.client.get_client(write=True)


def count(query, found):
    """Counts one search of ``query`` (``found``: it had results); never fails for want of Redis."""
    text = normalise_query(query)
    if not text:
        return
    week = week_of(timezone.localdate())
    redis = None if time.monotonic() < _Outage.until else _redis()
    if redis is not None:
        cache, client = redis
        try:
            client.hincrby(cache.make_key(PENDING), f"{week.isoformat()}|{FOUND if found else ZERO}|{text}", 1)
            return
        except CACHE_ERRORS:
            _Outage.until = time.monotonic() + OUTAGE_PAUSE
            logger.warning("搜索统计无法计入 Redis，%s 秒内直接写入数据库", OUTAGE_PAUSE, exc_info=True)
    SearchQueryStat.add(week, text, searches=1, zero_results=0 if found else 1)


def flush():
    """Moves the pending counts into SearchQueryStat; returns how many searches were moved. Raises Redis's errors."""
    redis = _redis()
    if redis is None:
        return 0
    cache, client = redis
    prefix = cache.make_key(FLUSHING)
    taken = [_take(client, key, prefix) for key in (*_abandoned(client, prefix), cache.make_key(PENDING))]
    return sum(_move(client, batch) for batch in taken if batch is not None)


def _abandoned(client, prefix):
    """Flushing keys older than ``ABANDONED_AFTER``: their flush failed before deleting them."""
    oldest = time.time() - ABANDONED_AFTER
    keys = (key.decode() for key in client.scan_iter(match=f"{prefix}*"))
    return [key for key in keys if int(key.removeprefix(prefix).split(":", 1)[0]) < oldest]


def _take(client, key, prefix):
    """Renames ``key`` to a new flushing key of this flush and returns that; None when there is no such key
    (nothing counted since the last flush, or another flush took it first)."""
    batch = f"{prefix}{time.time():.0f}:{uuid.uuid4().hex}"
    try:
        client.rename(key, batch)
    except ResponseError:
        return None
    return batch


def _move(client, batch):
    rows = {}
    for field, searches in client.hgetall(batch).items():
        week, flag, text = field.decode().split("|", 2)
        searches = int(searches)
        total, zero = rows.get((week, text), (0, 0))
        rows[week, text] = (total + searches, zero + (searches if flag == ZERO else 0))
    with transaction.atomic():
        for (week, text), (searches, zero) in rows.items():
            SearchQueryStat.add(datetime.date.fromisoformat(week), text, searches=searches, zero_results=zero)
    client.delete(batch)
    return sum(searches for searches, _zero in rows.values())
