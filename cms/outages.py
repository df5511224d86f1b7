"""Surviving the failure of Redis or PostgreSQL (issue: hardening §9).

- The cache ("default" alias) ignores Redis errors after short socket timeouts: pages are then built from the
  database, uncached. Code that needs the cache to be right (rate limits, the working-calendar stamp) uses the
  "strict" alias, which raises ``CACHE_ERRORS``, and falls back to the database itself.
- A database outage answers 503 with Retry-After and the 系统繁忙 page (site_pages.views.server_error).
- ``OncePerInterval`` turns a flood of identical outage errors into one log line per interval.
- ``Pause``: after Redis failed, a process leaves it alone for a few seconds (the page cache, search counts).
"""

import logging
import sys
import threading
import time

from django.utils.module_loading import import_string

# A healthy Redis next to the application answers in about a millisecond; waiting longer only lets a hung
# Redis hang every worker.
REDIS_CONNECT_TIMEOUT = 0.5
REDIS_READ_TIMEOUT = 0.5
# What a client is told to wait when the database is down (seconds).
DATABASE_RETRY_AFTER = 30


def redis_caches(url):
    """CACHES for a Redis at ``url``: "default" degrades to no cache, "strict" raises (see module doc)."""
    options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
        "SOCKET_TIMEOUT": REDIS_READ_TIMEOUT,
    }
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
        },
        "strict": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": False},
        },
    }


def _cache_errors():
    from redis.exceptions import RedisError

    # Timeouts surface as OSError subclasses (socket.timeout) when redis-py does not wrap them.
    return (RedisError, OSError)


CACHE_ERRORS = _cache_errors()


class Pause:
    """After an error from a service, this process does without it for ``seconds`` instead of asking it again:
    a hung Redis would otherwise cost every request its timeouts."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.until = 0.0

    def active(self):
        return time.monotonic() < self.until

    def start(self):
        self.until = time.monotonic() + self.seconds

    def end(self):
        self.until = 0.0


def database_unavailable(exc):
    """True for the errors a lost or refused database connection raises (psycopg, SQLite "locked")."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def current_database_outage():
    """Whether the exception being handled right now is a database outage (for the 500 handler)."""
    return database_unavailable(sys.exc_info()[1])


class OncePerInterval(logging.Filter):
    """Lets one record per interval through for each logger and exception type, without its traceback.

    ``exceptions`` (dotted class names) limits the filter to records carrying one of them; other records
    pass untouched, so an ordinary error keeps its traceback. The line that gets through says how many were
    dropped since the previous one.
    """

    def __init__(self, seconds=60, exceptions=None):
        super().__init__()
        self.seconds = seconds
        self._exceptions = exceptions
        self._classes = None
        self._last = {}
        self._dropped = {}
        self._lock = threading.Lock()

    def reset(self):
        """Forget what was logged, so that the next record gets through."""
        with self._lock:
            self._last.clear()
            self._dropped.clear()

    def _matches(self, exc):
        if self._exceptions is None:
            return True
        if self._classes is None:
            self._classes = tuple(import_string(name) for name in self._exceptions)
        return isinstance(exc, self._classes)

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if not self._matches(exc):
            return True
        key = (record.name, type(exc).__name__ if exc else record.msg)
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                self._dropped[key] = self._dropped.get(key, 0) + 1
                return False
            self._last[key] = now
            dropped = self._dropped.pop(key, 0)
        summary = record.getMessage()
        if exc is not None:
            first_line = (str(exc).strip().splitlines() or [""])[0]
            summary = f"{summary} ({type(exc).__name__}: {first_line})"
        if dropped:
            summary = f"{summary} [{dropped} more like this since the previous line]"
        record.msg, record.args = summary, ()
        record.exc_info = record.exc_text = None
        return True
