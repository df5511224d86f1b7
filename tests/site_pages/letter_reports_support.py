"""Letters built directly as rows (status, reply and rating set by hand) for the statistics and analysis tests."""

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar

from tests.factories import make_column

from . import letters_support

COUNTY = ZoneInfo("Asia/Shanghai")


def make_board(home, unit):
    column = make_column(home, "互动交流", unit, update_class="monthly", slug="hdjl")
    return letters_support.make_board(unit, parent=column)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=COUNTY)


def letter(board, submitted, *, unit=None, replied=None, **fields):
    """A letter submitted on `submitted` (a date, county time), replied on `replied` if given; `unit` None
    leaves it with no handling unit (not yet transferred)."""
    return letters_support.make_letter(
        board,
        submitted_at=at(submitted),
        handling_unit=unit,
        status=fields.pop("status", "closed" if replied else "in_progress"),
        replied_at=at(replied, 16) if replied else None,
        **fields,
    )


def working_days(received, end):
    """Working days after `received` up to `end`, by the holiday package directly (not the project's calendar)."""
    while not chinese_calendar.is_workday(received):
        received += datetime.timedelta(days=1)
    days = (end - received).days
    return sum(chinese_calendar.is_workday(received + datetime.timedelta(days=n)) for n in range(1, days + 1))
