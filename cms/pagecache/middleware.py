"""Full-page cache for anonymous public GET requests, answered before every other middleware.

Which requests qualify and their keys are cms.pagecache.qualify's. A qualifying request reads the generation and
its page in one round trip (cms.pagecache.keys); a page stored under the current generation is a hit, answered
from the stored content and headers, so sessions, authentication, OTP, account policy, lockout, CSP and the view
never run for it.

A miss runs the whole stack and stores the response only when nothing in it may be personal or one-off
(``storable``): 200 text/html, no Set-Cookie (a page that used its CSRF token always sets the cookie), no
private/no-store/no-cache, no CSP nonce, not streamed, and no database write while it was built (a hit would skip
the write: search statistics without Redis, counters, first renditions). ``Vary: Cookie`` is on every page (the
account policy reads ``request.user`` on every request) and cannot refuse one here: the request that built a stored
page and every request served from it carry the same cookies apart from the CSRF cookie, which only a page that
sets it reads.

What a view must do on every request although its page is served from the cache (count a search) it names in
``response.page_cache_on_hit = ("dotted.path.to.callable", (args, ...))``, plain values that pickle; the entry
``(generation, content, headers, on_hit)`` keeps it and every GET hit calls it (``run_on_hit``), here and in the
WSGI front. Its errors are logged and never fail the hit.
"""

import logging
import re
from contextlib import ExitStack
from functools import cache, partial

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.module_loading import import_string

from .keys import (
    GENERATION_KEY,
    outage_pause,
    page_cache,
    read_generation,
    remember_generation,
    start_generation,
)
from .local import local_pages
from .qualify import request_key

HEADER = "X-Page-Cache"
# Where the WSGI front (cms.pagecache.wsgi) leaves the lookup it already made for a request it did not answer.
# Not a header: a client cannot set it.
LOOKUP_ENVIRON_KEY = "cms.pagecache.lookup"
_WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_NO_STORE_DIRECTIVES = {"private", "no-store", "no-cache"}
# Headers that are not part of a page: rebuilt by the server or meaningless once stored.
_SKIPPED_HEADERS = {"date", HEADER.lower()}
ON_HIT_ATTRIBUTE = "page_cache_on_hit"
# One line a minute and kind of error (cms.outages.OncePerInterval): a failing action fails on every hit.
logger = logging.getLogger("cms.outages.cache")


@cache
def _callable(path):
    return import_string(path)


def run_on_hit(on_hit, method):
    """Calls a stored page's action for a hit; a HEAD shows no page and calls nothing. Never raises."""
    if method == "HEAD":
        return
    path, args = on_hit
    try:
        _callable(path)(*args)
    except Exception:  # noqa: BLE001 - the visitor gets the page whatever the action does
        logger.warning("页面缓存命中时的操作 %s 出错", path, exc_info=True)


def _ignorable_vary(value):
    value = value.strip().lower()
    # Cookie: see the module's doc. Accept-Language: the site has one language.
    return value == "cookie" or (value == "accept-language" and len(settings.LANGUAGES) == 1)


def storable(response):
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or "Set-Cookie" in response:
        return False
    if any(not _ignorable_vary(value) for value in cc_delim_re.split(response.get("Vary", "")) if value.strip()):
        return False
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & _NO_STORE_DIRECTIVES:
        return False
    policies = response.get("Content-Security-Policy", "") + response.get("Content-Security-Policy-Report-Only", "")
    return "'nonce-" not in policies


def _note_write(flag, execute, sql, params, many, context):
    if _WRITE_SQL.match(sql):
        flag[0] = True
    return execute(sql, params, many, context)


def lookup(request):
    """(cache, key, generation, stored page or None) for a request the cache may answer, in one round trip.

    With a copy of the page in this process (cms.pagecache.local) the round trip reads the generation alone; without
    one it reads the generation and the page together (``get_many``). None when the request does not qualify, the
    cache is switched off, or the cache is down (served uncached).
    """
    return lookup_environ(request.META, request)


def lookup_environ(environ, request=None):
    """``lookup`` for the request of a WSGI ``environ``; without ``request`` none is built for a hit."""
    if not settings.PAGE_CACHE_ENABLED or outage_pause.active():
        return None
    key = request_key(environ, request)
    if key is None:
        return None
    cache = page_cache()
    had_copy = key in local_pages
    if had_copy:
        generation, stored = read_generation(cache), None
    else:
        found = cache.get_many([GENERATION_KEY, key])
        generation, stored = found.get(GENERATION_KEY), found.get(key)
    if generation is None:
        generation = start_generation(cache)
        if generation is None:
            return None
    if had_copy:
        copy = local_pages.get(key, generation)
        if copy is not None:
            return cache, key, generation, copy
        # The copy was older than the last purge: another process may have stored the page again since.
        stored = cache.get(key)
    if stored is not None and stored[0] != generation:
        stored = None
    if stored is not None:
        local_pages.put(key, stored)
    return cache, key, generation, stored


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = request.META[LOOKUP_ENVIRON_KEY] if LOOKUP_ENVIRON_KEY in request.META else lookup(request)
        if found is None:
            return self.get_response(request)
        cache, key, generation, stored = found
        if stored is not None:
            return self._from_stored(request, stored)
        remember_generation(generation)
        response, wrote = self._render_watching_writes(request)
        if wrote:
            # A hit would skip what this request wrote; the next request that writes nothing stores the page.
            response[HEADER] = "skip"
        elif request.method == "GET" and storable(response):
            # Under the generation read before rendering: were it purged meanwhile, this copy is never served.
            stored = self._to_stored(generation, response)
            cache.set(key, stored, settings.PAGE_CACHE_TIMEOUT)
            local_pages.put(key, stored)
            response[HEADER] = "miss"
        else:
            response[HEADER] = "skip"
        return response

    def _render_watching_writes(self, request):
        flag = [False]
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(partial(_note_write, flag)))
            response = self.get_response(request)
        return response, flag[0]

    @staticmethod
    def _to_stored(generation, response):
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _SKIPPED_HEADERS]
        return (generation, response.content, headers, getattr(response, ON_HIT_ATTRIBUTE, None))

    @staticmethod
    def _from_stored(request, stored):
        _generation, content, headers, on_hit = stored
        if on_hit is not None:
            run_on_hit(on_hit, request.method)
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response
