"""Views of 留言统计 (public on the board, and in the admin) and 民意分析 (admin only).

In the admin, 县政府办公室 and superusers see every unit; any other staff member sees the units they
belong to, and asking for another unit is refused. Exports are the same figures as xlsx.
"""

import datetime
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.charts import bar_chart, line_chart
from cms.organisation.models import Unit

from ..models.base import add_months
from ..models.letters import Message
from . import analysis, statistics
from .statistics import month_label, month_start

PUBLIC_MONTHS = 12
DEFAULT_MONTHS = 6
MAX_MONTHS = 36
MONTH = re.compile(r"(\d{4})-(\d{1,2})")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def monthly_chart(title, stats, names):
    """A line per figure (e.g. received, replied) over the months."""
    headings = {name: heading for heading, name in statistics.figure_columns()}
    return line_chart(
        title,
        {headings[name]: [(month_label(m), getattr(stats.by_month[m], name)) for m in stats.months] for name in names},
        value_label=_("件数"),
    )


def unit_chart(title, stats):
    return bar_chart(title, [(row.unit.name, row.total.received) for row in stats.units], value_label=_("件数"))


def public_statistics(page, request):
    """The board's figures for the last twelve months, all units; no personal data."""
    today = timezone.localdate()
    first = add_months(month_start(today), 1 - PUBLIC_MONTHS)
    stats = statistics.compute(first, today, queryset=Message.objects.filter(board=page), today=today)
    return page.render(
        request,
        template="site_pages/letters/statistics.html",
        context_overrides={
            "stats": stats,
            "columns": statistics.figure_columns(),
            "month_rows": [(month_label(m), statistics.figure_values(stats.by_month[m])) for m in stats.months],
            "unit_rows": [(row.unit.name, statistics.figure_values(row.total)) for row in stats.units],
            "total_row": statistics.figure_values(stats.total),
            "unit_chart": unit_chart(_("各单位收到留言"), stats),
            "month_chart": monthly_chart(_("每月收到和答复留言"), stats, ["received", "replied"]),
        },
    )


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.fullmatch(value.strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
            raise forms.ValidationError(_("请按“年-月”填写月份，例如 2026-03。"))
        return datetime.date(int(match[1]), int(match[2]), 1)


class ReportFilterForm(forms.Form):
    start = MonthField(label=gettext_lazy("起始月份"), required=False)
    end = MonthField(label=gettext_lazy("截止月份"), required=False)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("单位"),
        queryset=Unit.objects.active(),
        required=False,
        empty_label=gettext_lazy("全部单位"),
        error_messages={"invalid_choice": gettext_lazy("所选单位不存在或已停用。")},
    )

    def clean(self):
        data = super().clean()
        today = month_start(timezone.localdate())
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or add_months(data["end"], 1 - DEFAULT_MONTHS)
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
        if len(statistics.months_between(data["start"], data["end"])) > MAX_MONTHS:
            raise forms.ValidationError(_("一次最多统计%(n)d个月。") % {"n": MAX_MONTHS})
        return data


def can_view_reports(user):
    return statistics.visible_unit_ids(user) != set()


class LetterReportView(WagtailAdminTemplateMixin, TemplateView):
    """Shared by both reports: the filter, the unit scope and the xlsx export."""

    export_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def filters(self):
        """(form, first month, last month, unit ids or None for all); refuses another unit's figures."""
        scope = statistics.visible_unit_ids(self.request.user)
        form = ReportFilterForm(self.request.GET or None)
        if scope is not None:
            form.fields["unit"].queryset = Unit.objects.filter(pk__in=scope)
        today = month_start(timezone.localdate())
        if not form.is_bound:
            return form, add_months(today, 1 - DEFAULT_MONTHS), today, scope
        if not form.is_valid():
            if scope is not None and self.request.GET.get("unit") and "unit" in form.errors:
                raise PermissionDenied
            return form, None, None, scope
        unit = form.cleaned_data["unit"]
        return form, form.cleaned_data["start"], form.cleaned_data["end"], {unit.pk} if unit else scope

    def get(self, request, *args, **kwargs):
        form, first, last, unit_ids = self.filters()
        report = self.build(first, last, unit_ids) if first else None
        if report is not None and request.GET.get("format") == "xlsx":
            title = f"{self.get_page_title()} {month_label(first)} — {month_label(last)}"
            response = HttpResponse(self.xlsx(report, title), content_type=XLSX)
            name = f"{self.export_name}-{month_label(first)}-{month_label(last)}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        context = self.get_context_data(form=form, report=report, first=first, last=last, **kwargs)
        return self.render_to_response(context)


class LetterStatisticsView(LetterReportView):
    template_name = "site_pages/letters/admin/statistics.html"
    page_title = gettext_lazy("留言统计")
    header_icon = "table"
    export_name = "letter-statistics"

    def build(self, first, last, unit_ids):
        stats = statistics.compute(first, last, unit_ids=unit_ids)
        return {
            "stats": stats,
            "columns": statistics.figure_columns(),
            "rows": [
                (row.unit.name, month_label(month), statistics.figure_values(row.months[month]))
                for row in stats.units
                for month in stats.months
            ],
            "unit_rows": [(row.unit.name, statistics.figure_values(row.total)) for row in stats.units],
            "total_row": statistics.figure_values(stats.total),
            "unit_chart": unit_chart(_("各单位收到留言"), stats),
            "month_chart": monthly_chart(_("每月留言办理"), stats, ["received", "replied", "overdue"]),
        }

    def xlsx(self, report, title):
        return statistics.write_xlsx(report["stats"], title)


class OpinionAnalysisView(LetterReportView):
    template_name = "site_pages/letters/admin/analysis.html"
    page_title = gettext_lazy("民意分析")
    header_icon = "doc-full"
    export_name = "public-opinion"

    def build(self, first, last, unit_ids):
        result = analysis.analyse(first, last, unit_ids=unit_ids)
        return {"analysis": result, **analysis.charts(result)}

    def xlsx(self, report, title):
        return analysis.write_xlsx(report["analysis"], title)
