"""Receivers of the catalogue: a 索引号 and the public visibility follow every publication of an item."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import DisclosureItem


@receiver(page_published, sender=DisclosureItem)
def number_published_item(sender, instance, revision=None, alias=False, **kwargs):
    # DisclosureItem.publish wraps the publication in a transaction, so the serial and the live
    # row commit together; aliases are copies of the same information and need no number.
    if alias:
        return
    instance.assign_index_number()
    instance.sync_visibility()
