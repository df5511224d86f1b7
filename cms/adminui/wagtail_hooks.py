"""Admin hooks: the help menu points at the county's own editor guide instead of Wagtail's English one;
the admin stylesheet brands the sign-in page and lays out the guide."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.adminui.guide import EditorGuideView, guide_image

# Wagtail's help items that lead to its own site (in English, about Wagtail's release, not our rules).
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("editor-guide/", EditorGuideView.as_view(), name="adminui_editor_guide"),
        path("editor-guide/images/<str:name>", guide_image, name="adminui_guide_image"),
    ]


@hooks.register("register_help_menu_item")
def register_editor_guide_item():
    return MenuItem(_("编辑指南"), reverse("adminui_editor_guide"), name="county-editor-guide", icon_name="help")


@hooks.register("construct_help_menu")
def drop_wagtail_help_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("adminui/admin.css"))
