"""Admin menu and URLs of 留言统计 and 民意分析, in the 互动交流 menu group.

The group collects its items from the ``register_interaction_menu_item`` hook, so the letter handling
views (留言办理) and these reports each register their own item without editing one another's module.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .statistics_views import LetterStatisticsView, OpinionAnalysisView, can_view_reports

INTERACTION_MENU_HOOK = "register_interaction_menu_item"


class LetterReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


@hooks.register("register_admin_urls")
def register_letter_report_urls():
    return [
        path("letter-statistics/", LetterStatisticsView.as_view(), name="site_pages_letter_statistics"),
        path("letter-analysis/", OpinionAnalysisView.as_view(), name="site_pages_letter_analysis"),
    ]


@hooks.register("register_admin_menu_item")
def register_interaction_menu():
    menu = Menu(register_hook_name=INTERACTION_MENU_HOOK)
    return SubmenuMenuItem(_("互动交流"), menu, name="interaction", icon_name="comment", order=260)


@hooks.register(INTERACTION_MENU_HOOK)
def register_letter_statistics_menu_item():
    return LetterReportMenuItem(
        _("留言统计"), reverse("site_pages_letter_statistics"), name="letter-statistics", icon_name="table", order=200
    )


@hooks.register(INTERACTION_MENU_HOOK)
def register_opinion_analysis_menu_item():
    return LetterReportMenuItem(
        _("民意分析"), reverse("site_pages_letter_analysis"), name="letter-analysis", icon_name="doc-full", order=300
    )
