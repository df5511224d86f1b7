"""Admin of the catalogue: taxonomies, policy documents' classification, due-date and withholding reports.

A policy document's entry comes with the first publication of its page and goes with the page, so
the admin only edits its two classifications (公开类别, 主题分类), never its 索引号 or dates. Staff see
and change the entries of their own units; administrators and the supervising office all of them.
The entries' permission policy is registered when the app is ready (see apps.py).
"""

from datetime import timedelta

from django import forms
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.organisation.models import Membership, Unit, UnitKind
from cms.organisation.permissions import user_unit_ids

from .catalogue_forms import DisclosureCategoryForm
from .due import DueState
from .models import DisclosureCategory, DisclosureItem, DisclosureSettings, PolicyCatalogueEntry, TopicCategory
from .statutory import DisclosureMode

# 条例 requires withheld information to be re-assessed periodically; a year is the county's interval.
REASSESSMENT_INTERVAL = timedelta(days=365)


class DisclosureCategoryViewSet(ModelViewSet):
    model = DisclosureCategory
    icon = "list-ul"
    menu_label = _("公开类别")
    url_prefix = "disclosure/categories"
    list_display = ["name", "category_list", "required_unit_kind_labels", "sort_order", "active"]
    list_filter = ["category_list", "active"]
    search_fields = ["name", "description"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("category_list"),
            FieldPanel("required_unit_kinds"),
            FieldPanel("description"),
            FieldPanel("sort_order"),
            FieldPanel("active"),
        ],
        base_form_class=DisclosureCategoryForm,
    )


class TopicCategoryViewSet(ModelViewSet):
    model = TopicCategory
    icon = "tag"
    menu_label = _("主题分类")
    url_prefix = "disclosure/topics"
    list_display = ["name", "sort_order", "active"]
    form_fields = ["name", "sort_order", "active"]
    search_fields = ["name"]
    copy_view_enabled = False


def visible_unit_ids(user):
    """Units whose items a user sees in the reports: all for administrators and the supervising office."""
    if user.is_superuser or Membership.objects.active().filter(user=user, unit__kind=UnitKind.SUPERVISOR).exists():
        return None
    return user_unit_ids(user)


class UnitFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )

    def __init__(self, *args, unit_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active()
        self.fields["unit"].queryset = units if unit_ids is None else units.filter(pk__in=unit_ids)
        self.fields["unit"].error_messages["invalid_choice"] = _("所选单位不存在或您无权查看。")


class ReportBase(WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def scoped_items(self):
        unit_ids = visible_unit_ids(self.request.user)
        form = UnitFilterForm(self.request.GET or None, unit_ids=unit_ids)
        items = DisclosureItem.objects.select_related("owning_unit", "category")
        if unit_ids is not None:
            items = items.filter(owning_unit_id__in=unit_ids)
        if form.is_valid() and form.cleaned_data["unit"]:
            items = items.filter(owning_unit=form.cleaned_data["unit"])
        return form, items


class DueReportView(ReportBase):
    """Items not yet published (or changed since) with their 20-working-day deadline, per unit."""

    template_name = "disclosure/admin/due_report.html"
    page_title = _("公开期限提醒")
    header_icon = "time"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, items = self.scoped_items()
        warning_days = DisclosureSettings.for_request(self.request).warning_working_days
        today = timezone.localdate()
        rows = []
        # Pending items are few (drafts and items in review); their latest revision holds the dates.
        for item in items.filter(live=False) | items.filter(live=True, has_unpublished_changes=True):
            draft = item.get_latest_revision_as_object()
            status = draft.due_status(today=today, warning_days=warning_days)
            if status.remaining is None:
                continue  # published, and not changed since
            rows.append({"item": item, "draft": draft, "status": status})
        state = self.request.GET.get("state", "attention")
        if state == "attention":
            rows = [row for row in rows if row["status"].needs_attention]
        rows.sort(key=lambda row: (row["item"].owning_unit.name if row["item"].owning_unit else "", row["status"].due))
        context.update(
            {
                "form": form,
                "rows": rows,
                "state": state,
                "warning_days": warning_days,
                "today": today,
                "overdue_count": sum(row["status"].state == DueState.OVERDUE for row in rows),
                "approaching_count": sum(row["status"].state == DueState.APPROACHING for row in rows),
            }
        )
        return context


class WithheldReportView(ReportBase):
    """不予公开 decisions for the periodic re-assessment the 条例 requires."""

    template_name = "disclosure/admin/withheld_report.html"
    page_title = _("不予公开复核")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, items = self.scoped_items()
        now = timezone.now()
        rows = []
        for item in items.filter(disclosure_mode=DisclosureMode.WITHHELD).select_related("withholding_recorded_by"):
            recorded = item.withholding_recorded_at
            rows.append(
                {
                    "item": item,
                    "reassess_due": recorded + REASSESSMENT_INTERVAL if recorded else None,
                    "reassess_now": recorded is None or now - recorded >= REASSESSMENT_INTERVAL,
                }
            )
        rows.sort(key=lambda row: (not row["reassess_now"], row["item"].withholding_recorded_at or now))
        context.update({"form": form, "rows": rows})
        return context


class PolicyEntryPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        if action != "change" or not (user.is_active and user.is_authenticated):
            return False
        unit_ids = visible_unit_ids(user)
        return unit_ids is None or bool(unit_ids)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        entries = PolicyCatalogueEntry.objects.all()
        if not self.user_has_any_permission(user, actions):
            return entries.none()
        unit_ids = visible_unit_ids(user)
        return entries if unit_ids is None else entries.filter(page__owning_unit_id__in=unit_ids)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_any_permission_for(user, [action]).filter(pk=instance.pk).exists()


register_permission_policy(PolicyCatalogueEntry, PolicyEntryPermissionPolicy(PolicyCatalogueEntry))


class PolicyEntryIndexView(generic.IndexView):
    def get_base_queryset(self):
        entries = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return entries.select_related("page", "page__owning_unit", "category", "topic")


class VisibleEntryMixin:
    """404 for another unit's entry on every view that takes an id (edit, delete, history, usage)."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        visible = self.permission_policy.instances_user_has_any_permission_for(request.user, ["change"])
        if pk is not None and not visible.filter(pk=pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PolicyEntryEditView(VisibleEntryMixin, generic.EditView):
    pass


class PolicyEntryDeleteView(VisibleEntryMixin, generic.DeleteView):
    pass


class PolicyEntryHistoryView(VisibleEntryMixin, history.HistoryView):
    pass


class PolicyEntryUsageView(VisibleEntryMixin, usage.UsageView):
    pass


class PolicyEntryViewSet(ModelViewSet):
    model = PolicyCatalogueEntry
    icon = "doc-full"
    menu_label = _("政策文件目录信息")
    url_prefix = "disclosure/policy-entries"
    index_view_class = PolicyEntryIndexView
    edit_view_class = PolicyEntryEditView
    delete_view_class = PolicyEntryDeleteView
    history_view_class = PolicyEntryHistoryView
    usage_view_class = PolicyEntryUsageView
    list_display = ["index_number", "page", "category", "topic", "published_date"]
    list_filter = ["category", "topic"]
    search_fields = ["index_number", "page__title"]
    form_fields = ["category", "topic"]
    copy_view_enabled = False


class ReportViewSet(ViewSet):
    view_class = None

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]


class DueReportViewSet(ReportViewSet):
    icon = "time"
    menu_label = _("公开期限提醒")
    url_prefix = "disclosure/due"
    view_class = DueReportView


class WithheldReportViewSet(ReportViewSet):
    icon = "lock"
    menu_label = _("不予公开复核")
    url_prefix = "disclosure/withheld"
    view_class = WithheldReportView


class CatalogueViewSetGroup(ViewSetGroup):
    menu_label = _("信息公开目录")
    menu_icon = "list-ul"
    menu_order = 255
    items = (
        DisclosureCategoryViewSet("disclosure_categories"),
        TopicCategoryViewSet("disclosure_topics"),
        PolicyEntryViewSet("disclosure_policy_entries"),
        DueReportViewSet("disclosure_due"),
        WithheldReportViewSet("disclosure_withheld"),
    )
