"""What the daily digest last knew of each unit, so that the next one names only what is new."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestState(models.Model):
    """One row per unit: the findings open at its last digest (``digest.identity`` of each) and when it mailed."""

    unit = models.OneToOneField(
        "organisation.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="inspection_digest"
    )
    identities = models.JSONField(_("上次摘要时的检查发现"), default=list, blank=True)
    as_of = models.DateField(_("上次摘要的检查日期"))
    sent_at = models.DateTimeField(_("上次发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("每日检查摘要记录")
        verbose_name_plural = _("每日检查摘要记录")

    def __str__(self):
        return f"{self.unit} {self.as_of.isoformat()}"
