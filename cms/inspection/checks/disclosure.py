"""Disclosure checks: proactive items past their 20-working-day due date, requests past their statutory deadline.

Both deadlines come from ``disclosure`` (``DisclosureItem.due_status`` on the latest revision, as the 公开期限提醒
report reads it; ``request_clock``), judged on the inspection's date. Items and requests within the
disclosure settings' warning days of their deadline are warnings.
"""

from django.utils.translation import gettext as _
from wagtail.models import Site

from disclosure.due import PROACTIVE_WORKING_DAYS, DueState
from disclosure.models import DisclosureItem, DisclosureSettings
from disclosure.requests.clock import ANSWER_DAYS, request_clock
from disclosure.requests.models import DisclosureRequest

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url, code_of, in_scope, unit_filter


def warning_days():
    site = Site.objects.filter(is_default_site=True).first()
    return (DisclosureSettings.for_site(site) if site else DisclosureSettings()).warning_working_days


@check
def disclosure_overdue(context):
    warn = warning_days()
    items = DisclosureItem.objects.filter(**unit_filter(context, "owning_unit")).select_related("owning_unit")
    # Pending items only (drafts, items in review, items changed since publication): the latest revision
    # holds the dates the deadline counts from.
    for item in (items.filter(live=False) | items.filter(live=True, has_unpublished_changes=True)).order_by("pk"):
        draft = item.get_latest_revision_as_object()
        status = draft.due_status(today=context.as_of, warning_days=warn)
        if status.state not in (DueState.OVERDUE, DueState.APPROACHING):
            continue
        overdue = status.state == DueState.OVERDUE
        yield Finding(
            kind=Kind.DISCLOSURE_OVERDUE,
            unit=code_of(item.owning_unit),
            object=admin_url("wagtailadmin_pages:edit", item.pk),
            detail=_(
                "《%(title)s》%(basis)s 形成或变更，应于 %(due)s 前公开，%(state)s（剩余 %(remaining)s 个工作日）。"
            )
            % {
                "title": draft.title,
                "basis": status.basis.isoformat(),
                "due": status.due.isoformat(),
                "state": status.label,
                "remaining": status.remaining,
            },
            severity=Severity.FINDING if overdue else Severity.WARNING,
            rule=_("主动公开 %(days)s 个工作日内公开") % {"days": PROACTIVE_WORKING_DAYS},
            data={"due": status.due.isoformat(), "remaining": status.remaining},
        )


@check
def request_overdue(context):
    warn = warning_days()
    requests = DisclosureRequest.objects.open().select_related("handling_unit", "agency").order_by("received_on", "pk")
    for item in requests.prefetch_related("consultations"):
        unit = item.handling_unit or item.agency
        code = code_of(unit)
        if not in_scope(context, code):
            continue
        clock = request_clock(item, context.as_of)
        if clock.due is None or clock.paused or clock.days_left > warn:
            continue
        yield Finding(
            kind=Kind.REQUEST_OVERDUE,
            unit=code,
            object=admin_url("disclosure_requests_admin:detail", item.pk),
            detail=_("依申请公开 %(number)s（%(received)s 收到）答复期限 %(due)s，%(state)s。")
            % {
                "number": item.receipt_number,
                "received": item.received_on.isoformat(),
                "due": clock.due.due.isoformat(),
                "state": _("已超期 %(days)s 个工作日") % {"days": -clock.days_left}
                if clock.overdue
                else _("剩余 %(days)s 个工作日") % {"days": clock.days_left},
            },
            severity=Severity.FINDING if clock.overdue else Severity.WARNING,
            rule=_("依申请公开 %(days)s 个工作日内答复") % {"days": ANSWER_DAYS},
            data={"due": clock.due.due.isoformat(), "days_left": clock.days_left},
        )
