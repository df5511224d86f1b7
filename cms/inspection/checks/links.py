"""Broken links (错链断链) and hidden links (暗链) in live content, and 暗链 in the pages probe_site fetched.

One finding per page and target, so that an inspector's false-positive mark on one link of a page does not
hide another. The object is the page's edit view with the target in the query, where the unit fixes it.
"""

from collections import defaultdict
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .. import links
from ..findings import Finding, Kind, Severity, check
from ..probe_models import ProbeResult
from .availability import window


def _hidden_rule():
    return _("页面不得含有隐藏的外部链接（暗链）")


def _object(page_id, target):
    return f"{reverse('wagtailadmin_pages:edit', args=[page_id])}?link={quote(target, safe='')}"


def _grouped(problems):
    """{(page id, unit, target): [problem, ...]}: one finding for a target a page links to several times."""
    grouped = defaultdict(list)
    for problem in problems:
        grouped[(problem.page_id, problem.unit, problem.target)].append(problem)
    return grouped


def _titles(page_ids):
    return dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))


def _findings(problems, kind, rule, template):
    grouped = _grouped(problems)
    titles = _titles({page_id for page_id, _unit, _target in grouped})
    for (page_id, unit, target), found in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][2])):
        where = "、".join(dict.fromkeys(problem.where for problem in found))
        values = {"title": titles.get(page_id, ""), "where": where, "target": target, "detail": found[0].detail}
        yield Finding(
            kind=kind,
            unit=unit,
            object=_object(page_id, target),
            detail=template % values,
            severity=Severity.FINDING,
            rule=rule,
            data={"page_id": page_id, "target": target, "where": where},
        )


@check
def broken_links(context):
    broken, hidden = links.find_problems(context.unit_code, check_external=context.check_external_links)
    yield from _findings(
        broken,
        Kind.BROKEN_LINK,
        _("页面链接和附件须有效（错链断链）"),
        _("《%(title)s》%(where)s中的链接 %(target)s：%(detail)s"),
    )
    yield from _findings(
        hidden, Kind.HIDDEN_LINK, _hidden_rule(), _("《%(title)s》%(where)s中隐藏的外部链接 %(target)s（%(detail)s）")
    )


@check
def served_hidden_links(context):
    """暗链 in the HTML the site actually served to probe_site during the week before the inspection."""
    if context.unit_code:
        return  # served pages are judged for the portal as a whole
    start, end = window(context.as_of)
    latest = {}
    for probe in ProbeResult.objects.filter(checked_at__gte=start, checked_at__lt=end).order_by("checked_at"):
        latest[probe.url] = probe  # the newest probe of each address tells whether the link is still there
    for url, probe in sorted(latest.items()):
        for link in probe.hidden_links:
            yield Finding(
                kind=Kind.HIDDEN_LINK,
                unit="",
                object=f"{url}#{quote(link['href'], safe='')}",
                detail=_("%(time)s 访问 %(url)s 时，页面含隐藏的外部链接 %(href)s（%(reason)s）")
                % {"time": timezone.localtime(probe.checked_at).strftime("%Y-%m-%d %H:%M"), "url": url, **link},
                severity=Severity.FINDING,
                rule=_hidden_rule(),
                data={"url": url, "href": link["href"], "checked_at": probe.checked_at.isoformat()},
            )
