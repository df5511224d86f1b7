"""Every unit's editor group may write and submit its accounts' posts (never publish: only 三审三校 does).

The workflow's submission asks for the model's change permission (``workflows.api.can_edit``) as for any reviewed
snippet; which posts a member reaches is still decided by ``newmedia.access`` through the post permission policy.
"""

from django.contrib.auth.models import Permission
from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.organisation.models import Unit

POST_PERMISSIONS = ("add_newmediapost", "change_newmediapost")


@receiver(post_save, sender=Unit)
def grant_post_permissions(sender, instance, raw=False, **kwargs):
    # Runs after cms.organisation's own receiver (installed earlier), which creates the unit's group.
    if raw or instance.editor_group_id is None:
        return
    instance.editor_group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newmedia", codename__in=POST_PERMISSIONS)
    )
