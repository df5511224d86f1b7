"""Receivers of the catalogue: a 索引号 follows the first publication of an item or a policy document."""

from django.dispatch import receiver
from wagtail.signals import page_published

from site_pages.models import PolicyDocumentPage

from .models import DisclosureItem
from .models.policy_record import catalogue_policy_document


@receiver(page_published, sender=DisclosureItem)
def number_published_item(sender, instance, revision=None, alias=False, **kwargs):
    # DisclosureItem.publish wraps the publication in a transaction, so the serial and the live
    # row commit together; aliases are copies of the same information and need no number.
    if alias:
        return
    instance.assign_index_number()
    instance.sync_visibility()


@receiver(page_published, sender=PolicyDocumentPage)
def catalogue_published_policy(sender, instance, revision=None, alias=False, **kwargs):
    # A published policy document is the catalogue's entry for itself: no separate item to keep in step.
    if alias:
        return
    catalogue_policy_document(instance)
