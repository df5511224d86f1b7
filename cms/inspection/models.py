"""检查考核: stored results of the quarterly inspection (models are added by the parts that need them)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class FalsePositive(models.Model):
    """An inspector's mark that a finding is wrong; kept by the finding's key, so it holds in every later run."""

    key = models.CharField(gettext_lazy("检查发现标识"), max_length=1000, unique=True)
    kind = models.CharField(gettext_lazy("类别"), max_length=40)
    reason = models.TextField(gettext_lazy("误报理由"), max_length=1000)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("标记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(gettext_lazy("标记时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("误报标记")
        verbose_name_plural = gettext_lazy("误报标记")

    def __str__(self):
        return self.key


def mark_false_positive(finding, reason, user):
    """Marks `finding` false positive for this and every later run; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("标记误报须填写理由。"))
    if len(reason) > 1000:
        raise ValidationError(_("误报理由不能超过 1000 字。"))
    mark, _created = FalsePositive.objects.update_or_create(
        key=finding.key,
        defaults={"kind": finding.kind, "reason": reason, "marked_by": user, "marked_at": timezone.now()},
    )
    return mark


from .annual_models import AccountabilityCase, AnnualAssessment  # noqa: E402,F401
from .bulletin import Bulletin  # noqa: E402,F401
from .digest_models import DigestState  # noqa: E402,F401
from .probe_models import ProbeResult  # noqa: E402,F401
from .run_requests import InspectionRequest  # noqa: E402,F401
from .runs import InspectionRun  # noqa: E402,F401
from .scoring_models import DeductionRule  # noqa: E402,F401
