"""The annual assessment (年度考核): accountability cases of article 34 and each unit's year (imported by models.py)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import mediastorage

from .scoring_models import AccountabilityCategory

CASE_EVIDENCE_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "jpg", "jpeg", "png"]
FIRST_YEAR = 2000


def private_storage():
    """Evidence (criticism letters, screenshots) is internal, so it stays beside the other private files."""
    root = getattr(settings, "DISCLOSURE_REQUEST_FILES_ROOT", settings.BASE_DIR / "var" / "private")
    return mediastorage.private_storage(Path(root) / "inspection", "inspection")


def validate_evidence(upload):
    # Imported here: cms.security.uploads loads models of its own.
    from cms.security.uploads import validate_document_upload

    validate_document_upload(upload)


def validate_year(year):
    last = timezone.localdate().year + 1
    if year is None or not FIRST_YEAR <= year <= last:
        raise ValidationError(
            _("考核年度“%(year)s”无效，请填写 %(first)s 至 %(last)s 之间的年份。")
            % {"year": year, "first": FIRST_YEAR, "last": last}
        )


class AccountabilityCase(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=gettext_lazy("单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(gettext_lazy("考核年度"), validators=[validate_year])
    category = models.CharField(gettext_lazy("问责情形"), max_length=40, choices=AccountabilityCategory.choices)
    date = models.DateField(gettext_lazy("发生日期"))
    description = models.TextField(gettext_lazy("情况说明"), max_length=2000)
    evidence_file = models.FileField(
        gettext_lazy("证据材料"),
        upload_to="cases/%Y/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(CASE_EVIDENCE_EXTENSIONS), validate_evidence],
    )
    evidence_text = models.TextField(gettext_lazy("证据说明"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(gettext_lazy("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("问责情形")
        verbose_name_plural = gettext_lazy("问责情形")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.unit} · {self.get_category_display()} · {self.date.isoformat()}"

    def clean(self):
        errors = {}
        if not self.evidence_file and not (self.evidence_text or "").strip():
            errors["evidence_text"] = _("请上传证据材料或填写证据说明。")
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("发生日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)


class AnnualAssessment(models.Model):
    year = models.PositiveSmallIntegerField(gettext_lazy("考核年度"))
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=gettext_lazy("单位"), on_delete=models.CASCADE, related_name="+"
    )
    q1 = models.DecimalField(gettext_lazy("第一季度"), max_digits=6, decimal_places=2, null=True, blank=True)
    q2 = models.DecimalField(gettext_lazy("第二季度"), max_digits=6, decimal_places=2, null=True, blank=True)
    q3 = models.DecimalField(gettext_lazy("第三季度"), max_digits=6, decimal_places=2, null=True, blank=True)
    q4 = models.DecimalField(gettext_lazy("第四季度"), max_digits=6, decimal_places=2, null=True, blank=True)
    vetoed_quarters = models.CharField(gettext_lazy("单项否决季度"), max_length=20, blank=True)
    accountability = models.DecimalField(gettext_lazy("问责扣分"), max_digits=6, decimal_places=2, default=0)
    final_score = models.DecimalField(gettext_lazy("年度得分"), max_digits=6, decimal_places=2)
    computed_at = models.DateTimeField(gettext_lazy("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("年度考核")
        verbose_name_plural = gettext_lazy("年度考核")
        ordering = ["year", "-final_score"]
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="unique_annual_assessment")]

    def __str__(self):
        return f"{self.year} {self.unit}"

    @property
    def quarter_scores(self):
        return {"Q1": self.q1, "Q2": self.q2, "Q3": self.q3, "Q4": self.q4}

    @property
    def vetoed_quarter_labels(self):
        """ "Q1,Q3" as the table shows it: 第一季度、第三季度."""
        names = {"Q1": _("第一季度"), "Q2": _("第二季度"), "Q3": _("第三季度"), "Q4": _("第四季度")}
        return "、".join(str(names.get(q, q)) for q in self.vetoed_quarters.split(",") if q)
