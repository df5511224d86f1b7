"""Receivers: re-approval on edit, e-mail to the approvers a task arrives at, the scanner's mailbox-domain cache."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState
from wagtail.signals import task_submitted

from cms.organisation.models import Membership

from .api import INDEPENDENT_STAGES, WorkflowError, restart_after_edit, specific
from .checks.links import invalidate_url_shortener_hosts
from .checks.mailboxes import invalidate_public_mailbox_domains
from .models import PublicMailboxDomain, UnitTaskState, UrlShortenerHost

logger = logging.getLogger(__name__)


@receiver(pre_save, sender=Revision)
def keep_reviewed_revisions(sender, instance, raw=False, update_fields=None, **kwargs):
    """A revision that stages have acted on is evidence: overwriting it (autosave) would rewrite what was approved."""
    if raw or instance.pk is None or (update_fields and "content" not in update_fields):
        return
    if TaskState.objects.filter(revision_id=instance.pk).exists():
        raise WorkflowError(_("该版本已提交审核，不能覆盖；请保存为新版本（将重新从第一环节审核）。"))


@receiver(post_save, sender=Revision)
def send_back_to_first_stage(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and "content" not in update_fields):
        return
    restart_after_edit(instance)


@receiver(task_submitted, sender=UnitTaskState)
def notify_approvers(sender, instance, user=None, **kwargs):
    state = instance
    if state.unit_id is None:
        return
    users = (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.active().filter(unit_id=state.unit_id, role=state.role).values("user_id"),
            is_active=True,
        )
        .exclude(email="")
    )
    if state.stage in INDEPENDENT_STAGES and state.workflow_state.requested_by_id:
        users = users.exclude(pk=state.workflow_state.requested_by_id)
    recipients = sorted(users.values_list("email", flat=True))
    if not recipients:
        logger.warning("No approver with an e-mail address for task state %s", state.pk)
        return
    obj = specific(state.workflow_state.content_object)
    context = {
        "state": state,
        "object": obj,
        "base_url": getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
        "dashboard_url": reverse("wagtailadmin_home"),
    }
    subject = render_to_string("workflows/email/task_arrived_subject.txt", context).strip()
    body = render_to_string("workflows/email/task_arrived.txt", context)
    send_mail(subject, body, None, recipients, fail_silently=True)


# Every process then reads the changed 公开邮箱域名 list at its next scan.
post_save.connect(
    invalidate_public_mailbox_domains, sender=PublicMailboxDomain, dispatch_uid="public_mailbox_domains_saved"
)
post_delete.connect(
    invalidate_public_mailbox_domains, sender=PublicMailboxDomain, dispatch_uid="public_mailbox_domains_deleted"
)
post_save.connect(invalidate_url_shortener_hosts, sender=UrlShortenerHost, dispatch_uid="url_shortener_hosts_saved")
post_delete.connect(invalidate_url_shortener_hosts, sender=UrlShortenerHost, dispatch_uid="url_shortener_hosts_deleted")
