"""The statutory clock of a request for disclosure (政府信息公开条例 第三十条至第三十三条).

Semantics, all counted with ``disclosure.calendar`` (working days, counting from the day after):

* Receipt: the day the request arrived. A request arriving on a non-working day (weekend,
  holiday) counts as received on the next working day, so its first counted day is the working
  day after that one. ``clock_start`` holds this effective receipt date.
* 补正: the supplement notice is due within 7 working days of the effective receipt date, and only
  one notice may be sent (一次性告知). While the applicant has not supplemented, no answer clock
  runs. Receiving the supplement *restarts* the clock: ``clock_start`` becomes the effective date
  the supplement arrived and the 20 days count afresh from it.
* Answer: due 20 working days after ``clock_start``.
* 延期: one extension of 1-20 working days, approved by the handling unit's 主要负责人 on or before
  the current due date, adds its days to the 20.
* 征求第三方意见: each consultation's working days (from the day after it was sent up to the day it
  ended, or today while it is open) are not counted, up to 15 working days each because the third
  party has 15 working days to answer (第三十二条); time beyond that counts again.

The due date is therefore the (20 + extension + paused days)-th working day after ``clock_start``;
it is provisional when any counted day falls in a year without official holiday data.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from disclosure import calendar

from .choices import Status

ANSWER_DAYS = 20
SUPPLEMENT_NOTICE_DAYS = 7
MAX_EXTENSION_DAYS = 20
CONSULTATION_DAYS = 15


def effective_receipt(received: date) -> date:
    """The receipt date the clock counts from: the next working day when `received` is not one."""
    return received if calendar.is_working_day(received) else calendar.add_working_days(received, 1)


def supplement_notice_deadline(request) -> calendar.Deadline:
    return calendar.deadline(effective_receipt(request.received_on), SUPPLEMENT_NOTICE_DAYS)


def consultation_days(consultation, today: date) -> int:
    """Working days of one consultation that are not counted, capped at the third party's 15 days."""
    end = consultation.ended_on or today
    return min(max(calendar.working_days_between(consultation.started_on, end), 0), CONSULTATION_DAYS)


@dataclass(frozen=True)
class Clock:
    due: calendar.Deadline | None  # None while the clock is stopped awaiting the applicant's supplement
    supplement_due: calendar.Deadline
    paused_days: int
    paused: bool
    days_left: int | None  # working days from today to the due date; negative once overdue
    overdue: bool

    @property
    def provisional(self) -> bool:
        return bool(self.due and self.due.provisional) or (self.due is None and self.supplement_due.provisional)


def request_clock(request, today: date | None = None) -> Clock:
    today = today or timezone.localdate()
    supplement_due = supplement_notice_deadline(request)
    consultations = list(request.consultations.all()) if request.pk else []
    paused_days = sum(consultation_days(c, today) for c in consultations if c.started_on >= request.clock_start)
    paused = request.status == Status.CONSULTING
    if request.status == Status.SUPPLEMENT:
        return Clock(None, supplement_due, paused_days, paused, None, False)
    due = calendar.deadline(request.clock_start, ANSWER_DAYS + request.extension_days + paused_days)
    if request.answered_on:
        return Clock(due, supplement_due, paused_days, False, None, request.answered_on > due.due)
    days_left = calendar.working_days_between(today, due.due)
    return Clock(due, supplement_due, paused_days, paused, days_left, not paused and today > due.due)
