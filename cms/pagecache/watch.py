"""The page cache's generation kept in this process, and Redis telling it when the generation changes.

A hit answered from this process's copy (cms.pagecache.local) still read the generation from Redis, one round trip
that was about a third of the hit's CPU (the client's packing and parsing, two system calls each side, Redis's
own work and the switches between the processes). Redis's client-side caching makes that read local: a
connection asks Redis to track the generation key (``CLIENT TRACKING ON ... BCAST PREFIX key``, broadcasting
mode: every change of the key is reported, whoever read it) and to send the reports to a second connection
subscribed to ``__redis__:invalidate`` (the two-connections mode of Redis 6 and later; redis-py's own client-side
cache refuses a Redis older than 7.4). Before a request trusts the kept number it asks the subscribed connection,
without waiting, whether anything arrived; anything that did (a change, a flush, the connection closing) and the
generation is read again. Redis sends the report while it executes the change, before the process that purged
has its reply, so a publish is seen by the next request exactly as when every request read the key.

What tracking cannot report, the watch checks: the number is read again at least every ``REVALIDATE_SECONDS``
(which also keeps the tracking connection busy enough for a server's idle timeout), and a read that finds another
number than the one kept although no report arrived means the reports were lost (a connection half-open after a
network fault): both connections are opened again. Any error closes them; the hit path then reads the generation
from Redis as before, and the watch tries again after the page cache's outage pause. Only for a page cache in
Redis through django-redis; any other backend (local memory in development) is read directly.
"""

import logging
import os
import threading
import time

from redis.exceptions import ConnectionError, RedisError  # noqa: A004 - redis's own, a RedisError

# One line a minute and kind of error while it lasts (cms.outages.OncePerInterval), as for Redis outages.
logger = logging.getLogger("cms.outages.cache")

INVALIDATION_CHANNEL = "__redis__:invalidate"
REVALIDATE_SECONDS = 1.0


class GenerationWatch:
    """Keeps the value of ``key``; after an error it reads nothing for ``pause`` seconds."""

    def __init__(self, key, pause):
        self.key, self.pause = key, pause
        self._redis_key = None
        # The development server answers requests in threads of one process.
        self._lock = threading.Lock()
        self._pid = self._pool = None
        self._listener = self._tracker = None
        self._generation = None
        self._read_at = 0.0
        self._retry_at = 0.0

    def generation(self, cache):
        """The current generation of ``cache``, or None when the caller must read it from the cache itself."""
        client = getattr(cache, "client", None)
        if not hasattr(client, "get_client") or time.monotonic() < self._retry_at:
            return None
        with self._lock:
            try:
                return self._current(cache)
            except (RedisError, OSError) as error:
                logger.warning("页面缓存的代数监听不可用，%s 秒内每次请求从 Redis 读取代数", self.pause, exc_info=error)
                self._close()
                self._retry_at = time.monotonic() + self.pause
                return None

    def _current(self, cache):
        pool = cache.client.get_client(write=True).connection_pool
        if self._pid != os.getpid() or pool is not self._pool:
            # First use, a forked worker (the connections belong to the process that opened them), or another
            # Redis (settings changed at run time; django-redis shares one pool per server).
            self._connect(cache, pool)
        if self._tracker.can_read(timeout=0):
            # Nothing is due on it between two reads: the server closed it (an idle timeout, CLIENT KILL), and with
            # it the tracking.
            raise ConnectionError("跟踪连接已被关闭")
        reported = False
        while self._listener.can_read(timeout=0):
            self._listener.read_response()
            reported = True
        now = time.monotonic()
        if not reported and self._generation is not None and now - self._read_at < REVALIDATE_SECONDS:
            return self._generation
        self._tracker.send_command("GET", self._redis_key)
        value = self._tracker.read_response()
        if value is None:
            # No generation yet: the caller starts one, which is reported here.
            self._generation = None
            return None
        generation = cache.client.decode(value)
        lost = not reported and self._generation not in (None, generation)
        if lost and not self._listener.can_read(timeout=0):
            logger.warning("页面缓存的代数已变而未收到 Redis 的通知，重开监听")
            self._close()
            return generation
        self._generation, self._read_at = generation, now
        return generation

    def _connect(self, cache, pool):
        self._close()
        # RESP2 on both: the reports arrive as messages of the subscription, not as RESP3 pushes.
        options = {**pool.connection_kwargs, "protocol": 2}
        self._redis_key = str(cache.client.make_key(self.key))
        listener = pool.connection_class(**options)
        tracker = pool.connection_class(**options)
        try:
            listener.send_command("CLIENT", "ID")
            listener_id = listener.read_response()
            listener.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
            listener.read_response()
            tracking = ("CLIENT", "TRACKING", "ON", "REDIRECT", listener_id, "BCAST", "PREFIX", self._redis_key)
            tracker.send_command(*tracking)
            tracker.read_response()
        except BaseException:
            listener.disconnect()
            tracker.disconnect()
            raise
        self._listener, self._tracker, self._pid, self._pool = listener, tracker, os.getpid(), pool

    def _close(self):
        for connection in (self._listener, self._tracker):
            if connection is not None:
                # In a forked worker redis-py only closes its copy of the socket; the parent's stays open.
                connection.disconnect()
        self._listener = self._tracker = None
        self._generation = None
        self._pid = self._pool = None
