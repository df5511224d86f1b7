"""领导职务名录 in the admin: a ModelViewSet kept by the 县政府办, with .xlsx import and export.

Who may edit: superusers, members of an active supervisor unit (the 县政府办, whatever their role there),
and anyone granted the Django model permissions. The policy is computed from memberships rather than
granted to the unit's group so that a new member of the office, or a new office, needs no extra step.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.organisation.models import UnitKind

from . import leader_transfer
from .models import LeaderTitle
from .views import ImportView

KEEPER_ACTIONS = frozenset({"add", "change", "delete", "view"})


def _supervisor_members():
    return get_user_model().objects.filter(
        is_active=True, memberships__unit__kind=UnitKind.SUPERVISOR, memberships__unit__active=True
    )


class CountyOfficePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in KEEPER_ACTIONS and user.is_active and _supervisor_members().filter(pk=user.pk).exists()

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if KEEPER_ACTIONS.intersection(actions):
            users = (users | _supervisor_members()).distinct()
        return users


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("名录文件"),
        validators=[FileExtensionValidator(["xlsx"])],
        help_text=_("Excel 文件（.xlsx），不超过 5 MB。"),
    )


class LeaderIndexView(IndexView):
    import_url_name = None
    export_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("add") and self.user_has_permission("change"):
            buttons.append(Button(_("导入名录"), url=reverse(self.import_url_name), icon_name="upload", priority=30))
        buttons.append(Button(_("导出为 Excel"), url=reverse(self.export_url_name), icon_name="download", priority=40))
        return buttons


class LeaderImportView(ImportView):
    model = LeaderTitle
    form_class = ImportForm
    transfer = leader_transfer
    template_name = "lexicon/leader_import.html"
    page_title = _("导入领导职务名录")
    failed_message = _("导入失败：以下各行有误，未导入任何记录。请修改后重新导入。")
    done_message = _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，跳过 %(skipped)d 条（无变化）。")

    def import_rows(self, rows, form):
        return leader_transfer.import_rows(rows)


class LeaderExportView(PermissionCheckedMixin, View):
    model = LeaderTitle
    any_permission_required = ["view", "change"]

    def get(self, request):
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = HttpResponse(
            leader_transfer.export_xlsx(LeaderTitle.objects.order_by("rank", "name", "valid_from")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="leaders-{stamp}.xlsx"'
        return response


register_permission_policy(LeaderTitle, CountyOfficePermissionPolicy(LeaderTitle))


class LeaderTitleViewSet(ModelViewSet):
    model = LeaderTitle
    icon = "user"
    menu_label = _("领导职务名录")
    menu_name = "leader_titles"
    menu_order = 261
    add_to_admin_menu = True
    index_view_class = LeaderIndexView
    list_display = ["name", "title", "unit", "rank", "valid_from", "valid_to"]
    list_filter = ["valid_to"]
    search_fields = ["name", "title", "unit"]
    form_fields = ["name", "title", "unit", "rank", "valid_from", "valid_to"]
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_url_name=self.get_url_name("import"), export_url_name=self.get_url_name("export"), **kwargs
        )

    @property
    def import_view(self):
        return self.construct_view(LeaderImportView, import_url_name=self.get_url_name("import"))

    @property
    def export_view(self):
        return self.construct_view(LeaderExportView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", self.import_view, name="import"),
            path("export/", self.export_view, name="export"),
        ]
