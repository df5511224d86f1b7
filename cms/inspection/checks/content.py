"""Content re-scan: every live page and new-media post checked again with today's lexicon, leader register
and personal-data rules.

The scan is the one publication runs (``workflows.api.collect_findings``: every text field, rich text,
StreamField block and attachment, leaders judged on the content's own date, overrides granted at review
applied), so a term added to the lexicon today is found in a page published last year. One finding per
object and category: blocking hits make it a finding, warning-only hits a warning. Attachment notes ("could
not read this file") are not content problems and are left out; personal data is shown masked.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import get_page_models

from cms.organisation.models import Unit
from newmedia.models import NewMediaPost
from workflows.api import collect_findings
from workflows.checks import BLOCK, CATEGORY_LABELS, mask_personal_data
from workflows.lexicon.models import Category
from workflows.models import Override

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


def recorded_overrides():
    """{(base content type id, object id): [kind, ...]} of every head's override, read once for the whole scan."""
    found = defaultdict(list)
    for type_id, object_id, kind in Override.objects.values_list("base_content_type_id", "object_id", "kind"):
        found[(type_id, object_id)].append(kind)
    return found


def _by_category(obj, overrides):
    grouped = defaultdict(list)
    kinds = overrides.get((obj.get_base_content_type().pk, str(obj.pk)), ())
    for hit in collect_findings(obj, obj, override_kinds=kinds):
        if hit["category"] != NOT_CONTENT and not hit.get("overridden"):
            grouped[hit["category"]].append(hit)
    return grouped


def _findings(obj, title, unit_code, url, overrides):
    for category, hits in sorted(_by_category(obj, overrides).items()):
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


def live_pages(unit_code=None):
    """Every live page below the root as its specific type (with a unit, only the unit's pages): one streamed
    query per page type, however many pages (a specific() queryset would add a query per type for every chunk)."""
    for model in get_page_models():
        if model._meta.abstract:
            continue
        pages = model.objects.filter(content_type=ContentType.objects.get_for_model(model)).live()
        if unit_code:
            if not any(field.name == "owning_unit" for field in model._meta.concrete_fields):
                continue
            pages = pages.filter(owning_unit__organisation_code=unit_code)
        yield from pages.filter(depth__gt=1).order_by("path").iterator(chunk_size=CHUNK)


@check
def content_pages(context):
    codes = _unit_codes(context)
    overrides = recorded_overrides()
    for page in live_pages(context.unit_code):
        unit_id = getattr(page, "owning_unit_id", None)
        url = page.full_url or admin_url("wagtailadmin_pages:edit", page.pk)
        yield from _findings(page, page.title, codes.get(unit_id, ""), url, overrides)


@check
def content_posts(context):
    codes = _unit_codes(context)
    overrides = recorded_overrides()
    posts = NewMediaPost.objects.filter(live=True).select_related("account").order_by("pk")
    if context.unit_code:
        posts = posts.filter(account__unit_id__in=codes)
    for post in posts.iterator(chunk_size=CHUNK):
        url = post.platform_url or admin_url("newmedia_posts:edit", post.pk)
        yield from _findings(post, post.title, codes.get(post.account.unit_id, ""), url, overrides)
