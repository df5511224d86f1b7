from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import access, admin_views

admin_urls = (
    [
        path("", admin_views.RequestIndexView.as_view(), name="index"),
        path("<int:pk>/", admin_views.RequestDetailView.as_view(), name="detail"),
        path("<int:pk>/reply-document/", admin_views.ReplyDocumentView.as_view(), name="reply_document"),
        path("<int:pk>/<str:action>/", admin_views.RequestActionView.as_view(), name="action"),
    ],
    "disclosure_requests_admin",
)


@hooks.register("register_admin_urls")
def register_request_urls():
    return [path("disclosure-requests/", include(admin_urls))]


class RequestMenuItem(MenuItem):
    def is_shown(self, request):
        return access.has_any_access(request.user)


@hooks.register("register_admin_menu_item")
def register_request_menu_item():
    return RequestMenuItem(_("依申请公开"), reverse("disclosure_requests_admin:index"), icon_name="mail", order=265)
