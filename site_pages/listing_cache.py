"""What the public listings read once and then keep: totals of long listings, filter choices, side menus.

Kept under the page cache's generation (cms.pagecache), which every publication, unpublication, move,
deletion and write to a model shown publicly replaces at once and again on commit: the same purge that
empties the page cache renews these values, whatever changed (a page, a view restriction, a unit, a
catalogue category, a cover image, a setting). A lost cache (Redis restarted) only means a new generation.
"""

from django.conf import settings
from django.core.cache import cache

from cms.pagecache.keys import current_generation
from cms.pagecache.purge import request_purge

# Long enough to matter under load, short enough that a change made behind the signals' back heals by itself.
TIMEOUT = 3600


def bump():
    """Renews every cached value (and every cached page)."""
    request_purge()


def cached(name, compute, *parts):
    """compute()'s value, kept under the current generation; `parts` tell one listing's value from another's."""
    if not settings.LISTING_CACHE_ENABLED:
        return compute()
    generation = current_generation()
    if generation is None:  # the cache is down
        return compute()
    key = ":".join(["listings", str(generation), name, *(str(part) for part in parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
