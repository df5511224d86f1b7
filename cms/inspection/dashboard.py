"""网站检查状态 on the admin home: each of the user's units red, amber or green, and for the county office every unit
with a chart of scores by quarter and one of findings by kind.

The status comes from the latest recorded run (no inspection per page view). Before any run is recorded, a
member's own unit is inspected alone, once a day per unit (kept in the cache). Red: a veto or a finding; amber:
warnings only; green: none. Findings marked false positive count for nothing; findings of the portal as a whole
count against the unit answerable for the portal, as in scoring and the digest.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.charts import bar_chart, line_chart
from cms.organisation.models import Unit

from .access import is_inspector
from .findings import InspectionContext, Severity
from .report import inspect
from .runs import InspectionRun
from .scoring import QUARTERS, portal_unit, quarter_scores
from .scoring_models import kind_label

RED, AMBER, GREEN = "red", "amber", "green"
STATUS_LABELS = {
    RED: gettext_lazy("红：有问题或单项否决"),
    AMBER: gettext_lazy("黄：仅有预警"),
    GREEN: gettext_lazy("绿：无问题"),
}
STATUS_ORDER = {RED: 0, AMBER: 1, GREEN: 2}
# Findings listed under a member's own unit; the daily digest and the inspectors' pages hold the rest.
LISTED = 10
FRESH_SECONDS = 24 * 3600


@dataclass
class UnitStatus:
    unit: Unit
    rows: list = field(default_factory=list)  # counted finding rows, worst first

    @property
    def findings(self):
        return sum(1 for row in self.rows if row["severity"] != Severity.WARNING)

    @property
    def warnings(self):
        return len(self.rows) - self.findings

    @property
    def status(self):
        return RED if self.findings else AMBER if self.warnings else GREEN

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def listed(self):
        return self.rows[:LISTED]

    @property
    def more(self):
        return max(0, len(self.rows) - LISTED)


def counted(rows):
    """Rows not marked false positive, by the unit they count against, worst severity first."""
    portal = portal_unit()
    portal_code = portal.organisation_code if portal else ""
    order = {Severity.VETO: 0, Severity.FINDING: 1, Severity.WARNING: 2}
    by_unit = defaultdict(list)
    for row in sorted(rows, key=lambda row: order.get(row.get("severity"), 9)):
        if not row.get("false_positive"):
            by_unit[row.get("unit") or portal_code].append(row)
    return by_unit


def fresh_rows(unit, today):
    """The unit's own findings today, inspected once a day while no run has been recorded."""
    key = f"inspection-dashboard:{unit.organisation_code}:{today.isoformat()}"

    def rows():
        context = InspectionContext(as_of=today, unit_code=unit.organisation_code)
        return [reported.as_dict() for reported in inspect(context)]

    return cache.get_or_set(key, rows, FRESH_SECONDS)


def unit_statuses(units, run, today):
    if run is not None:
        by_unit = counted(run.findings)
        return [UnitStatus(unit, by_unit.get(unit.organisation_code, [])) for unit in units]
    return [UnitStatus(unit, counted(fresh_rows(unit, today)).get(unit.organisation_code, [])) for unit in units]


def scores_chart(year):
    """Line chart of the average and the lowest unit score of each quarter of `year` that has a run."""
    by_quarter = defaultdict(list)
    for quarters in quarter_scores(year).values():
        for quarter, score in quarters.items():
            by_quarter[quarter].append(score)
    present = [quarter for quarter in QUARTERS if by_quarter.get(quarter)]
    series = {}
    if present:
        series = {
            _("各单位平均分"): [
                (quarter, sum(by_quarter[quarter], Decimal("0")) / len(by_quarter[quarter])) for quarter in present
            ],
            _("最低分"): [(quarter, min(by_quarter[quarter])) for quarter in present],
        }
    return line_chart(_("%(year)s 年各季度得分") % {"year": year}, series, value_label=_("分"))


def kinds_chart(run):
    tally = Counter(row["kind"] for rows in counted(run.findings).values() for row in rows)
    rows = [(kind_label(kind), count) for kind, count in tally.most_common()]
    return bar_chart(_("最近一次检查的问题和预警（按类别）"), rows, value_label=_("项"))


class InspectionStatusPanel(Component):
    name = "inspection_status"
    template_name = "inspection/dashboard_panel.html"
    order = 90

    def __init__(self, statuses, run, today, supervisor):
        self.statuses = statuses
        self.run = run
        self.today = today
        self.supervisor = supervisor

    def get_context_data(self, parent_context):
        run = self.run
        context = {
            "statuses": self.statuses,
            "run": run,
            "today": self.today,
            "supervisor": self.supervisor,
            "tally": Counter(status.status for status in self.statuses),
            "status_labels": STATUS_LABELS,
        }
        if self.supervisor:
            context["run_url"] = reverse("inspection_run", args=[run.pk]) if run else None
            context["runs_url"] = reverse("inspection_runs")
            if run is not None:
                context["scores_chart"] = scores_chart(run.as_of.year)
                context["kinds_chart"] = kinds_chart(run)
        return context


def status_panel(user, today=None):
    """The panel for an inspector (every unit) or a member of units (their own); None for anyone else."""
    today = today or timezone.localdate()
    supervisor = is_inspector(user)
    units = Unit.objects.active() if supervisor else Unit.objects.active().for_user(user)
    units = list(units.order_by("name"))
    if not units:
        return None
    run = InspectionRun.objects.order_by("-created_at", "-pk").first()
    if run is None and supervisor:
        # A fresh inspection of every unit is too dear for a page view: the panel asks for a run instead.
        return InspectionStatusPanel([], None, today, supervisor)
    statuses = unit_statuses(units, run, today)
    statuses.sort(key=lambda status: (STATUS_ORDER[status.status], status.unit.name))
    return InspectionStatusPanel(statuses, run, today, supervisor)


@hooks.register("construct_homepage_panels")
def add_status_panel(request, panels):
    panel = status_panel(request.user)
    if panel is not None:
        panels.append(panel)
