from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from wagtail.models import Page

from cms import outages

SEARCH_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 100
LARGE_TEXT_COOKIE_AGE = 365 * 24 * 3600


@require_GET
def search(request):
    # Long queries are cut rather than refused: a pasted paragraph still finds its page.
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results_page = None
    if query:
        results = Page.objects.live().public().specific().search(query)
        paginator = Paginator(results, SEARCH_PAGE_SIZE)
        try:
            results_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results_page = paginator.page(1)
        except EmptyPage:
            results_page = paginator.page(paginator.num_pages)
    return render(request, "site_pages/search.html", {"query": query, "results": results_page})


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
