"""Fingerprint pages when publishing changes them.

Publishing a page changes its own HTML and the listings of its ancestors (the home page and
columns list their latest items), so both are fingerprinted again. The work runs after the
transaction commits: the render then sees the final state, and a rendering failure can never
roll back or block the publish itself.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .fingerprint import record_fingerprint
from .models import PageFingerprint


def _refresh(page_ids, requested_at, own_page_id):
    # A fingerprint taken after this request already reflects it: publishing many pages in one
    # transaction (seed, bulk actions) renders each shared ancestor once, not once per page.
    fresh = set(
        PageFingerprint.objects.filter(page_id__in=page_ids, created_at__gte=requested_at).values_list(
            "page_id", flat=True
        )
    )
    pages = Page.objects.filter(pk__in=[pk for pk in page_ids if pk not in fresh]).live().specific()
    for page in pages:
        reason = PageFingerprint.Reason.PUBLISH if page.pk == own_page_id else PageFingerprint.Reason.ANCESTOR
        record_fingerprint(page, reason)


def _schedule(page, include_self):
    ancestor_ids = list(Page.objects.ancestor_of(page).filter(depth__gt=1).values_list("pk", flat=True))
    page_ids = [*ancestor_ids, page.pk] if include_self else ancestor_ids
    requested_at = timezone.now()
    transaction.on_commit(lambda: _refresh(page_ids, requested_at, page.pk), robust=True)


def on_page_published(sender, instance, **kwargs):
    _schedule(instance, include_self=True)


def on_page_unpublished(sender, instance, **kwargs):
    _schedule(instance, include_self=False)


def connect():
    page_published.connect(on_page_published, dispatch_uid="security_fingerprint_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="security_fingerprint_unpublished")
