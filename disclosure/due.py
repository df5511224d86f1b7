"""Proactive-disclosure deadlines: an item is due 20 working days after it was formed or last changed."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import calendar

PROACTIVE_WORKING_DAYS = 20
DEFAULT_WARNING_DAYS = 5


class DueState:
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    APPROACHING = "approaching"
    OVERDUE = "overdue"

    LABELS = {
        ON_TIME: _("按时公开"),
        LATE: _("逾期公开"),
        PENDING: _("未到期"),
        APPROACHING: _("临近期限"),
        OVERDUE: _("已逾期"),
    }


@dataclass(frozen=True)
class DueStatus:
    basis: date
    due: date
    provisional: bool
    state: str
    # Working days from today to the due date: negative once it has passed; None for published items.
    remaining: int | None

    @property
    def label(self):
        return DueState.LABELS[self.state]

    @property
    def needs_attention(self):
        return self.state in (DueState.APPROACHING, DueState.OVERDUE)


def due_status(basis, published_on=None, *, today=None, warning_days=DEFAULT_WARNING_DAYS):
    """The deadline of information formed or changed on `basis`, judged on `today` or by its publication date."""
    result = calendar.deadline(basis, PROACTIVE_WORKING_DAYS)
    if published_on is not None:
        state = DueState.ON_TIME if published_on <= result.due else DueState.LATE
        return DueStatus(basis, result.due, result.provisional, state, None)
    today = today or timezone.localdate()
    remaining = calendar.working_days_between(today, result.due)
    if today > result.due:
        state = DueState.OVERDUE
    elif remaining <= warning_days:
        state = DueState.APPROACHING
    else:
        state = DueState.PENDING
    return DueStatus(basis, result.due, result.provisional, state, remaining)
