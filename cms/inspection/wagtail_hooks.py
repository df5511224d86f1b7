"""The 检查考核 admin menu group and the URLs of its views.

The group collects its items from the ``register_inspection_menu_item`` hook, so other parts of the
inspection (e.g. the bulletin) can add their own item without editing this module.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .access import is_inspector
from .admin_annual import AnnualView, CaseCreateView, CaseEvidenceView
from .admin_rules import RuleTableView
from .admin_runs import RunDetailView, RunListView, RunNowView

INSPECTION_MENU_HOOK = "register_inspection_menu_item"


class InspectorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_inspector(request.user)


class InspectionMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return is_inspector(request.user) and super().is_shown(request)


@hooks.register("register_admin_urls")
def register_inspection_urls():
    return [
        path("inspection/runs/", RunListView.as_view(), name="inspection_runs"),
        path("inspection/runs/new/", RunNowView.as_view(), name="inspection_run_now"),
        path("inspection/runs/<int:run_id>/", RunDetailView.as_view(), name="inspection_run"),
        path("inspection/rules/", RuleTableView.as_view(), name="inspection_rules"),
        path("inspection/annual/", AnnualView.as_view(), name="inspection_annual"),
        path("inspection/annual/cases/new/", CaseCreateView.as_view(), name="inspection_case_create"),
        path("inspection/cases/<int:case_id>/evidence/", CaseEvidenceView.as_view(), name="inspection_case_evidence"),
    ]


@hooks.register("register_admin_menu_item")
def register_inspection_menu():
    menu = Menu(register_hook_name=INSPECTION_MENU_HOOK)
    return InspectionMenu(_("检查考核"), menu, name="inspection", icon_name="tasks", order=280)


def menu_item(label, url_name, icon, order):
    return InspectorMenuItem(label, reverse(url_name), name=url_name.replace("_", "-"), icon_name=icon, order=order)


@hooks.register(INSPECTION_MENU_HOOK)
def register_runs_menu_item():
    return menu_item(_("季度检查"), "inspection_runs", "list-ul", 100)


@hooks.register(INSPECTION_MENU_HOOK)
def register_rules_menu_item():
    return menu_item(_("扣分标准"), "inspection_rules", "table", 200)


@hooks.register(INSPECTION_MENU_HOOK)
def register_annual_menu_item():
    return menu_item(_("年度考核"), "inspection_annual", "pick", 300)
