"""What the public listings read once and then keep: totals of long listings, filter choices, side menus.

Kept under the page cache's generation (cms.pagecache), which every publication, unpublication, move,
deletion and write to a model shown publicly replaces at once and again on commit: the same purge that
empties the page cache renews these values, whatever changed (a page, a view restriction, a unit, a
catalogue category, a cover image, a setting). A lost cache (Redis restarted) only means a new generation.

Each process also keeps the pickled values it read or computed, under the generation they belong to: a value
is stored in the shared cache once per generation and never changed, so while the generation (read once per
request anyway) is the same, this process's copy is the shared one, and a page that shows eight listings
makes no round trip for them. Unpickled on each read, like a value from Redis: no request sees objects another
request used. The copies expire as the shared cache's do and are dropped when the generation changes.

A shared value this code cannot unpickle (written by an older release's workers during an upgrade) counts as
missing: it is computed again and written over, instead of failing the page. So does one that unpickles into an
object lacking a field its class now has: a dataclass that gained a field would otherwise answer the field's
default, or fail in a template, which prints nothing, until the generation changes.
"""

import dataclasses
import logging
import pickle
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from cms.pagecache.keys import current_generation
from cms.pagecache.local import BoundedCopies
from cms.pagecache.purge import request_purge

logger = logging.getLogger(__name__)

# Long enough to matter under load, short enough that a change made behind the signals' back heals by itself.
TIMEOUT = 3600
# This process's copies: a few hundred menus, frames and totals fit many times over.
LOCAL_BYTES = 8 * 1024 * 1024


class LocalValues(BoundedCopies):
    """This process's pickled copies of the current generation's values: (generation, expires, pickled) by key."""

    def __init__(self, limit):
        super().__init__(lambda: limit, lambda kept: len(kept[2]))
        self.generation = None

    def get(self, key, generation):
        kept = super().get(key, lambda kept: kept[0] == generation and kept[1] > time.monotonic())
        return None if kept is None else kept[2]

    def put(self, key, generation, pickled):
        if generation != self.generation:
            # Nothing of an older generation is answered again: its copies only take room.
            self.clear()
            self.generation = generation
        super().put(key, (generation, time.monotonic() + TIMEOUT, pickled))


local_values = LocalValues(LOCAL_BYTES)


def bump():
    """Renews every cached value (and every cached page)."""
    request_purge()


def enabled():
    return settings.LISTING_CACHE_ENABLED


def cached(name, compute, *parts, keep=None):
    """compute()'s value, kept under the current generation; `parts` tell one listing's value from another's.

    None is never kept (the shared cache answers None for a missing key), nor a value `keep` refuses: they are
    computed again each time."""
    if not settings.LISTING_CACHE_ENABLED:
        return compute()
    generation = current_generation()
    if generation is None:  # the cache is down
        return compute()
    key = ":".join(["listings", str(generation), name, *(str(part) for part in parts)])
    pickled = local_values.get(key, generation)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301 - written by this process just above
    value = _shared(key)
    if value is None:
        value = compute()
        if value is None or (keep is not None and not keep(value)):
            return value
        cache.set(key, value, TIMEOUT)
    local_values.put(key, generation, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


# What unpickling a value raises when the code that wrote it differs from this process's: its class moved or was
# renamed (module or attribute missing) or takes other arguments. Seen during an upgrade, while the old workers
# still write and the new ones read, and after it until the generation changes.
UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, EOFError)


def _shared(key):
    """The shared cache's value, or None where it has none or one this code cannot read (computed again and
    written over)."""
    try:
        value = cache.get(key)
    except UNREADABLE:
        logger.warning("列表缓存中的值无法读取（可能由旧版本代码写入），已重新计算：%s", key, exc_info=True)
        return None
    if not _complete(value):
        logger.warning("列表缓存中的值缺少当前代码需要的字段（可能由旧版本代码写入），已重新计算：%s", key)
        return None
    return value


def _complete(value):
    """Whether every dataclass instance in `value` (or in the lists, tuples, sets and dicts it holds) has each field
    of its class in its own attributes, as this code would have made it."""
    if isinstance(value, list | tuple | set | frozenset):
        return all(_complete(item) for item in value)
    if isinstance(value, dict):
        return all(_complete(item) for item in value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Not hasattr() alone: a field with a default is also an attribute of the class. Slotted ones have no dict.
        held = vars(value) if hasattr(value, "__dict__") else None
        return all(
            (spec.name in held if held is not None else hasattr(value, spec.name))
            and _complete(getattr(value, spec.name))
            for spec in dataclasses.fields(value)
        )
    return True


def public(pages):
    """pages.public(), with the restricted pages it excludes read from the listing cache (Wagtail reads every view
    restriction on each call; a restriction's write renews them)."""
    if not settings.LISTING_CACHE_ENABLED:
        return pages.public()
    private = Q()
    for page in cached("restricted-pages", _restricted_pages):
        private |= pages.descendant_of_q(page, inclusive=True)
    return pages.exclude(private if private else Q(pk__in=[]))  # as Wagtail's private_q, which matches nothing then


def _restricted_pages():
    from wagtail.models import PageViewRestriction

    return [restriction.page for restriction in PageViewRestriction.objects.select_related("page")]
