"""Letters built directly as rows (status, reply and rating set by hand) for the statistics and analysis tests."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import chinese_calendar

from site_pages.models import Message, MessageBoardPage
from tests.factories import make_column

COUNTY = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def make_board(home, unit, title="县长信箱"):
    column = make_column(home, "互动交流", unit, update_class="monthly", slug=f"hdjl-{next(_numbers)}")
    board = MessageBoardPage(title=title, slug=f"board-{next(_numbers)}", default_unit=unit, owning_unit=unit)
    column.add_child(instance=board)
    board.save_revision().publish()
    return board


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=COUNTY)


def letter(board, submitted, *, unit=None, replied=None, subject="路灯不亮", content="小区路灯不亮", **fields):
    """A letter submitted on `submitted` (a date, county time), replied on `replied` if given."""
    number = next(_numbers)
    message = Message.objects.create(
        board=board,
        receipt_number=f"T{number:08d}",
        query_code_hash="x" * 64,
        submission_token=f"token-{number}",
        letter_type=fields.pop("letter_type", "consult"),
        subject=subject,
        content=content,
        name=fields.pop("name", "王小明"),
        mobile="13800000000",
        handling_unit=unit,
        status=fields.pop("status", "closed" if replied else "in_progress"),
        replied_at=at(replied, 16) if replied else None,
        **fields,
    )
    Message.objects.filter(pk=message.pk).update(submitted_at=at(submitted))
    message.refresh_from_db()
    return message


def working_days(received, end):
    """Working days after `received` up to `end`, by the holiday package directly (not the project's calendar)."""
    while not chinese_calendar.is_workday(received):
        received += datetime.timedelta(days=1)
    days = (end - received).days
    return sum(chinese_calendar.is_workday(received + datetime.timedelta(days=n)) for n in range(1, days + 1))
