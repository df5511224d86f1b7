"""安全审计 report in the Wagtail admin: filter, search and export the audit log; nothing else.

It is a ReportView (read-only listing with spreadsheet export, like the publication register), not a
ModelViewSet, so there is no add, edit or delete view to reach at all. Reading needs
``security.view_auditentry``, which only the audit administrator group holds.
"""


import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy

from cms.reports import ExportReportView

from .audit import ACTIONS, action_label
from .models import AuditEntry

VIEW_PERMISSION = "security.view_auditentry"


def can_read_audit(user):
    return user.is_active and user.has_perm(VIEW_PERMISSION)


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit(request.user)


def object_types(request):
    used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


class AuditFilterSet(WagtailFilterSet):
    timestamp = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("事件"), choices=list(ACTIONS.items()), empty_label=_("全部"))
    result = django_filters.ChoiceFilter(label=_("结果"), choices=AuditEntry.Result.choices, empty_label=_("全部"))
    content_type = django_filters.ModelChoiceFilter(label=_("对象类型"), queryset=object_types)

    class Meta:
        model = AuditEntry
        fields = ["timestamp", "username", "action", "result", "content_type"]


def local_naive(value):
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def object_type(entry):
    return str(entry.content_type.name) if entry.content_type_id else ""


# (key, heading, value) for every column of the export.
AUDIT_EXPORT = [
    ("id", _("编号"), lambda e: e.pk),
    ("timestamp", _("时间"), lambda e: local_naive(e.timestamp)),
    ("username", _("用户"), lambda e: e.username),
    ("ip_address", _("地址"), lambda e: e.ip_address or ""),
    ("action", _("事件"), lambda e: str(action_label(e.action))),
    ("result", _("结果"), lambda e: e.get_result_display()),
    ("object_type", _("对象类型"), object_type),
    ("object_id", _("对象编号"), lambda e: e.object_id),
    ("object_repr", _("对象"), lambda e: e.object_repr),
    ("detail", _("详情"), lambda e: e.detail),
]
class AuditReportView(ExportReportView):
    page_title = _("安全审计")
    header_icon = "history"
    verbose_name_plural = _("审计记录")
    index_url_name = "security_audit:index"
    index_results_url_name = "security_audit:index_results"
    filterset_class = AuditFilterSet
    is_searchable = True
    search_fields = ["username", "object_repr", "detail", "ip_address"]
    permission_policy = ModelPermissionPolicy(AuditEntry)
    permission_required = "view"
    export_filename = "audit-log"
    list_export = [key for key, _heading, _value in AUDIT_EXPORT]
    export_headings = {key: heading for key, heading, _value in AUDIT_EXPORT}
    export_values = {key: value for key, _heading, value in AUDIT_EXPORT}
    columns = [
        Column(
            "timestamp",
            label=_("时间"),
            accessor=lambda e: timezone.localtime(e.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            classname="w-whitespace-nowrap",
        ),
        Column("username", label=_("用户")),
        Column("ip_address", label=_("地址")),
        Column("action", label=_("事件"), accessor=lambda e: action_label(e.action)),
        Column("result", label=_("结果"), accessor="get_result_display"),
        Column("object_type", label=_("对象类型"), accessor=object_type),
        Column("object_repr", label=_("对象")),
        Column("detail", label=_("详情")),
    ]

    def get_base_queryset(self):
        return AuditEntry.objects.select_related("content_type")
