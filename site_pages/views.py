from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from cms import outages

from . import search as site_search
from . import search_counts
from .models.search_stats import SearchQueryStat, week_of

LARGE_TEXT_COOKIE_AGE = 365 * 24 * 3600
# Queries others searched this week with results, offered on a zero-result page; only queries many
# searched, so that what one visitor typed (a name, a number) is never shown to the next.
POPULAR_SUGGESTIONS = 5
POPULAR_MIN_SEARCHES = 5
COUNT_ON_HIT = "site_pages.search_counts.count_hit"


@require_GET
def search(request):
    form = site_search.SearchForm(request.GET)
    form.is_valid()
    query = form.value("q") or ""
    context = {"form": form, "query": query, "types": site_search.RESULT_TYPES, "sorts": site_search.SORTS}
    counted = None
    if query:
        outcome = site_search.run_search(form)
        results = site_search.paginate(outcome.ids, request.GET.get("page", 1))
        context.update(
            {
                "results": results,
                "hits": site_search.build_hits(list(results.object_list), query),
                "truncated": outcome.truncated,
                "page_query": site_search.filter_query_string(form),
                "max_results": site_search.MAX_RESULTS,
            }
        )
        # Counted once per search, not again for every further page of its results.
        if "page" not in request.GET:
            counted = (query, bool(outcome.ids))
            search_counts.count(*counted)
        if not outcome.ids:
            context["suggestions"] = site_search.suggestions(form, popular=popular_queries())
    response = render(request, "site_pages/search.html", context)
    if counted is not None:
        # Served from the page cache, the same search is counted again on every hit.
        response.page_cache_on_hit = (COUNT_ON_HIT, counted)
    return response


def popular_queries():
    week = week_of(timezone.localdate())
    rows = SearchQueryStat.objects.filter(
        week=week, searches__gte=POPULAR_MIN_SEARCHES, searches__gt=F("zero_results")
    ).order_by("-searches", "query")
    return list(rows.values_list("query", flat=True)[:POPULAR_SUGGESTIONS])


@require_GET
def toggle_large_text(request):
    """适老化 large-text mode, kept in a cookie so that it works without JavaScript."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get("large_text") == "1":
        response.delete_cookie("large_text")
    else:
        response.set_cookie("large_text", "1", max_age=LARGE_TEXT_COOKIE_AGE, samesite="Lax")
    return response


def server_error(request):
    """系统繁忙 page in the site layout, rendered without touching the database (it may be the cause).

    A database outage answers 503 with Retry-After: the request may succeed later and crawlers and proxies
    should come back rather than treat the page as broken.
    """
    content = loader.get_template("500.html").render({"site_name": settings.WAGTAIL_SITE_NAME})
    if outages.current_database_outage():
        response = HttpResponse(content, status=503)
        response["Retry-After"] = str(outages.DATABASE_RETRY_AFTER)
        return response
    return HttpResponseServerError(content)
