"""政务新媒体 in the admin: the registry, posts and update monitoring, the filing inbox, the checks, the county
office's reference lists and the fake-account reports."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin_accounts import NewMediaAccountViewSet
from .admin_fake_reports import FakeReportViewSet
from .admin_posts import PostViewSet, staleness_panel
from .admin_reports import ChecksViewSet, FilingViewSet, PlatformExceptionViewSet, PlatformOptionViewSet


class NewMediaViewSetGroup(ViewSetGroup):
    menu_label = _("政务新媒体")
    menu_icon = "globe"
    menu_order = 250
    items = (
        NewMediaAccountViewSet("newmedia_accounts"),
        PostViewSet(),
        FilingViewSet("newmedia_filings"),
        ChecksViewSet("newmedia_checks"),
        PlatformOptionViewSet("newmedia_platforms"),
        PlatformExceptionViewSet("newmedia_exceptions"),
        FakeReportViewSet("newmedia_fake_reports"),
    )


@hooks.register("register_admin_viewset")
def register_newmedia_viewsets():
    return NewMediaViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_staleness_panel(request, panels):
    panel = staleness_panel(request.user)
    if panel is not None:
        panels.append(panel)
