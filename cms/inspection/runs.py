"""Recorded inspections: every run of ``inspect_site --record`` or of 立即检查 is kept as it was found.

A run stores its findings as rows (``ReportedFinding.as_dict()`` plus the finding's ``key``), so a later change
to a check, a rule or a false-positive mark never rewrites what an earlier quarter found. Of the runs whose
inspection date falls in a quarter, the one recorded last is the quarter's: scoring and the bulletin use it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .findings import InspectionContext
from .report import inspect


def quarter_of(day):
    """The quarter a date falls in, as "2026Q4"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


class InspectionRunQuerySet(models.QuerySet):
    def of_quarter(self, quarter):
        """The quarter's run (the one recorded last), or None."""
        return self.filter(quarter=quarter).order_by("-created_at", "-pk").first()

    def of_year(self, year):
        """{"Q1": run, ...} for the quarters of `year` that have a run."""
        runs = {}
        for run in self.filter(quarter__startswith=f"{year}Q").order_by("created_at", "pk"):
            runs[run.quarter[-2:]] = run
        return runs


class InspectionRun(models.Model):
    quarter = models.CharField(_("季度"), max_length=6, db_index=True)
    as_of = models.DateField(_("检查日期"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    findings = models.JSONField(_("检查发现"), default=list, blank=True)

    objects = InspectionRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("季度检查记录")
        verbose_name_plural = _("季度检查记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.quarter} {self.as_of.isoformat()}"


def record_run(as_of, user=None):
    """Inspects the whole portal as of `as_of` and keeps the result as a new run."""
    return store_run(as_of, inspect(InspectionContext(as_of=as_of)), user)


def store_run(as_of, reported, user=None):
    """Keeps an inspection's reported findings (of the whole portal) as a new run."""
    rows = [dict(row.as_dict(), key=row.finding.key) for row in reported]
    return InspectionRun.objects.create(quarter=quarter_of(as_of), as_of=as_of, created_by=user, findings=rows)
