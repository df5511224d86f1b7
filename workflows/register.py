"""信息发布登记 and 退回情况统计: admin reports, their spreadsheet exports, and the 信息发布审核单 (HTML and PDF).

Who sees what: superusers and holders of ``workflows.view_publicationrecord`` (the county office's
supervisors) see every unit. Any other admin user sees the records of the active units where they hold a
role, because the register is each unit's own account of what it published (records without a unit,
such as the home page, are for the all-units readers only); for rejections that is the reviewing unit.
A user with neither is refused (PermissionDenied, which Wagtail's admin turns into a redirect to the
dashboard with a message). Anonymous users never reach these views: they are mounted under the admin
URLs, which require ``wagtailadmin.access_admin``.

Everything shown comes from the snapshots frozen in ``PublicationRecord`` at publication, so a
renamed user or unit does not rewrite history.
"""

import datetime
from collections import Counter
from functools import partial

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusFlagColumn, TitleColumn
from wagtail.models import Page, Site, TaskState

from cms.organisation.models import Membership, Unit
from cms.organisation.people import person_name
from cms.reports import ExportReportView

from .checks import CATEGORY_LABELS, SEVERITY_LABELS
from .models import CheckRun, PublicationRecord, RejectionReason, Stage, UnitTaskState

VIEW_ALL_PERMISSION = "workflows.view_publicationrecord"
# The listing's six columns of 三审三校 in the order the regulation names them; the exports and the form
# also show 分级审核.
LISTED_STAGES = (Stage.REVIEW_1, Stage.REVIEW_2, Stage.REVIEW_3, Stage.PROOF_1, Stage.PROOF_2, Stage.PROOF_3)


# Access


def sees_all_units(user):
    return user.is_active and user.has_perm(VIEW_ALL_PERMISSION)


def can_view_register(user):
    if not user.is_authenticated:
        return False
    return sees_all_units(user) or Membership.objects.active().filter(user=user).exists()


def visible_units(user):
    if sees_all_units(user):
        return Unit.objects.all()
    # Roles in active units only: a deactivated unit's staff lose its pages, and its register with them.
    return Unit.objects.filter(pk__in=Membership.objects.active().filter(user=user).values("unit_id"))


def records_for(user):
    records = PublicationRecord.objects.all()
    if sees_all_units(user):
        return records
    return records.filter(unit__in=visible_units(user))


def rejections_for(user):
    states = UnitTaskState.objects.filter(status=TaskState.STATUS_REJECTED).select_related(
        "unit", "finished_by", "revision"
    )
    if sees_all_units(user):
        return states
    return states.filter(unit__in=visible_units(user))


class RegisterAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_view_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_register(request.user)


# Snapshot helpers


def local_naive(value):
    """Local wall-clock time without tzinfo: what the spreadsheets show and what Excel can store."""
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def local_text(value):
    value = local_naive(value)
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def record_number(record):
    return f"{record.published_at.year}-{record.pk:06d}"


def stage_entries(record, stage):
    return [entry for entry in record.stages or [] if entry.get("stage") == stage]


def stage_approvers(record, stage):
    return "、".join(entry.get("user", "") for entry in stage_entries(record, stage))


def stage_time(record, stage):
    times = [entry["finished_at"] for entry in stage_entries(record, stage) if entry.get("finished_at")]
    return local_naive(max(times)) if times else None


def override_text(item):
    basis = f"（{item['legal_basis']}）" if item.get("legal_basis") else ""
    who = f"{item.get('user', '')} {local_text(item.get('at'))}"
    return f"{item.get('kind_label', '')}{basis}：{item.get('reason', '')}（{who}）"


def consent_text(item):
    comment = f"：{item['comment']}" if item.get("comment") else ""
    return f"{item.get('unit', '')} {item.get('user', '')} {local_text(item.get('at'))}{comment}"


def acknowledgement_text(item):
    phase = item.get("phase", "")
    phase_label = CheckRun.Phase(phase).label if phase in CheckRun.Phase.values else phase
    return f"{item.get('user', '')} {local_text(item.get('at'))}（{phase_label}）"


def yes_no(value):
    return gettext("是") if value else gettext("否")


def reason_labels(reasons):
    return "、".join(str(RejectionReason(r).label) for r in reasons or [] if r in RejectionReason.values)


def full_url(url):
    """The register keeps a page's address as Wagtail gives it (often a path); the 审核单 shows the full URL."""
    if not url or "://" in url:
        return url or ""
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.root_url}{url}" if site else url


def approval_form_filename(record):
    return gettext("信息发布审核单-%(number)s.pdf") % {"number": record_number(record)}


def approval_form(record):
    """Everything the 审核单 shows, shared by the HTML print view and the PDF."""
    return {
        "record": record,
        "number": record_number(record),
        "url": full_url(record.url),
        "published_at": local_text(record.published_at),
        "submitted_at": local_text(record.submitted_at),
        "published_by": person_name(record.published_by),
        "stages": [
            {
                "label": entry.get("stage_label", ""),
                "role": "\n".join(filter(None, [entry.get("role_label", ""), entry.get("unit", "")])),
                "user": entry.get("user", ""),
                "time": local_text(entry.get("finished_at")),
                "checked": "、".join(entry.get("checked_labels") or []),
                "comment": entry.get("comment", ""),
            }
            for entry in record.stages or []
        ],
        "findings": [
            {
                "category": str(CATEGORY_LABELS.get(item.get("category"), item.get("category", ""))),
                "severity": str(SEVERITY_LABELS.get(item.get("severity"), item.get("severity", ""))),
                "field": item.get("field_label") or item.get("field", ""),
                "matched": item.get("matched") or item.get("term", ""),
                "suggestion": item.get("suggestion", ""),
                "overridden": yes_no(item.get("overridden")),
            }
            for item in record.findings or []
        ],
        "acknowledgements": [acknowledgement_text(item) for item in record.acknowledgements or []],
        "overrides": [override_text(item) for item in record.overrides or []],
        "consents": [consent_text(item) for item in record.consents or []],
    }


# Spreadsheet exports


class RegisterReportView(RegisterAccessMixin, ExportReportView):
    """The register's reports: exports with local times and named sheets."""

    sheet_title = ""

    def extra_sheets(self, queryset):
        """(title, rows) pairs written after the listing's own sheet."""
        return []

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook  # about half a second to import: only when a register is exported

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=str(self.sheet_title))
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format="yyyy-mm-dd hh:mm"))
        for title, rows in self.extra_sheets(queryset):
            sheet = workbook.create_sheet(title=str(title))
            for row in rows:
                sheet.append(row)
        workbook.save(output)


# 信息发布登记


def register_columns(request):
    return Page.objects.filter(pk__in=records_for(request.user).values("column")).order_by("title")


class PublicationRecordFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=lambda request: visible_units(request.user))
    column = django_filters.ModelChoiceFilter(label=_("栏目"), queryset=register_columns)
    published_at = django_filters.DateFromToRangeFilter(label=_("发布时间"), widget=DateRangePickerWidget)
    # A choice rather than a BooleanFilter so the active-filter chip reads 是/否 instead of True/False.
    emergency = django_filters.ChoiceFilter(
        label=_("紧急发布"),
        choices=(("true", _("是")), ("false", _("否"))),
        empty_label=_("全部"),
        widget=forms.RadioSelect,
        method="filter_emergency",
    )

    class Meta:
        model = PublicationRecord
        fields = ["unit", "column", "published_at", "emergency"]

    def filter_emergency(self, queryset, name, value):
        return queryset.filter(emergency=value == "true")


# (key, heading, value) for every column of the register export: one row per publication.
REGISTER_EXPORT = [
    ("number", _("登记号"), record_number),
    ("published_at", _("发布时间"), lambda r: local_naive(r.published_at)),
    ("title", _("标题"), lambda r: r.title),
    ("content_kind", _("信息类型"), lambda r: r.content_kind),
    ("unit", _("单位"), lambda r: r.unit_name),
    ("column", _("栏目"), lambda r: r.column_title),
    ("url", _("网址"), lambda r: r.url),
    ("workflow", _("审核流程"), lambda r: r.workflow_name),
    ("submitted_by", _("提交人"), lambda r: r.submitted_by_name),
    ("submitted_at", _("提交时间"), lambda r: local_naive(r.submitted_at)),
    *(
        column
        for stage in Stage
        for column in (
            (
                f"{stage.value}_user",
                format_lazy(_("{stage}办理人"), stage=stage.label),
                partial(stage_approvers, stage=stage),
            ),
            (f"{stage.value}_at", format_lazy(_("{stage}时间"), stage=stage.label), partial(stage_time, stage=stage)),
        )
    ),
    ("published_by", _("发布人"), lambda r: person_name(r.published_by)),
    ("findings", _("自动检查发现（条）"), lambda r: len(r.findings or [])),
    ("acknowledgements", _("提示确认"), lambda r: "；".join(map(acknowledgement_text, r.acknowledgements or []))),
    ("overrides", _("主要负责人决定"), lambda r: "；".join(map(override_text, r.overrides or []))),
    ("consents", _("联合发文会签"), lambda r: "；".join(map(consent_text, r.consents or []))),
    ("emergency", _("紧急发布"), lambda r: yes_no(r.emergency)),
    ("emergency_reason", _("紧急发布理由"), lambda r: r.emergency_reason),
]


class RegisterView(RegisterReportView):
    page_title = _("信息发布登记")
    header_icon = "list-ul"
    verbose_name_plural = _("发布登记")
    index_url_name = "workflows_register:index"
    index_results_url_name = "workflows_register:index_results"
    filterset_class = PublicationRecordFilterSet
    is_searchable = True
    search_fields = ["title"]
    export_filename = "publication-register"
    sheet_title = _("信息发布登记")

    list_export = [key for key, _heading, _value in REGISTER_EXPORT]
    export_headings = {key: heading for key, heading, _value in REGISTER_EXPORT}
    export_values = {key: value for key, _heading, value in REGISTER_EXPORT}
    columns = [
        Column(
            "published_at",
            label=_("发布时间"),
            accessor=lambda r: local_text(r.published_at),
            classname="w-whitespace-nowrap",
        ),
        # The printable form opened by the title links to its PDF, so the listing needs no second button.
        TitleColumn(
            "title",
            label=_("标题"),
            get_url=lambda r: reverse("workflows_register:form", args=[r.pk]),
            link_attrs={"target": "_blank", "rel": "noopener"},
        ),
        Column("column_title", label=_("栏目"), classname="w-whitespace-nowrap"),
        # The short name keeps the row to one line; the form and exports carry the full name.
        Column(
            "unit_name",
            label=_("单位"),
            accessor=lambda r: r.unit.short_name if r.unit and r.unit.short_name else r.unit_name,
            classname="w-whitespace-nowrap",
        ),
        *(
            Column(
                f"stage_{stage.value}",
                label=stage.label,
                accessor=partial(stage_approvers, stage=stage),
            )
            for stage in LISTED_STAGES
        ),
        StatusFlagColumn("emergency", label=_("紧急发布"), true_label=_("紧急发布")),
    ]

    def get_base_queryset(self):
        return records_for(self.request.user).select_related("published_by", "unit")


# 信息发布审核单


class ApprovalFormView(RegisterAccessMixin, TemplateView):
    template_name = "workflows/register/approval_form.html"

    def get_context_data(self, **kwargs):
        record = get_object_or_404(records_for(self.request.user).select_related("published_by"), pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), **approval_form(record)}


class ApprovalFormPdfView(RegisterAccessMixin, View):
    def get(self, request, pk):
        record = get_object_or_404(records_for(request.user).select_related("published_by"), pk=pk)
        from .register_pdf import render_approval_form_pdf  # reportlab loads in half a second: only for a PDF

        response = HttpResponse(render_approval_form_pdf(approval_form(record)), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, approval_form_filename(record))
        return response


# 退回情况统计


class RejectionFilterSet(WagtailFilterSet):
    finished_at = django_filters.DateFromToRangeFilter(label=_("退回时间"), widget=DateRangePickerWidget)
    unit = django_filters.ModelChoiceFilter(label=_("审核单位"), queryset=lambda request: visible_units(request.user))
    stage = django_filters.ChoiceFilter(label=_("环节"), choices=Stage.choices, empty_label=_("全部"))
    reason = django_filters.ChoiceFilter(
        label=_("退回理由"), choices=RejectionReason.choices, empty_label=_("全部"), method="filter_reason"
    )

    class Meta:
        model = UnitTaskState
        fields = ["finished_at", "unit", "stage", "reason"]

    def filter_reason(self, queryset, name, value):
        # JSON containment lookups are unavailable on SQLite and rejections are few, so match the lists here.
        pks = [pk for pk, reasons in queryset.values_list("pk", "reasons") if value in (reasons or [])]
        return queryset.filter(pk__in=pks)


def rejection_summary(states):
    """Rejections per unit and per reason; one rejection citing two reasons counts once under each."""
    by_unit = {}
    for unit_name, reasons in states.order_by().values_list("unit__name", "reasons"):
        counts = by_unit.setdefault(unit_name or gettext("（未指定单位）"), Counter())
        counts["total"] += 1
        counts.update(set(reasons or []) & set(RejectionReason.values))
    rows = [
        {"unit": name, "counts": [counts[value] for value in RejectionReason.values], "total": counts["total"]}
        for name, counts in sorted(by_unit.items())
    ]
    return {
        "reasons": RejectionReason.labels,
        "rows": rows,
        "totals": [sum(row["counts"][i] for row in rows) for i in range(len(RejectionReason.values))],
        "total": sum(row["total"] for row in rows),
    }


REJECTION_EXPORT = [
    ("finished_at", _("退回时间"), lambda s: local_naive(s.finished_at)),
    ("title", _("标题"), lambda s: s.revision.object_str),
    ("unit", _("审核单位"), lambda s: s.unit.name if s.unit else ""),
    ("stage", _("环节"), lambda s: s.get_stage_display()),
    ("role", _("审核角色"), lambda s: s.get_role_display()),
    ("reviewer", _("审核人"), lambda s: person_name(s.finished_by)),
    ("reasons", _("退回理由"), lambda s: reason_labels(s.reasons)),
    ("comment", _("修改意见"), lambda s: s.comment),
]


class RejectionsView(RegisterReportView):
    page_title = _("退回情况统计")
    header_icon = "warning"
    verbose_name_plural = _("退回记录")
    index_url_name = "workflows_register:rejections"
    index_results_url_name = "workflows_register:rejections_results"
    results_template_name = "workflows/register/rejections_results.html"
    filterset_class = RejectionFilterSet
    export_filename = "rejections"
    sheet_title = _("退回明细")

    list_export = [key for key, _heading, _value in REJECTION_EXPORT]
    export_headings = {key: heading for key, heading, _value in REJECTION_EXPORT}
    export_values = {key: value for key, _heading, value in REJECTION_EXPORT}
    columns = [
        Column("finished_at", label=_("退回时间"), accessor=lambda s: local_text(s.finished_at)),
        Column("title", label=_("标题"), accessor="revision.object_str"),
        Column("unit", label=_("审核单位")),
        Column("stage", label=_("环节"), accessor="get_stage_display"),
        Column("reviewer", label=_("审核人"), accessor=lambda s: person_name(s.finished_by)),
        Column("reasons", label=_("退回理由"), accessor=lambda s: reason_labels(s.reasons)),
        Column("comment", label=_("修改意见")),
    ]

    def get_base_queryset(self):
        return rejections_for(self.request.user).order_by("-finished_at", "-pk")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["summary"] = rejection_summary(self.object_list)
        return context

    def extra_sheets(self, queryset):
        summary = rejection_summary(queryset)
        heading = [gettext("审核单位"), *map(str, summary["reasons"]), gettext("退回次数")]
        rows = [[row["unit"], *row["counts"], row["total"]] for row in summary["rows"]]
        rows.append([gettext("合计"), *summary["totals"], summary["total"]])
        return [(gettext("分类统计"), [heading, *rows])]
