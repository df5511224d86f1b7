"""Column and home page updates (栏目更新, 首页更新), measured from the newest live item's first publication.

A column is checked when it holds content directly (a leaf: no live subcolumn) or when it is first-level (a
direct child of the home page, measured over its whole subtree, because the first veto line names those).
Columns between the two only group subcolumns, whose own findings already say what is late.

A column whose newest item was first published on day D is stale from the day after ``update_due`` (D + 14
days for 动态: 14 days late is still in time, 15 is not; 31 January + 1 month is 28/29 February). It is in
warning once ``INSPECTION_WARNING_SHARE`` (default 10/14) of its period has passed: day 10 of 14 for 动态.
A column with nothing published by the inspection date is empty (空白栏目), not stale.
"""

import datetime
from dataclasses import replace
from fractions import Fraction

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.organisation.models import Unit, UnitKind
from site_pages.home_blocks import FEED_TYPES
from site_pages.models import ColumnPage, HomePage
from site_pages.models.base import UpdateClass, update_due
from site_pages.models.columns import container_models, live_pages_below, public_content

from ..findings import Finding, Kind, Severity, check

DEFAULT_WARNING_SHARE = Fraction(10, 14)
# The home page lists the newest items of the columns its sections name.
HOME_FEED_BLOCKS = ("news", "column_feed")


def warning_share():
    share = getattr(settings, "INSPECTION_WARNING_SHARE", DEFAULT_WARNING_SHARE)
    return Fraction(share).limit_denominator(1000)


def end_of(day):
    """The first moment after `day` in the county's time zone: content published later is not yet there."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def status(last, due, as_of):
    """ "stale", "warning" or "" for an item last updated on `last` that must be updated again by `due`."""
    if as_of > due:
        return Kind.COLUMN_STALE
    if (as_of - last).days >= (due - last).days * warning_share():
        return Kind.COLUMN_WARNING
    return ""


def columns_to_check(context, home):
    """Live columns with their newest item (date and title) published by the inspection date, one query."""
    newest = live_pages_below().filter(first_published_at__lt=end_of(context.as_of)).order_by("-first_published_at")
    containers = ContentType.objects.get_for_models(*container_models()).values()
    # The path range beside startswith lets the (depth, path) index find the children (see live_pages_below).
    last_descendant = Concat(OuterRef("path"), Value("Z" * Page._meta.get_field("path").max_length))
    subcolumns = Page.objects.live().filter(
        content_type__in=containers,
        path__startswith=OuterRef("path"),
        path__gt=OuterRef("path"),
        path__lte=last_descendant,
        depth=OuterRef("depth") + 1,
    )
    columns = (
        ColumnPage.objects.live()
        .descendant_of(home)
        .select_related("owning_unit")
        .annotate(
            newest_at=Subquery(newest.values("first_published_at")[:1]),
            newest_title=Subquery(newest.values("title")[:1]),
            has_subcolumns=Exists(subcolumns),
        )
        .order_by("path")
    )
    if context.unit_code:
        columns = columns.filter(owning_unit__organisation_code=context.unit_code)
    return columns


def column_finding(column, first_level, as_of):
    unit = column.owning_unit.organisation_code if column.owning_unit else ""
    update_class = UpdateClass(column.update_class)
    rule = _("栏目更新：%(label)s") % {"label": update_class.label}
    data = {
        "column_id": column.pk,
        "title": column.title,
        "update_class": column.update_class,
        "first_level": first_level,
        "leaf": not column.has_subcolumns,
    }
    if column.newest_at is None:
        detail = _("栏目“%(title)s”截至 %(as_of)s 没有已发布的信息（空白栏目）。") % {
            "title": column.title,
            "as_of": as_of.isoformat(),
        }
        return Finding(Kind.COLUMN_EMPTY, unit, column.get_full_url(), detail, Severity.FINDING, rule, data)
    return late_finding(
        column.newest_at,
        column.newest_title,
        update_class,
        as_of,
        Finding(
            Kind.COLUMN_STALE,
            unit,
            column.get_full_url(),
            _("栏目“%(title)s”") % {"title": column.title},
            "",
            rule,
            data,
        ),
    )


def late_finding(newest_at, item, update_class, as_of, template):
    """`template` (kind stale, detail holding the subject) as a stale or warning finding, or None when in time."""
    last = timezone.localdate(newest_at)
    due = update_due(update_class, last)
    kind = status(last, due, as_of)
    if not kind:
        return None
    values = {
        "subject": template.detail,
        "item": item,
        "last": last.isoformat(),
        "due": due.isoformat(),
        "days": (as_of - last).days,
        "as_of": as_of.isoformat(),
    }
    if kind == Kind.COLUMN_STALE:
        detail = _(
            "%(subject)s最新信息《%(item)s》首次发布于 %(last)s，最迟应于 %(due)s 更新，"
            "截至 %(as_of)s 已 %(days)s 天未更新。"
        )
        severity = Severity.FINDING
    else:
        detail = _(
            "%(subject)s最新信息《%(item)s》首次发布于 %(last)s，截至 %(as_of)s 已 %(days)s 天未更新，"
            "最迟应于 %(due)s 更新。"
        )
        severity = Severity.WARNING
        if template.kind == Kind.COLUMN_STALE:
            template = replace(template, kind=Kind.COLUMN_WARNING)
    data = {**template.data, "last_update": last.isoformat(), "due": due.isoformat()}
    return replace(template, detail=detail % values, severity=severity, data=data)


@check
def column_updates(context):
    home = HomePage.objects.live().first()
    if home is None:
        return []
    findings = []
    for column in columns_to_check(context, home):
        first_level = column.depth == home.depth + 1
        if column.has_subcolumns and not first_level:
            continue
        finding = column_finding(column, first_level, context.as_of)
        if finding is not None:
            findings.append(finding)
    return findings


def home_unit_code():
    """The home page belongs to the unit that runs the portal (承办单位), or to the portal as a whole."""
    unit = Unit.objects.filter(kind=UnitKind.OPERATOR, active=True).order_by("pk").first()
    return unit.organisation_code if unit else ""


def newest_on_home(home, as_of):
    """The newest item the home page's news and feed sections list by the day: (first publication, title) or None.

    Each section lists what ``column_items`` would show: the column's live, public content, of one page type
    when the section names one, here bounded by the inspection date so a past --as-of sees what was there then.
    """
    newest = None
    for block in home.body:
        column = block.value["column"] if block.block_type in HOME_FEED_BLOCKS else None
        if column is None or not column.live:
            continue
        listing = column.listing_queryset(public_content()).filter(first_published_at__lt=end_of(as_of))
        page_type = block.value.get("page_type") or ""
        if page_type:
            listing = listing.type(apps.get_model(FEED_TYPES[page_type]))
        item = listing.first()
        if item is not None and (newest is None or item.first_published_at > newest[0]):
            newest = (item.first_published_at, item.title)
    return newest


@check
def home_page_update(context):
    home = HomePage.objects.live().first()
    unit = home_unit_code()
    if home is None or (context.unit_code and context.unit_code != unit):
        return []
    as_of = context.as_of
    rule = _("首页更新：14 天")
    newest = newest_on_home(home, as_of)
    if newest is None:
        detail = _("首页各版块截至 %(as_of)s 没有列出任何已发布的信息。") % {"as_of": as_of.isoformat()}
        return [Finding(Kind.HOMEPAGE_STALE, unit, home.get_full_url(), detail, Severity.FINDING, rule)]
    template = Finding(Kind.HOMEPAGE_STALE, unit, home.get_full_url(), _("首页"), "", rule)
    finding = late_finding(*newest, UpdateClass.NEWS, as_of, template)
    return [finding] if finding else []
