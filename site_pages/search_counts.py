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

A hit counts through ``count_hit``, which adds to this process's own pending counts instead of sending a command:
a search answered from the page cache then costs no round trip (one was half of its CPU). They are sent together
(one pipelined round trip) by the first hit a second or more after the oldest of them, when ``PUSH_AT`` queries
are waiting, before this process flushes, and when it exits; sending fails and they go to the database.
"""

import atexit
import datetime
import logging
import os
import threading
import time
import uuid
from collections import Counter

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from redis.exceptions import ResponseError

from cms.outages import CACHE_ERRORS, Pause

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
outage_pause = Pause(OUTAGE_PAUSE)
FOUND, ZERO = "1", "0"
# A hit's count waits at most about this long in the process (while hits come), and at most this many queries.
PUSH_AFTER = 1.0
PUSH_AT = 500


def _redis():
    """(the default cache, its Redis client raising errors) where the default cache is django-redis, else None."""
    cache = caches["default"]
    from django_redis.cache import RedisCache  # the first cache read imports it anyway

    if not isinstance(cache, RedisCache):
        return None
    return cache, cache.client.get_client(write=True)


def _field(query, found):
    """The pending hash's field for a search of ``query``, or None for a query that counts as no search."""
    text = normalise_query(query)
    if not text:
        return None
    return f"{week_of(timezone.localdate()).isoformat()}|{FOUND if found else ZERO}|{text}"


def _to_database(fields):
    for field, searches in fields.items():
        week, flag, text = field.split("|", 2)
        zero = searches if flag == ZERO else 0
        SearchQueryStat.add(datetime.date.fromisoformat(week), text, searches=searches, zero_results=zero)


def _send(fields):
    """Adds ``fields`` ({field: searches}) to the pending hash in one round trip; the database takes them where
    Redis is not the cache or fails."""
    redis = None if outage_pause.active() else _redis()
    if redis is not None:
        cache, client = redis
        try:
            pipeline = client.pipeline(transaction=False)
            for field, searches in fields.items():
                pipeline.hincrby(cache.make_key(PENDING), field, searches)
            pipeline.execute()
            return
        except CACHE_ERRORS:
            outage_pause.start()
            logger.warning("搜索统计无法计入 Redis，%s 秒内直接写入数据库", OUTAGE_PAUSE, exc_info=True)
    _to_database(fields)


def count(query, found):
    """Counts one search of ``query`` (``found``: it had results); never fails for want of Redis."""
    field = _field(query, found)
    if field is not None:
        _send({field: 1})


class _Waiting:
    """This process's counts of page-cache hits not yet sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.fields = Counter()
        self.since = 0.0
        self.pid = None

    def add(self, field):
        with self.lock:
            if self.pid != os.getpid():
                # A forked worker: what the parent had waiting is the parent's to send.
                self.fields, self.pid = Counter(), os.getpid()
                atexit.register(self.send)
            if not self.fields:
                self.since = time.monotonic()
            self.fields[field] += 1
            due = len(self.fields) >= PUSH_AT or time.monotonic() - self.since >= PUSH_AFTER
        if due:
            self.send()

    def send(self):
        with self.lock:
            if self.pid != os.getpid():
                return
            fields, self.fields = self.fields, Counter()
        if fields:
            _send(fields)


_waiting = _Waiting()


def count_hit(query, found):
    """``count`` for a search answered from the page cache (its stored per-hit action): sent with others."""
    field = _field(query, found)
    if field is not None:
        _waiting.add(field)


def flush():
    """Moves the pending counts into SearchQueryStat; returns how many searches were moved. Raises Redis's errors."""
    _waiting.send()
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
    fields = {field.decode(): int(searches) for field, searches in client.hgetall(batch).items()}
    with transaction.atomic():
        _to_database(fields)
    client.delete(batch)
    return sum(fields.values())
