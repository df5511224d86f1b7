from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership, Unit
from .permissions import ensure_unit_group, sync_user_groups


@receiver(post_save, sender=Unit)
def unit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ensure_unit_group(instance)
    for user in {m.user for m in instance.memberships.select_related("user")}:
        sync_user_groups(user)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_user_groups(instance.user)
