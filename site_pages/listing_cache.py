"""What the public listings read once and then keep: totals of long listings, filter choices, side menus.

Everything is cached under one version token that any change of what a listing shows replaces: a page saved,
published, unpublished, moved or deleted, a view restriction, a unit, and the models other apps register with
watch() (catalogue categories, policy entries). The token is replaced at once and again when the transaction
commits, so a request that read the old rows between the two cannot leave them cached under the new token.
The token is owned here, independent of any page cache; a lost cache (Redis restarted) only means a new token.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.pagecache.keys import GENERATION_KEY, page_cache, start_generation

VERSION_KEY = "listings:version"
# Long enough to matter under load, short enough that a change made behind the signals' back heals by itself.
TIMEOUT = 3600


def version():
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)  # add(): a concurrent request may have set one first
        token = cache.get(VERSION_KEY) or "uncached"
    return token


def page_cache_generation():
    pages = page_cache()
    return pages.get(GENERATION_KEY) or start_generation(pages)


def _replace():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def bump(**_kwargs):
    _replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace)


def cached(name, compute, *parts):
    """compute()'s value, kept under the current version; `parts` tell one listing's value from another's.

    The key also carries the page cache's generation, which every write to a model shown publicly replaces
    (cms.pagecache.purge): a change this module does not watch (a cover image replaced, a setting) cannot
    leave a listing stale for the page cache to store again.
    """
    if not settings.LISTING_CACHE_ENABLED:
        return compute()
    generation = page_cache_generation()
    if generation is None:  # the cache is down
        return compute()
    key = ":".join(["listings", version(), str(generation), name, *(str(part) for part in parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump()


def watch(*models):
    """Replace the version whenever a row of one of `models` is saved or deleted."""
    for model in models:
        uid = f"listing_cache_{model._meta.label_lower}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}_deleted")


def connect():
    # Page saves are sent with the concrete page class as sender: one receiver for all of them.
    post_save.connect(_page_changed, dispatch_uid="listing_cache_page_saved")
    post_delete.connect(_page_changed, dispatch_uid="listing_cache_page_deleted")
    # Unpublishing a subtree and moving a page update rows in bulk, without post_save.
    page_published.connect(bump, dispatch_uid="listing_cache_published")
    page_unpublished.connect(bump, dispatch_uid="listing_cache_unpublished")
    post_page_move.connect(bump, dispatch_uid="listing_cache_moved")
    from cms.organisation.models import Unit

    watch(PageViewRestriction, Unit)
