"""The reply to a letter while it is drafted and reviewed (答复审核), and the daily reminders to units.

A reply is reviewed like any other content: it sits under the workflow 「留言答复审核」 (automated checks on
its text, then the handling unit's 主要负责人 signs it off). The final approval publishes the reply, and
publishing closes the letter (site_pages.letters.handling); a rejection is 退回重办 and the letter goes back
to 办理中. The letter keeps only the approved text; drafts and their review live here.
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin, WorkflowState
from wagtail.signals import published, workflow_rejected

from .letters import Message

REPLY_WORKFLOW = "留言答复审核"


class MessageReply(WorkflowMixin, DraftStateMixin, RevisionMixin, models.Model):
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="reply", verbose_name=_("留言"))
    text = models.TextField(_("答复内容"))

    class Meta:
        verbose_name = _("留言答复")
        verbose_name_plural = _("留言答复")

    def __str__(self):
        return str(_("%(receipt)s 的答复") % {"receipt": self.message.receipt_number})

    @property
    def owning_unit_id(self):
        # The workflow's sign-off is the handling unit's head.
        return self.message.handling_unit_id

    @property
    def owning_unit(self):
        return self.message.handling_unit


@receiver(published, sender=MessageReply)
def close_letter_on_publication(sender, instance, revision=None, **kwargs):
    from ..letters import handling

    handling.close_after_approval(instance, revision)


@receiver(workflow_rejected, sender=WorkflowState)
def send_letter_back_on_rejection(sender, instance, user=None, **kwargs):
    if instance.base_content_type.model_class() is not MessageReply:
        return
    from ..letters import handling

    handling.reopen_after_rejection(MessageReply.objects.get(pk=instance.object_id), instance, user)


class LetterReminder(models.Model):
    """One day's reminder e-mail to a unit about its letters in 预警 or later; the daily command sends one a day."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    sent_on = models.DateField(_("提醒日期"))
    letters = models.JSONField(_("提醒的留言编号"), default=list)
    recipients = models.PositiveSmallIntegerField(_("收件人数"), default=0)

    class Meta:
        verbose_name = _("留言办理提醒")
        verbose_name_plural = _("留言办理提醒")
        constraints = [models.UniqueConstraint(fields=["unit", "sent_on"], name="one_letter_reminder_a_day")]

    def __str__(self):
        return f"{self.unit} {self.sent_on}"
