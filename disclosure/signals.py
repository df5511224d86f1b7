from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from site_pages import listing_cache

from . import calendar
from .models import CalendarDay, DisclosureCategory, IndexNumberCounter, PolicyCatalogueEntry, TopicCategory

# The catalogue's filter choices and listings are cached until one of these changes (or a page does).
listing_cache.watch(DisclosureCategory, TopicCategory, IndexNumberCounter, PolicyCatalogueEntry)


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_day_changed(sender, **kwargs):
    # Clear now so the rest of this request sees the change, and tell other processes only once
    # the change is committed (see calendar.invalidate_everywhere).
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate_everywhere)
