"""Content re-scan: every live page and new-media post checked again with today's lexicon, leader register
and personal-data rules.

The scan is the one publication runs (``workflows.api.collect_findings``: every text field, rich text,
StreamField block and attachment, leaders judged on the content's own date, overrides granted at review
applied), so a term added to the lexicon today is found in a page published last year. One finding per
object and category: blocking hits make it a finding, warning-only hits a warning. Attachment notes ("could
not read this file") are not content problems and are left out; personal data is shown masked.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.organisation.models import Unit
from newmedia.models import NewMediaPost
from workflows.api import collect_findings
from workflows.checks import BLOCK, CATEGORY_LABELS, mask_personal_data
from workflows.lexicon.models import Category

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url

NOT_CONTENT = "attachment"
MAX_TERMS = 5
CHUNK = 200


def category_label(category):
    label = CATEGORY_LABELS.get(category)
    if label is None:
        label = Category(category).label if category in Category.values else category
    return str(label)


def _shown(hit):
    if hit["category"] == "personal_data":
        return mask_personal_data(hit.get("matched") or "")
    return hit.get("matched") or hit.get("term") or ""


def _by_category(obj):
    grouped = defaultdict(list)
    for hit in collect_findings(obj, obj):
        if hit["category"] != NOT_CONTENT and not hit.get("overridden"):
            grouped[hit["category"]].append(hit)
    return grouped


def _findings(obj, title, unit_code, url):
    for category, hits in sorted(_by_category(obj).items()):
        terms = {}
        for hit in hits:
            where = str(hit.get("field_label") or "")
            terms.setdefault(_shown(hit), where)
        listed = "；".join(
            f"“{term}”（{where}）" if where else f"“{term}”" for term, where in list(terms.items())[:MAX_TERMS]
        )
        more = _("等 %(count)s 处") % {"count": len(hits)} if len(terms) > MAX_TERMS else ""
        blocking = any(hit["severity"] == BLOCK for hit in hits)
        yield Finding(
            kind=Kind.CONTENT_FLAGGED,
            unit=unit_code,
            object=f"{url}#{category}",
            detail=_("《%(title)s》%(category)s：%(terms)s%(more)s（共 %(count)s 处）。")
            % {
                "title": title,
                "category": category_label(category),
                "terms": listed,
                "more": more,
                "count": len(hits),
            },
            severity=Severity.FINDING if blocking else Severity.WARNING,
            rule=_("内容复查（%(category)s）") % {"category": category_label(category)},
            data={"category": category, "hits": len(hits), "blocking": blocking},
        )


def _unit_codes(context):
    units = Unit.objects.all()
    if context.unit_code:
        units = units.filter(organisation_code=context.unit_code)
    return dict(units.values_list("pk", "organisation_code"))


@check
def content_pages(context):
    codes = _unit_codes(context)
    pages = Page.objects.live().filter(depth__gt=1).order_by("path").specific()
    for page in pages.iterator(chunk_size=CHUNK):
        unit_id = getattr(page, "owning_unit_id", None)
        if context.unit_code and unit_id not in codes:
            continue
        url = page.full_url or admin_url("wagtailadmin_pages:edit", page.pk)
        yield from _findings(page, page.title, codes.get(unit_id, ""), url)


@check
def content_posts(context):
    codes = _unit_codes(context)
    posts = NewMediaPost.objects.filter(live=True).select_related("account").order_by("pk")
    if context.unit_code:
        posts = posts.filter(account__unit_id__in=codes)
    for post in posts.iterator(chunk_size=CHUNK):
        url = post.platform_url or admin_url("newmedia_posts:edit", post.pk)
        yield from _findings(post, post.title, codes.get(post.account.unit_id, ""), url)
