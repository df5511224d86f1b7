"""The letter's page masks numbers typed into the subject and content until the audited 查看联系方式."""

import pytest
from django.urls import reverse

from tests.factories import log_in, member
from tests.site_pages.letters_support import make_board, make_letter

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
CONTENT = f"我的电话{MOBILE}，请回电。"


@pytest.fixture
def letter(township_a):
    board = make_board(township_a)
    return make_letter(board, subject=f"来电{MOBILE}", content=CONTENT)


def page(client, letter):
    return client.get(reverse("letters_admin:detail", args=[letter.pk])).content.decode()


def test_content_is_masked_until_contact_viewed_in_this_session(client, letter, township_a):
    handler = member(township_a, "info_officer")
    log_in(client, handler)
    before = page(client, letter)
    assert MOBILE not in before and "138****5678" in before and "data-content-masked" in before
    viewed = client.post(reverse("letters_admin:contact", args=[letter.pk])).content.decode()
    assert CONTENT in viewed and "data-content-masked" not in viewed
    # The step holds for this letter for the rest of the session, not for other letters.
    assert CONTENT in page(client, letter)
    other = make_letter(letter.board, content=CONTENT)
    assert MOBILE not in page(client, other)
    # A new session starts masked again.
    client.logout()
    log_in(client, handler)
    assert MOBILE not in page(client, letter)


def test_supervisors_always_read_the_content_masked(client, letter, county_office):
    supervisor = member(county_office, "section_chief")
    log_in(client, supervisor)
    body = page(client, letter)
    assert MOBILE not in body and "138****5678" in body and "查看联系方式" not in body
    # Even with the letter's id planted in the session, the supervisor may not see contact details.
    session = client.session
    session["letters_contact_viewed"] = [letter.pk]
    session.save()
    assert MOBILE not in page(client, letter)


def test_purged_letter_stays_masked(client, letter, township_a):
    handler = member(township_a, "info_officer")
    log_in(client, handler)
    client.post(reverse("letters_admin:contact", args=[letter.pk]))
    type(letter).objects.filter(pk=letter.pk).update(personal_data_purged_at=letter.submitted_at)
    assert MOBILE not in page(client, letter)


def test_the_listing_masks_numbers_in_subjects(client, letter, county_office):
    log_in(client, member(county_office, "section_chief"))
    listing = client.get(reverse("letters_admin:index")).content.decode()
    assert letter.receipt_number in listing and "来电138****5678" in listing and MOBILE not in listing


def test_no_masking_note_where_nothing_was_masked(client, township_a):
    plain = make_letter(make_board(township_a), content="我村村道损坏，请问何时维修？")
    log_in(client, member(township_a, "info_officer"))
    assert "data-content-masked" not in page(client, plain)
