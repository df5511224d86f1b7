"""Availability probes: one row per page request made by ``probe_site`` (imported by models.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# 国办秘函〔2019〕19号: a visit that takes 15 seconds or more (超过（含）15秒) counts as the site not opening.
SLOW_SECONDS = 15.0


class ProbeResult(models.Model):
    checked_at = models.DateTimeField(_("检测时间"), db_index=True)
    url = models.CharField(_("地址"), max_length=500)
    is_home = models.BooleanField(_("首页"), default=False)
    status = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    elapsed = models.FloatField(_("耗时（秒）"))
    error = models.CharField(_("错误"), max_length=200, blank=True)
    # Off-site links hidden by CSS in the served HTML (暗链): [{"href": ..., "reason": ...}].
    hidden_links = models.JSONField(_("暗链"), default=list, blank=True)

    class Meta:
        verbose_name = _("可用性检测记录")
        verbose_name_plural = _("可用性检测记录")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.url} {self.status or self.error}"

    @property
    def failed(self):
        """Not opened in time: no answer, an error status, or 15 seconds or more."""
        return bool(self.error) or self.status is None or self.status >= 400 or self.elapsed >= SLOW_SECONDS
