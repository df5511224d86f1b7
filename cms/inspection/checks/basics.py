"""Portal basics: the footer's identifiers (门户网站设置 › 备案与标识) and a search that answers.

The footer shows 网站标识码, ICP备案号, 公安机关备案号 and the 党政机关网站标识 link from ``PortalSettings``; an
empty one is missing from every page. Search is tried with the title of the newest live page it should find,
through the same ``run_search`` the public search page uses (no query is counted in the search statistics).
These are findings about the portal as a whole (unit ""), left out when the inspection is for one unit.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Site

from site_pages import search as site_search
from site_pages.models import PortalSettings

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url

FOOTER_FIELDS = ("site_code", "icp_number", "police_number", "conac_url")


def settings_url(site):
    return admin_url("wagtailsettings:edit", "site_pages", "portalsettings", site.pk)


@check
def footer_identifiers(context):
    if context.unit_code is not None:
        return
    for site in Site.objects.order_by("-is_default_site", "hostname"):
        portal = PortalSettings.for_site(site)
        missing = [
            str(portal._meta.get_field(name).verbose_name) for name in FOOTER_FIELDS if not getattr(portal, name)
        ]
        if not missing:
            continue
        yield Finding(
            kind=Kind.PORTAL_BASICS,
            unit="",
            object=settings_url(site),
            detail=_("网站 %(site)s 页脚缺少：%(fields)s。") % {"site": site.root_url, "fields": "、".join(missing)},
            severity=Severity.FINDING,
            rule=_("页脚标识齐全"),
            data={"missing": missing},
        )


def _probe_page():
    """The newest live page of the search's result types, which a working search finds by its title."""
    pages = site_search.filtered_pages(site_search.SearchForm({}))
    return pages.exclude(title="").order_by("-first_published_at", "-pk").first()


@check
def search_answers(context):
    if context.unit_code is not None:
        return
    page = _probe_page()
    query = page.title if page is not None else _("政府")
    problem = None
    try:
        outcome = site_search.run_search(site_search.SearchForm({"q": query}))
    except Exception as error:  # noqa: BLE001 - any failure of the search is the finding
        problem = _("搜索出错（%(error)s）") % {"error": type(error).__name__}
    else:
        if page is not None and page.pk not in outcome.ids:
            problem = _("搜索“%(query)s”找不到已发布的同名页面（%(url)s）") % {"query": query, "url": page.url}
    if problem is None:
        return
    yield Finding(
        kind=Kind.PORTAL_BASICS,
        unit="",
        object=f"{reverse('search')}?{urlencode({'q': query})}",
        detail=_("站内搜索不可用：%(problem)s。") % {"problem": problem},
        severity=Severity.FINDING,
        rule=_("站内搜索可用"),
        data={"query": query},
    )
