"""The 留言办理 admin menu item and URLs (imported by site_pages.wagtail_hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import access, admin_views

admin_urls = (
    [
        path("", admin_views.LetterIndexView.as_view(), name="index"),
        path("<int:pk>/", admin_views.LetterDetailView.as_view(), name="detail"),
        path("<int:pk>/contact/", admin_views.ContactView.as_view(), name="contact"),
        path("<int:pk>/attachments/<int:attachment_id>/", admin_views.AttachmentView.as_view(), name="attachment"),
        path("<int:pk>/<str:action>/", admin_views.LetterActionView.as_view(), name="action"),
    ],
    "letters_admin",
)


@hooks.register("register_admin_urls")
def register_letter_urls():
    return [path("letters/", include(admin_urls))]


class LetterMenuItem(MenuItem):
    def is_shown(self, request):
        return access.has_any_access(request.user)


@hooks.register("register_admin_menu_item")
def register_letter_menu_item():
    return LetterMenuItem(_("留言办理"), reverse("letters_admin:index"), icon_name="mail", order=266)
