"""季度检查 in the admin: the recorded runs, 立即检查, and one run's findings with 标记误报.

A run is kept as it was found; marking a finding false positive changes the mark (by the finding's key),
which the next run carries, so the page says so next to the finding rather than rewriting the run.
"""

from collections import OrderedDict
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms.organisation.people import person_name

from .admin_common import InspectorViewMixin, portal_label, severity_label, unit_names
from .findings import Kind, Severity
from .models import FalsePositive, mark_false_positive
from .run_requests import STALE_HOURS, InspectionRequest, queue
from .runs import InspectionRun
from .scoring import counts, portal_unit, score_run
from .scoring_models import kind_label

PORTAL = "portal"  # the filter's value for findings of the portal as a whole (unit "")
RUNS_LISTED = 40


def severity_counts(rows):
    tally = {severity: 0 for severity in Severity}
    marked = 0
    for row in rows:
        if row.get("false_positive"):
            marked += 1
        elif row.get("severity") in tally:
            tally[row["severity"]] += 1
    return {
        "veto": tally[Severity.VETO],
        "finding": tally[Severity.FINDING],
        "warning": tally[Severity.WARNING],
    }, marked


class RunListView(InspectorViewMixin, TemplateView):
    template_name = "inspection/admin/runs.html"
    page_title = gettext_lazy("季度检查")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = list(InspectionRun.objects.select_related("created_by")[:RUNS_LISTED])
        current = {}
        for run in InspectionRun.objects.filter(quarter__in={run.quarter for run in runs}).order_by("created_at", "pk"):
            current[run.quarter] = run.pk
        rows = []
        for run in runs:
            tally, marked = severity_counts(run.findings)
            rows.append({"run": run, "counts": tally, "marked": marked, "current": current[run.quarter] == run.pk})
        latest = InspectionRequest.objects.select_related("requested_by", "run").first()
        context.update(
            rows=rows,
            today=timezone.localdate(),
            latest_request=latest,
            requester=requester(latest) if latest else None,
            stale_hours=STALE_HOURS,
        )
        return context


class RunNowView(InspectorViewMixin, View):
    """Queues an inspection for the timer's command: run here, a large portal's would outlive the worker."""

    http_method_names = ["post"]

    def post(self, request):
        queued, created = queue(request.user)
        if created:
            messages.success(
                request,
                _("已提交检查请求，将在一分钟内开始检查全站，需要几分钟到十几分钟。请稍后刷新本页查看进度和结果。"),
            )
        elif queued is not None:
            messages.warning(
                request,
                _("已有一次检查（%(who)s 于 %(when)s 提出）%(state)s，无需重复提交；完成后刷新本页查看结果。")
                % {"state": queued.get_state_display(), "who": requester(queued), "when": moment(queued.requested_at)},
            )
        else:
            messages.warning(request, _("刚才的检查已结束，请刷新本页查看结果后再决定是否重新检查。"))
        return redirect("inspection_runs")


def requester(inspection_request):
    return person_name(inspection_request.requested_by, missing=_("已删除的用户"))


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class FindingFilterForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("单位"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False)
    severity = forms.ChoiceField(label=gettext_lazy("严重程度"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        every = ("", _("全部"))
        self.fields["unit"].choices = [every, *units]
        self.fields["kind"].choices = [every, *Kind.choices]
        self.fields["severity"].choices = [every, *Severity.choices]
        for name, label in (("unit", _("单位")), ("kind", _("类别")), ("severity", _("严重程度"))):
            self.fields[name].error_messages["invalid_choice"] = _("所选%(field)s不在可选范围内，请重新选择。") % {
                "field": label
            }

    def keep(self, row):
        if not self.is_valid():
            return True
        unit, kind, severity = (self.cleaned_data[name] for name in ("unit", "kind", "severity"))
        return (
            (not unit or (row.get("unit") or PORTAL) == unit)
            and (not kind or row.get("kind") == kind)
            and (not severity or row.get("severity") == severity)
        )


class ReasonForm(forms.Form):
    key = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": gettext_lazy("未指明要标记的检查发现。")}
    )
    reason = forms.CharField(
        label=gettext_lazy("误报理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("标记误报须填写理由。"),
            "max_length": gettext_lazy("误报理由不能超过 1000 字。"),
        },
    )


def reason_id(index):
    # One form per finding on the page: each needs its own element ids for its label.
    return f"id_finding{index}_%s"


class RunDetailView(InspectorViewMixin, TemplateView):
    template_name = "inspection/admin/run.html"
    header_icon = "list-ul"
    parent_crumbs = (("inspection_runs", gettext_lazy("季度检查")),)

    def prepare(self, run_id):
        self.run = InspectionRun.objects.filter(pk=run_id).first()
        if self.run is None:
            raise Http404(_("检查记录不存在或已删除。"))

    def get_page_title(self):
        return _("%(quarter)s 季度检查（检查日期 %(as_of)s）") % {
            "quarter": self.run.quarter,
            "as_of": self.run.as_of.isoformat(),
        }

    def post(self, request, run_id):
        row = self.row(request.POST.get("key", ""))
        form = ReasonForm(request.POST, auto_id=reason_id(row["index"]))
        if form.is_valid():
            try:
                mark_false_positive(
                    SimpleNamespace(key=row["key"], kind=row["kind"]), form.cleaned_data["reason"], request.user
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                messages.success(request, _("已标记为误报；下次检查起该项不再计入扣分和单项否决。"))
                return redirect(reverse("inspection_run", args=[self.run.pk]) + "#finding-" + str(row["index"]))
        return self.render_to_response(self.get_context_data(failed_form=form))

    def row(self, key):
        for index, row in enumerate(self.run.findings):
            if row.get("key") == key:
                return dict(row, index=index)
        raise Http404(_("本次检查记录中没有这条检查发现，请刷新页面后重试。"))

    def get_context_data(self, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.run.findings
        portal = portal_unit()
        names = unit_names({row.get("unit") for row in rows} - {""})
        codes = sorted({row.get("unit") or PORTAL for row in rows}, key=lambda code: (code != PORTAL, code))
        labels = {code: portal_label(portal) if code == PORTAL else names.get(code, code) for code in codes}
        filters = FindingFilterForm(self.request.GET or None, units=list(labels.items()))
        marks = dict(
            FalsePositive.objects.filter(key__in=[row.get("key") for row in rows]).values_list("key", "reason")
        )
        groups = OrderedDict()
        for index, row in enumerate(rows):
            if not filters.keep(row):
                continue
            failed = failed_form is not None and failed_form.data.get("key") == row.get("key")
            groups.setdefault(labels[row.get("unit") or PORTAL], []).append(
                {
                    "index": index,
                    "row": row,
                    "kind": kind_label(row.get("kind")),
                    "severity": severity_label(row.get("severity")),
                    "counts": counts(row),
                    "marked_since": None if row.get("false_positive") else marks.get(row.get("key")),
                    "form": failed_form
                    if failed
                    else ReasonForm(initial={"key": row.get("key")}, auto_id=reason_id(index)),
                }
            )
        tally, marked = severity_counts(rows)
        context.update(
            run=self.run,
            groups=groups,
            filters=filters,
            counts=tally,
            marked=marked,
            scores=score_run(self.run),
            is_current=InspectionRun.objects.of_quarter(self.run.quarter) == self.run,
        )
        return context
