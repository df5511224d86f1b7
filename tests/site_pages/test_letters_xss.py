"""Every payload of the shared XSS corpora, written into a letter and its reply, comes out of the public list, the
letter page and the status page inert: stored as typed, shown escaped."""

import re

import pytest
from django.core.cache import caches
from django.utils import timezone

from site_pages.letters import public
from site_pages.letters.forms import clean_text
from site_pages.models import Message
from site_pages.models.letters import LetterStatus
from tests.factories import make_column

from .letters_helpers import make_board, post_letter
from .test_sanitize import PAYLOADS, dangers

pytestmark = pytest.mark.django_db

ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
LIST = re.compile(r"<table class=\"letter-list\".*?</table>", re.S)
FORM_SAMPLE = 40
# Payloads per letter on the letter and status pages, one a line.
CHUNK = 60


@pytest.fixture
def payloads():
    if not PAYLOADS:
        pytest.skip("XSS corpus not found")  # test_sanitize.py fails under CI when it is missing
    return PAYLOADS


@pytest.fixture
def board(home, county_office):
    column = make_column(home, "互动交流", county_office, update_class="monthly", slug="hdjl")
    return make_board(column, county_office)


def region(response, pattern=ARTICLE):
    """Where the writer's text is shown: the letter pages' <article>, the list's table."""
    assert response.status_code == 200
    return "".join(pattern.findall(response.content.decode()))


def letter(board, n, subject, text, now):
    return Message(
        board=board,
        receipt_number=f"LX{n:08d}",
        query_code_hash="-",
        submission_token=f"xss-{n}",
        letter_type="other",
        subject=subject[:100],
        content=text,
        name=subject[:50],
        show_name=True,
        mobile="13800001234",
        consent_to_publish=True,
        status=LetterStatus.CLOSED,
        reply_text=text,
        reply_unit=board.default_unit,
        replied_at=now,
        published=True,
        satisfaction="satisfied",
    )


def test_every_payload_is_inert_on_the_public_list(client, board, payloads, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 500)
    now = timezone.now()
    Message.objects.bulk_create(letter(board, n, payload, "内容", now) for n, payload in enumerate(payloads))
    number, problems = 1, []
    while True:
        response = client.get(f"{board.url}?page={number}")
        problems += dangers(region(response, LIST))
        if not response.context["page_obj"].has_next():
            break
        number += 1
    assert number > 1 and not problems, problems[:5]


def test_every_payload_is_inert_on_the_letter_and_status_pages(client, board, payloads):
    now = timezone.now()
    chunks = [payloads[i : i + CHUNK] for i in range(0, len(payloads), CHUNK)]
    Message.objects.bulk_create(letter(board, n, chunk[0], "\n".join(chunk), now) for n, chunk in enumerate(chunks))
    problems = []
    for message in Message.objects.filter(board=board):
        problems += dangers(region(client.get(f"{board.url}{message.pk}/")))
        session = client.session
        session["letter_verified"] = {str(message.pk): True}
        session.save()
        problems += dangers(region(client.get(f"{board.url}query/?letter={message.pk}")))
    assert not problems, problems[:5]


def test_payloads_through_the_form_are_stored_as_typed(client, board, payloads):
    sample = [p for p in payloads if "<" in p and "\x00" not in p and len(p) >= 10][:FORM_SAMPLE]
    for payload in sample:
        caches["strict"].clear()
        response = post_letter(client, board, subject=payload[:100], content=payload[:3000], name="测试")
        assert response.status_code == 302, response.context["form"].errors
    stored = list(Message.objects.order_by("pk").values_list("content", flat=True))
    assert stored == [clean_text(p[:3000]) for p in sample]
