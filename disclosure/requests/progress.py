"""What the applicant sees of a request: the receipt (shown once, e-mailed when an address was given)
and the handling steps on the status page, both derived from the request and its handling record."""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import calendar

from .choices import EventAction
from .clock import ANSWER_DAYS, MAX_EXTENSION_DAYS
from .models import format_query_code

logger = logging.getLogger(__name__)

# Any of these by the handling unit after the request reached it means the unit is working on it.
HANDLING_ACTIONS = {
    EventAction.ACCEPTED,
    EventAction.SUPPLEMENT_REQUESTED,
    EventAction.SUPPLEMENT_RECEIVED,
    EventAction.CONSULTATION_STARTED,
    EventAction.CONSULTATION_ENDED,
    EventAction.EXTENDED,
    EventAction.ANSWERED,
}


def receipt_context(item, secret, status_url):
    """The receipt's content, shared by the page and the e-mail."""
    return {
        "receipt_number": item.receipt_number,
        "secret": format_query_code(secret),
        "received_on": item.received_on,
        "agency": item.agency,
        # A new request has no extension or consultation yet: its deadline is the statutory 20 working days.
        "deadline": calendar.deadline(item.clock_start, ANSWER_DAYS),
        "answer_days": ANSWER_DAYS,
        "extension_days": MAX_EXTENSION_DAYS,
        "status_url": status_url,
    }


def send_receipt(item, context):
    """E-mail the receipt when the applicant gave an address; True when it was handed to the mail server.

    A mail failure must not lose the request, which is already saved: it is logged and the page says so.
    """
    if not item.email:
        return False
    subject = _("政府信息公开申请回执（受理编号 %(number)s）") % {"number": item.receipt_number}
    body = render_to_string("disclosure_requests/email/receipt.txt", context)
    try:
        send_mail(subject, body, None, [item.email])
    except OSError:
        logger.exception("Receipt e-mail for %s could not be sent", item.receipt_number)
        return False
    return True


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    on: date | None
    detail: str = ""
    done: bool = False
    current: bool = False  # the step the request is at now: the last one reached


STEP_LABELS = {
    "received": gettext_lazy("已收到"),
    "transferred": gettext_lazy("已转办"),
    "handling": gettext_lazy("办理中"),
    "answered": gettext_lazy("已答复"),
}


def _event_date(event):
    return event.effective_on or timezone.localdate(event.at)


def progress_steps(item):
    """已收到, 已转办, 办理中, 已答复 with the date each was reached; the last one reached is current.

    已转办 is the request's latest assignment (to the agency the applicant chose, or a transfer by the
    intake office); 办理中 is the handling unit's first action after it.
    """
    events = list(item.events.all())
    assignments = [e for e in events if e.action == EventAction.ASSIGNED]
    assigned = assignments[-1] if assignments else None
    handled = None
    if assigned is not None:
        later = events[events.index(assigned) + 1 :]
        handled = next((e for e in later if e.action in HANDLING_ACTIONS), None)
    reached = {
        "received": item.received_on,
        "transferred": _event_date(assigned) if assigned else None,
        "handling": _event_date(handled) if handled else None,
        "answered": item.answered_on,
    }
    # A step counts as done once a later one was reached, even when it left no dated record of its own.
    done_from = max((i for i, key in enumerate(reached) if reached[key]), default=-1)
    unit = item.handling_unit.name if item.handling_unit_id else ""
    return [
        Step(
            key,
            STEP_LABELS[key],
            on,
            unit if key == "transferred" and index <= done_from else "",
            index <= done_from,
            index == done_from,
        )
        for index, (key, on) in enumerate(reached.items())
    ]
