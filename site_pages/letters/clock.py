"""A letter's clock, counted in working days on disclosure.calendar from the day after it was received.

A letter received on a non-working day counts as received on the next working day. With a board's
warning days W and deadline days D: 正常 until the W-th working day, 预警 after it, 黄牌 after the D-th
(past the deadline), 红牌 after the 2D-th. A reply stops the clock; the level then says how it ended.
Any letter not refused and not answered more than three calendar months after it was received is
严重超期, the national inspection's veto line. Refused letters have no clock.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure import calendar

from ..models.base import add_months
from ..models.letters import LetterStatus

SEVERE_MONTHS = 3


class Level(TextChoices):
    NORMAL = "normal", _("正常")
    WARNING = "warning", _("预警")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


@dataclass(frozen=True)
class LetterClock:
    received: date
    warning_after: date
    due: date
    red_after: date
    level: str
    severely_overdue: bool
    running: bool
    provisional: bool
    working_days_taken: int  # to the reply, or to today while open

    @property
    def level_label(self):
        return Level(self.level).label

    @property
    def on_time(self):
        return self.level in (Level.NORMAL, Level.WARNING)


def effective_receipt(received: date) -> date:
    return received if calendar.is_working_day(received) else calendar.add_working_days(received, 1)


def letter_clock(message, today: date | None = None) -> LetterClock | None:
    if message.status == LetterStatus.REFUSED:
        return None
    board = message.board
    received = effective_receipt(timezone.localdate(message.submitted_at))
    warning = calendar.deadline(received, board.warning_days)
    due = calendar.deadline(received, board.deadline_days)
    red = calendar.deadline(received, 2 * board.deadline_days)
    running = message.replied_at is None
    end = (today or timezone.localdate()) if running else timezone.localdate(message.replied_at)
    if end > red.due:
        level = Level.RED
    elif end > due.due:
        level = Level.YELLOW
    elif end > warning.due:
        level = Level.WARNING
    else:
        level = Level.NORMAL
    severe = end > add_months(timezone.localdate(message.submitted_at), SEVERE_MONTHS)
    return LetterClock(
        received=received,
        warning_after=warning.due,
        due=due.due,
        red_after=red.due,
        level=level,
        severely_overdue=severe and running,
        running=running,
        provisional=warning.provisional or due.provisional or red.provisional,
        working_days_taken=max(calendar.working_days_between(received, end), 0),
    )
