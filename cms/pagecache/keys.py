"""Cache keys of the page cache and the generation number that purges them all at once.

Every stored page carries the generation it was stored under and is served only while that is still the current
one. A purge increments it: every page stored before is out of date in one cache write, whichever pages listed
the changed object. The middleware reads the counter and the page in one round trip (``get_many``).
"""

import hashlib
import time
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches

from cms.outages import Pause

from .watch import GenerationWatch

GENERATION_KEY = "pagecache:generation"
# The layout of a stored entry (middleware._to_stored), part of every page's key: entries stored by code with
# another layout are never read, they expire.
ENTRY_FORMAT = 2
# After the cache was found down, this process serves uncached for this many seconds without asking it again:
# a hung Redis would otherwise cost every request its timeouts.
OUTAGE_PAUSE = 5.0
outage_pause = Pause(OUTAGE_PAUSE)
generation_watch = GenerationWatch(GENERATION_KEY, OUTAGE_PAUSE)


# The generation as this request first read it (a dict while Django serves a request, see begin_request): the
# listings a page shows then cost one read of it, not one each. A purge made by this request forgets it.
_request_memo = ContextVar("pagecache_generation_memo", default=None)


def begin_request(**_kwargs):
    _request_memo.set({})


def end_request(**_kwargs):
    _request_memo.set(None)


def remember_generation(generation):
    memo = _request_memo.get()
    if memo is not None and generation is not None:
        memo["generation"] = generation


def current_generation():
    """The page cache's generation, read once per request; None while the cache is down."""
    memo = _request_memo.get()
    if memo:
        return memo["generation"]
    cache = page_cache()
    generation = read_generation(cache) or start_generation(cache)
    remember_generation(generation)
    return generation


def read_generation(cache):
    """The generation as the cache has it, None when it has none or is down; kept in this process where Redis
    reports its changes (cms.pagecache.watch)."""
    generation = generation_watch.generation(cache)
    return cache.get(GENERATION_KEY) if generation is None else generation


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _fresh_generation():
    # Never a number used before: were the counter evicted or lost while pages stayed stored, starting again from
    # a small number could reach pages stored under that number long ago.
    return time.time_ns()


def start_generation(cache):
    """A first generation for a cache without one; None while the cache is down."""
    fresh = _fresh_generation()
    added = cache.add(GENERATION_KEY, fresh, timeout=None)
    if added is None:  # a cache that ignores its errors answers None: down
        outage_pause.start()
        return None
    return fresh if added else cache.get(GENERATION_KEY)


def bump_generation(cache=None):
    """Makes every stored page unreachable."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()
    cache = cache or page_cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (first use, evicted, or a cache restarted empty)
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def normalised_query(query_string):
    """The query string with its parameters sorted, so that ?b=2&a=1 and ?a=1&b=2 share one entry."""
    if not query_string:
        return ""
    return urlencode(sorted(parse_qsl(query_string, keep_blank_values=True)))


def page_key(request):
    """A bounded key for this request's page: the variant cookies, scheme, host, path and sorted query."""
    variant = ";".join(f"{name}={request.COOKIES.get(name, '')}" for name in settings.PAGE_CACHE_VARY_COOKIES)
    parts = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            normalised_query(request.META.get("QUERY_STRING", "")),
            variant,
        ]
    )
    digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:v{ENTRY_FORMAT}:{digest}"
