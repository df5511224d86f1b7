"""This process's own copies of the pages it served from the shared page cache.

A hit from the shared cache moves the whole page out of Redis on every request; with a copy here only the
generation number crosses the network. A copy is served only while the generation it was stored under is still the
shared cache's current one, which is read on every request, so a purge made by any process on any server is seen
on the next request exactly as without copies. The copies are bounded by ``PAGE_CACHE_LOCAL_BYTES`` (least recently
used first out); 0 keeps none.
"""

import threading
from collections import OrderedDict

from django.conf import settings


class BoundedCopies:
    """Values this process keeps, least recently used first out, within a number of bytes.

    ``limit`` is a callable giving the bytes allowed (read at each store, so a setting changed at run time applies),
    ``size`` one giving a value's bytes. Shared by the page copies here and the listing cache's
    (site_pages.listing_cache); each says which of its values may still be answered.
    """

    def __init__(self, limit, size):
        self._limit, self._size = limit, size
        self._copies = OrderedDict()
        self._bytes = 0
        # The development server and threaded workers share one process.
        self._lock = threading.Lock()

    def __contains__(self, key):
        return key in self._copies

    def get(self, key, valid):
        """The value kept for ``key`` if ``valid(value)``, else None; a value no longer valid is dropped."""
        with self._lock:
            value = self._copies.get(key)
            if value is None:
                return None
            if not valid(value):
                self._drop(key)
                return None
            self._copies.move_to_end(key)
            return value

    def put(self, key, value):
        limit = self._limit()
        size = self._size(value)
        if size > limit:
            return
        with self._lock:
            if key in self._copies:
                self._drop(key)
            self._copies[key] = value
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._copies)))

    def clear(self):
        with self._lock:
            self._copies.clear()
            self._bytes = 0

    @property
    def size(self):
        return self._bytes

    def _drop(self, key):
        self._bytes -= self._size(self._copies.pop(key))


def _size(stored):
    _generation, content, headers, on_hit = stored
    # An action is a dotted path and a few plain values: its repr is near enough.
    extra = len(repr(on_hit)) if on_hit is not None else 0
    return len(content) + sum(len(name) + len(value) for name, value in headers) + extra


class LocalPages(BoundedCopies):
    def __init__(self):
        super().__init__(lambda: settings.PAGE_CACHE_LOCAL_BYTES, _size)

    def get(self, key, generation):
        """The copy of ``key`` stored under ``generation``, or None; a copy under an older generation is dropped."""
        return super().get(key, lambda stored: stored[0] == generation)


local_pages = LocalPages()
