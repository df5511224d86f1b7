"""Boards and letters for the handling tests (the public side has its own helpers)."""

import secrets

from django.utils import timezone

from site_pages.models import MessageBoardPage
from site_pages.models.letters import Message, MessageAction, MessageEvent
from tests.factories import make_column, make_home


def make_board(unit, parent=None, **fields):
    parent = parent or make_column(make_home(), "互动交流", unit, slug="hdjl")
    title = fields.pop("title", "县长信箱")
    board = MessageBoardPage(title=title, slug=f"board-{unit.pk}", default_unit=unit, **fields)
    parent.add_child(instance=board)
    board.save_revision().publish()
    return board


def make_letter(board, submitted_at=None, **fields):
    values = {
        "letter_type": "consult",
        "subject": "关于村道维修的咨询",
        "content": "我村村道损坏，请问何时维修？",
        "name": "王小明",
        "mobile": "13900001111",
        "email": "writer@example.invalid",
        "consent_to_publish": True,
        "handling_unit": board.default_unit,
        **fields,
    }
    message = Message.objects.create(
        board=board,
        receipt_number=f"T{secrets.token_hex(8)}",
        query_code_hash="x",
        submission_token=secrets.token_hex(16),
        **values,
    )
    if submitted_at is not None:
        # submitted_at is auto_now_add: a letter from the past is written back after creation.
        Message.objects.filter(pk=message.pk).update(submitted_at=submitted_at)
        message.refresh_from_db()
    MessageEvent.objects.create(message=message, action=MessageAction.SUBMITTED, unit=board.default_unit)
    return message


def county_time(day, hour=10):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))
