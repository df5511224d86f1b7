"""Admin and serving hooks of the portal's pages.

Other units' drafts stay out of the admin (see draft_privacy); documents are public only through a live page.
"""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .document_access import may_download
from .draft_privacy import visible_pages
from .letters import admin_hooks as letter_admin_hooks  # noqa: F401 (registers 留言办理)
from .letters import statistics_hooks  # noqa: F401 - 留言统计 and 民意分析 menu items and URLs
from .models.columns import annotate_blank_columns
from .search_admin import SearchStatsMenuItem, SearchStatsView
from .surveys import admin_hooks as survey_admin_hooks  # noqa: F401 - 调查结果 URLs and buttons


@hooks.register("construct_page_chooser_queryset")
def hide_other_units_drafts_from_the_chooser(pages, request):
    return visible_pages(pages, request.user)


@hooks.register("before_serve_document")
def refuse_documents_no_live_page_uses(document, request):
    if not may_download(request, document):
        raise Http404


@hooks.register("construct_explorer_page_queryset")
def mark_blank_columns(parent_page, pages, request):
    """The explorer labels a column with no live content 空白栏目 (see the overridden status cell)."""
    return annotate_blank_columns(pages)


@hooks.register("register_admin_urls")
def register_search_stats_url():
    return [path("search-stats/", SearchStatsView.as_view(), name="site_pages_search_stats")]


@hooks.register("register_admin_menu_item")
def register_search_stats_menu_item():
    return SearchStatsMenuItem(
        _("搜索统计"), reverse("site_pages_search_stats"), name="search-stats", icon_name="search", order=275
    )


@hooks.register("register_admin_viewset")
def register_interview_questions():
    from .interviews.admin_views import InterviewQuestionViewSet

    return InterviewQuestionViewSet("site_pages_interviews")


@hooks.register(statistics_hooks.INTERACTION_MENU_HOOK)
def register_interview_questions_menu_item():
    from .interviews.admin_views import QuestionsMenuItem

    return QuestionsMenuItem(
        _("访谈提问"),
        reverse("site_pages_interviews:index"),
        name="interview-questions",
        icon_name="openquote",
        order=150,
    )
