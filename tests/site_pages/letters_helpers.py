"""Shared by the letter tests and the upload enumeration: a live board and posting its public form."""

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from site_pages.letters import intake
from site_pages.models import Message, MessageBoardPage
from site_pages.models.letters import LetterStatus, MessageAction, MessageEvent
from tests.factories import UnitFactory, make_column, make_home

BOARD_SLUG = "xzxx"


def make_board(parent, unit, slug=BOARD_SLUG, title="县长信箱", **fields):
    board = MessageBoardPage(title=title, slug=slug, default_unit=unit, owning_unit=unit, **fields)
    parent.add_child(instance=board)
    board.save_revision().publish()
    return board


def letter_data(**overrides):
    data = {
        "letter_type": "consult",
        "subject": "关于石羊镇道路维修的咨询",
        "content": "石羊镇场镇主街道路面破损严重，请问何时安排维修？",
        "name": "张三丰",
        "mobile": "13800001234",
        "email": "",
        "consent_to_publish": "on",
        "show_name": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def fresh_token(client, board):
    """GET the form (which asks a captcha) and return its one-time token."""
    response = client.get(board.url + "write/")
    return response.context["form"]["token"].value()


def post_letter(client, board, captcha=True, token=None, files=(), **overrides):
    token = token or fresh_token(client, board)
    data = letter_data(token=token, **overrides)
    if captcha:
        data["captcha"] = client.session[CAPTCHA_SESSION_KEY]
    if files:
        data["attachments"] = list(files)
    return client.post(board.url + "write/", data)


def closed_letter(board, subject="已办结的留言", content="留言内容，至少十个字以上的说明。", **fields):
    """A letter answered and published, as the handling would leave it."""
    message, _code, _created = intake.receive(
        board,
        {
            "letter_type": "consult",
            "subject": subject,
            "content": content,
            "name": "李四",
            "show_name": True,
            "mobile": "13900001111",
            "email": "",
            "consent_to_publish": True,
        },
        [],
        intake.new_submission_token(),
    )
    values = {
        "status": LetterStatus.CLOSED,
        "reply_text": "经核实，已安排维修。",
        "reply_unit": board.default_unit,
        "replied_at": timezone.now(),
        "published": True,
        **fields,
    }
    Message.objects.filter(pk=message.pk).update(**values)
    MessageEvent.objects.create(message=message, action=MessageAction.CLOSED, unit=board.default_unit)
    message.refresh_from_db()
    return message


def upload_letter_attachment(client, name, content):
    """The public form's attachment upload (tests/security/test_upload_parsing.py ENTRY_POINTS)."""
    caches["strict"].clear()
    board = MessageBoardPage.objects.first()
    if board is None:
        unit = UnitFactory(kind="supervisor")
        board = make_board(make_column(make_home(), "互动交流", unit, slug="hdjl"), unit)
    before = Message.objects.count()
    response = post_letter(client, board, files=[SimpleUploadedFile(name, content)])
    if Message.objects.count() > before:
        return True, []
    return False, [str(message) for message in response.context["form"].errors.get("attachments", [])]
