"""搜索统计 in the admin: the week's most searched queries and the queries that found nothing.

Read by the supervising office (县政府办公室) and superusers, who look after the portal as a whole;
the statistics hold no user or address, only query texts and counts per week.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.organisation.models import Membership, UnitKind
from cms.outages import CACHE_ERRORS

from . import search_counts
from .models.search_stats import SearchQueryStat, week_of

logger = logging.getLogger("cms.outages.cache")

TOP_QUERIES = 30
WEEKS_LISTED = 12


def can_view_search_stats(user):
    if not user.is_active:
        return False
    return user.is_superuser or Membership.objects.active().filter(user=user, unit__kind=UnitKind.SUPERVISOR).exists()


class SearchStatsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_search_stats(request.user)


class SearchStatsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/admin/search_stats.html"
    page_title = _("搜索统计")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_search_stats(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def chosen_week(self, weeks):
        raw = self.request.GET.get("week", "")
        try:
            chosen = week_of(datetime.date.fromisoformat(raw))
        except ValueError:
            chosen = weeks[0] if weeks else week_of(timezone.localdate())
        return chosen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Searches counted in Redis since the last scheduled flush (site_pages.search_counts) shown now.
        try:
            search_counts.flush()
        except CACHE_ERRORS:
            logger.warning("搜索统计未能从 Redis 计入，显示的是上次计入的数字", exc_info=True)
        weeks = list(SearchQueryStat.objects.order_by("-week").values_list("week", flat=True).distinct()[:WEEKS_LISTED])
        week = self.chosen_week(weeks)
        rows = SearchQueryStat.objects.filter(week=week)
        context.update(
            {
                "weeks": weeks,
                "week": week,
                "week_end": week + datetime.timedelta(days=6),
                "top": rows.order_by("-searches", "query")[:TOP_QUERIES],
                "zero": rows.filter(zero_results__gt=0).order_by("-zero_results", "query")[:TOP_QUERIES],
            }
        )
        return context
