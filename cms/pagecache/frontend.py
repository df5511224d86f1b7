"""Purging a front-end cache (nginx, a CDN) through wagtail.contrib.frontend_cache.

Only pages have URLs to purge: the changed page (its old URL too after a move), its ancestors (the columns that
list it), the home page and the disclosure catalogue. The URLs of one transaction are sent once, after it
commits, so that the front-end cache cannot refill from rows about to change.
"""

import threading

from django.apps import apps
from django.db import transaction
from wagtail.models import Page

_pending = threading.local()


def _catalogue_pages():
    catalogue = apps.get_model("disclosure", "DisclosureCatalogue")
    return list(catalogue.objects.live())


def _old_url(page, old_url_path):
    site = page.get_site()
    if site is None or not old_url_path.startswith(site.root_page.url_path):
        return None
    return site.root_url + "/" + old_url_path[len(site.root_page.url_path) :]


def page_urls(page, old_url_path=None):
    """The URLs to purge for a change of ``page``."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_page(page)
    ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1).live()
    batch.add_pages(list(ancestors) + _catalogue_pages())
    if old_url_path:
        old = _old_url(page, old_url_path)
        if old:
            batch.add_url(old)
    return {url for url in batch.urls if url}


def _send():
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls, _pending.urls = _pending.urls, None
    if urls:
        purge_urls_from_cache(sorted(urls))


def purge_frontend(page, old_url_path=None):
    urls = page_urls(page, old_url_path)
    connection = transaction.get_connection()
    # The URLs wait in _pending only while a send is scheduled: a rolled-back transaction drops its callback.
    if getattr(_pending, "urls", None) and any(entry[1] is _send for entry in connection.run_on_commit):
        _pending.urls |= urls
        return
    _pending.urls = set(urls)
    transaction.on_commit(_send)
