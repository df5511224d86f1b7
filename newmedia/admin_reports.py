"""The offices' screens: the filing inbox (备案, 抄送) with acknowledgement, the checks listing for 清理整合,
and the county office's reference lists (platforms, approved exceptions to one account per platform)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import access, checks, filings, passwords
from .models import PlatformException, PlatformOption


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class FilingInboxView(ReportView):
    """What this office has still to acknowledge, and every filing for reference."""

    template_name = "newmedia/admin/filings.html"
    page_title = gettext_lazy("新媒体备案收件箱")

    def allowed(self, user):
        return filings.may_see_filings(user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            inbox=filings.inbox(user).order_by("created_at"),
            recent=filings.filings()[:100],
            overdue=filings.overdue(),
            may_acknowledge=filings.may_acknowledge(user),
            **kwargs,
        )


class AcknowledgeView(View):
    def post(self, request, event_pk):
        if not filings.may_see_filings(request.user):
            raise PermissionDenied
        event = get_object_or_404(filings.filings(), pk=event_pk)
        try:
            filings.acknowledge(event, request.user)
        except filings.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已签收：%(event)s。") % {"event": event})
        return redirect(reverse("newmedia_filings:index"))


class ChecksView(ReportView):
    """Duplicates, names inconsistent across platforms, overdue filings and passwords due, for the visible accounts."""

    template_name = "newmedia/admin/checks.html"
    page_title = gettext_lazy("新媒体账号检查")

    def allowed(self, user):
        return may_see_checks(user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = access.visible_accounts(user)
        return super().get_context_data(
            duplicates=checks.duplicate_accounts(visible),
            inconsistent=checks.inconsistent_names(visible),
            problems=checks.registered_problems(visible),
            overdue=filings.overdue() if filings.may_see_filings(user) else None,
            password_due=passwords.due_for_change().filter(pk__in=visible.values("pk")),
            password_days=passwords.max_age_days(),
            forced=visible.filter(forced_closure=True).select_related("unit", "other_platform"),
            **kwargs,
        )


def shown_to(allowed):
    """A menu item shown only to those the view lets in."""
    return type("NewMediaReportMenuItem", (MenuItem,), {"is_shown": lambda self, request: allowed(request.user)})


def may_see_checks(user):
    return access.reads_all(user) or access.is_member(user)


class FilingViewSet(ViewSet):
    icon = "mail"
    menu_item_class = shown_to(filings.may_see_filings)
    menu_label = gettext_lazy("备案收件箱")
    url_prefix = "newmedia/filings"

    def get_urlpatterns(self):
        return [
            path("", FilingInboxView.as_view(), name="index"),
            path("<int:event_pk>/acknowledge/", AcknowledgeView.as_view(), name="acknowledge"),
        ]


class ChecksViewSet(ViewSet):
    icon = "warning"
    menu_item_class = shown_to(may_see_checks)
    menu_label = gettext_lazy("检查与清理整合")
    url_prefix = "newmedia/checks"

    def get_urlpatterns(self):
        return [path("", ChecksView.as_view(), name="index")]


class OfficePermissionPolicy(ModelPermissionPolicy):
    """Kept by the supervisor and the operator (and whoever holds the Django permissions)."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or access.is_keeping_office(user) and user.is_active


register_permission_policy(PlatformOption, OfficePermissionPolicy(PlatformOption))
register_permission_policy(PlatformException, OfficePermissionPolicy(PlatformException))


class PlatformOptionViewSet(ModelViewSet):
    model = PlatformOption
    icon = "list-ul"
    menu_label = gettext_lazy("平台名录")
    url_prefix = "newmedia/platforms"
    list_display = ["name", "active"]
    form_fields = ["name", "active"]
    copy_view_enabled = False


class PlatformExceptionViewSet(ModelViewSet):
    model = PlatformException
    icon = "tick-inverse"
    menu_label = gettext_lazy("同平台多账号例外")
    url_prefix = "newmedia/exceptions"
    list_display = ["unit", "platform", "other_platform", "document_number", "approved_on"]
    list_filter = ["platform"]
    form_fields = ["unit", "platform", "other_platform", "document_number", "approved_on", "note"]
    copy_view_enabled = False
