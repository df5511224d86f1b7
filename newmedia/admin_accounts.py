"""The new-media registry (政务新媒体台账) in the admin: listing by unit, application, registry edits, export.

Every view that names an account answers 404 unless ``access.visible_accounts`` holds it, so the ids of other
units' accounts tell nothing. Opening goes through ``lifecycle.apply_for_opening``; the edit form keeps the
registry details and refuses a rename, a new verified entity, 责任人 or platform ID, which need a change request.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.organisation.models import Unit

from . import access, export, lifecycle, monitoring
from .models import ENDED_APPLICATION_STATUSES, ChangeStatus, NewMediaAccount, PlatformOption

# Only a change request (approved by the offices) may alter these.
GUARDED_FIELDS = ("name", "verified_entity", "responsible", "account_id")
DETAIL_FIELDS = [
    "avatar",
    "qr_code",
    "purpose",
    "contractor",
    "contractor_nda_on",
    "contractor_contract_end",
    "deputy",
    "last_updated_at",
    "password_changed_at",
    "password_change_required",
]
OPENING_FIELDS = [
    "unit",
    "platform",
    "other_platform",
    "name",
    "account_id",
    "verified_entity",
    "purpose",
    "justification",
    "responsible",
    "deputy",
]


def person(user):
    """The name staff know a colleague by, with the login for telling namesakes apart."""
    if user is None:
        return "-"
    full_name = user.get_full_name()
    return f"{full_name}（{user.get_username()}）" if full_name else user.get_username()


class AccountPermissionPolicy(ModelPermissionPolicy):
    """Memberships give the rights (see ``newmedia.access``); Django permissions still count for the 系统管理员."""

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        if action == "view":
            return access.reads_all(user) or access.is_member(user)
        if action in ("add", "change"):
            return access.keeps_all(user) or access.keeps_own(user)
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.visible_accounts(user).filter(pk=instance.pk).exists()
        if action == "change":
            return access.can_edit(user, instance)
        if action == "delete" and has_records(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(NewMediaAccount, AccountPermissionPolicy(NewMediaAccount))


class VisibleAccountMixin:
    """404 for an account the user may not see, before any view code runs."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not access.visible_accounts(request.user).filter(pk=pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StalenessColumn(Column):
    """更新监测 in the registry: 即将超期 (warning) or 超期未更新 (stale) with the days, blank when all is well."""

    cell_template_name = "newmedia/admin/staleness_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        days, level = monitoring.days_since_post(instance), monitoring.staleness(instance)
        context.update(
            level=level,
            text=_("%(days)s 天未更新") % {"days": days} if days is not None else _("从未发文"),
            level_label=monitoring.LABELS[level],
        )
        return context


class AccountIndexView(generic.IndexView):
    export_url_name = None
    add_item_label = gettext_lazy("申请开设账号")

    def get_base_queryset(self):
        return access.visible_accounts(self.request.user).select_related(
            "unit", "responsible", "deputy", "other_platform"
        )

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        query = self.request.GET.urlencode()
        url = reverse(self.export_url_name) + (f"?{query}" if query else "")
        buttons.append(Button(_("导出为 Excel"), url=url, icon_name="download", priority=40))
        return buttons


class OpeningForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.active()
        if for_user is not None and not access.keeps_all(for_user):
            units = units.filter(memberships__user=for_user).distinct()
        self.fields["unit"].queryset = units
        self.fields["justification"].required = True
        self.fields["other_platform"].queryset = PlatformOption.objects.filter(active=True)
        people = get_user_model().objects.filter(is_active=True)
        self.fields["responsible"].queryset = people
        self.fields["deputy"].queryset = people

    def _post_clean(self):
        # The lifecycle checks the account as a whole when it is applied for; the model's own unique check runs
        # there too, with the same message.
        pass


class AccountCreateView(generic.CreateView):
    """开设申请: the form's values go to ``lifecycle.apply_for_opening``; a refusal is shown on the form."""

    page_title = gettext_lazy("申请开设政务新媒体账号")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        details = {key: data[key] for key in ("account_id", "verified_entity", "purpose", "responsible", "deputy")}
        if data.get("other_platform"):
            details["other_platform"] = data["other_platform"]
        try:
            self.object = lifecycle.apply_for_opening(
                data["unit"], data["platform"], data["name"], self.request.user, data["justification"], **details
            )
        except lifecycle.LifecycleError as error:
            form.add_error(None, str(error))
            self.produced_error_code = "validation_error"
            self.produced_error_message = str(error)
            return self.form_invalid(form)
        messages.success(self.request, _("开设申请“%(account)s”已提交并报县政府办备案。") % {"account": self.object})
        return redirect(reverse("newmedia_accounts:inspect", args=[self.object.pk]))


class DetailsForm(WagtailAdminModelForm):
    """The registry details a unit keeps itself; the guarded fields are shown but may not change here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in GUARDED_FIELDS:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in GUARDED_FIELDS if name in self.changed_data]
        if changed:
            labels = "、".join(str(self.fields[name].label) for name in changed)
            raise forms.ValidationError(
                _("变更%(fields)s须提交变更申请，经批准后生效，不能直接修改。") % {"fields": labels}
            )
        return cleaned


class AccountEditView(VisibleAccountMixin, generic.EditView):
    def form_invalid(self, form):
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return super().form_invalid(form)


class AccountInspectView(VisibleAccountMixin, generic.InspectView):
    template_name = "newmedia/admin/inspect.html"

    def get_platform_display_value(self):
        return self.object.platform_label

    def get_responsible_display_value(self):
        return person(self.object.responsible)

    def get_deputy_display_value(self):
        return person(self.object.deputy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = self.object
        user = self.request.user
        ended = account.status in ENDED_APPLICATION_STATUSES
        # A change asked for during an application lapses with it; its request stays in the records.
        pending = (
            account.change_requests.none() if ended else account.change_requests.filter(status=ChangeStatus.PENDING)
        )
        context.update(
            {
                "events": account.events.select_related("user", "supervisor_ack_by", "cyberspace_ack_by"),
                "pending_changes": pending,
                "actions": available_actions(account, user),
                "may_approve_changes": access.is_keeping_office(user),
                "application_ended": ended,
                "may_apply_again": ended and access.can_act_for_unit(user, account.unit),
            }
        )
        return context


def available_actions(account, user):
    """(action, label) pairs offered on the account's page; the lifecycle functions decide in the end."""
    from .admin_actions import ACTIONS

    offered = []
    for name, action in ACTIONS.items():
        if account.status in action.statuses and (action.offered_to is None or action.offered_to(account, user)):
            offered.append((reverse("newmedia_accounts:action", args=[account.pk, name]), action.label))
    return offered


def has_records(account):
    """Lifecycle steps, change requests or posts: deleting the account would erase them and its filings."""
    return account.events.exists() or account.change_requests.exists() or account.posts.exists()


class AccountDeleteView(VisibleAccountMixin, generic.DeleteView):
    """Only an entry with no record may be deleted (one keyed in by mistake); the way out is closure and
    deregistration, which keep the account and its history in the registry."""

    def dispatch(self, request, *args, **kwargs):
        if has_records(self.object) and access.visible_accounts(request.user).filter(pk=self.object.pk).exists():
            messages.error(
                request,
                _("账号“%(account)s”已有办理记录或发文，不能删除：停用须经关停公示后登记注销，记录保留在台账中。")
                % {"account": self.object},
            )
            return redirect(reverse("newmedia_accounts:inspect", args=[self.object.pk]))
        return super().dispatch(request, *args, **kwargs)


class AccountHistoryView(VisibleAccountMixin, history.HistoryView):
    pass


class AccountUsageView(VisibleAccountMixin, usage.UsageView):
    pass


class AccountExportView(PermissionCheckedMixin, View):
    model = NewMediaAccount
    any_permission_required = ["view", "change"]

    def get(self, request):
        accounts = access.visible_accounts(request.user).select_related("unit", "responsible", "other_platform")
        unit = request.GET.get("unit", "")
        if unit.isdigit():
            accounts = accounts.filter(unit_id=int(unit))
        for field in ("platform", "status"):
            value = request.GET.get(field)
            if value:
                accounts = accounts.filter(**{field: value})
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = HttpResponse(
            export.accounts_xlsx(accounts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="newmedia-accounts-{stamp}.xlsx"'
        return response


class NewMediaAccountViewSet(ModelViewSet):
    model = NewMediaAccount
    icon = "globe"
    menu_label = gettext_lazy("账号台账")
    index_view_class = AccountIndexView
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView
    inspect_view_class = AccountInspectView
    delete_view_class = AccountDeleteView
    history_view_class = AccountHistoryView
    usage_view_class = AccountUsageView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "name",
        Column("platform", label=gettext_lazy("平台"), accessor="platform_label"),
        "unit",
        "status",
        Column("responsible", label=gettext_lazy("责任人"), accessor=lambda account: person(account.responsible)),
        Column("deputy", label=gettext_lazy("副责任人"), accessor=lambda account: person(account.deputy)),
        Column("provincial_notice_count", label=gettext_lazy("通报次数")),
        BooleanColumn("password_change_required", label=gettext_lazy("须更换口令")),
        Column("last_updated_at", label=gettext_lazy("最近发文")),
        StalenessColumn("staleness", label=gettext_lazy("更新监测")),
    ]
    list_filter = ["unit", "platform", "status", "password_change_required", "forced_closure"]
    search_fields = ["name", "account_id", "verified_entity"]
    form_fields = OPENING_FIELDS
    inspect_view_fields = [
        "name",
        "platform",
        "account_id",
        "unit",
        "status",
        "verified_entity",
        "avatar",
        "qr_code",
        "purpose",
        "justification",
        "opened_on",
        "contractor",
        "contractor_nda_on",
        "contractor_contract_end",
        "responsible",
        "deputy",
        "last_updated_at",
        "password_changed_at",
        "password_change_required",
        "approval_document_number",
        "approved_on",
        "nationally_registered_on",
        "closure_reason",
        "notice_start",
        "notice_end",
        "deregistered_on",
        "provincial_notice_count",
        "forced_closure",
    ]

    def get_form_class(self, for_update=False):
        if for_update:
            return generic_form(DetailsForm, [*GUARDED_FIELDS, *DETAIL_FIELDS])
        return generic_form(OpeningForm, OPENING_FIELDS)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(export_url_name=self.get_url_name("export"), **kwargs)

    @property
    def export_view(self):
        return self.construct_view(AccountExportView)

    def get_urlpatterns(self):
        from .admin_actions import AccountActionView, ApproveChangeView

        return super().get_urlpatterns() + [
            path("export/", self.export_view, name="export"),
            path("action/<int:pk>/<str:action>/", AccountActionView.as_view(), name="action"),
            path("change/<int:change_pk>/approve/", ApproveChangeView.as_view(), name="approve_change"),
        ]


def generic_form(base, fields):
    from django.forms import modelform_factory

    return modelform_factory(NewMediaAccount, form=base, fields=fields)
