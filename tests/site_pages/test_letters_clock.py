"""The letter clock on the working-day calendar (2025 National Day and Mid-Autumn: 1–8 October off, Sunday
28 September and Saturday 11 October worked), the three-month flag at its boundary, what handlers see, and
the daily reminders."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from site_pages.letters import handling
from site_pages.letters.clock import Level, letter_clock
from site_pages.models.letter_replies import LetterReminder
from site_pages.models.letters import LetterStatus
from tests.factories import log_in, member
from tests.site_pages.letters_support import county_time, make_board, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(county_office):
    return make_board(county_office, warning_days=5, deadline_days=10)


def level(letter, day):
    return letter_clock(letter, day).level


def test_clock_skips_the_national_day_holiday_and_counts_the_make_up_saturday(board):
    letter = make_letter(board, county_time(date(2025, 9, 29)))
    clock = letter_clock(letter, date(2025, 10, 13))
    # Working days after 29 Sep: 30 Sep, 9, 10, 11 (Saturday, worked), 13 Oct ... 20 Oct is the 10th.
    assert clock.warning_after == date(2025, 10, 13)
    assert clock.due == date(2025, 10, 20)
    assert clock.red_after == date(2025, 11, 3)
    assert level(letter, date(2025, 10, 8)) == Level.NORMAL
    assert level(letter, date(2025, 10, 13)) == Level.NORMAL
    assert level(letter, date(2025, 10, 14)) == Level.WARNING
    assert level(letter, date(2025, 10, 20)) == Level.WARNING
    assert level(letter, date(2025, 10, 21)) == Level.YELLOW
    assert level(letter, date(2025, 11, 3)) == Level.YELLOW
    assert level(letter, date(2025, 11, 4)) == Level.RED


def test_a_letter_on_a_holiday_counts_from_the_next_working_day(board):
    on_holiday = make_letter(board, county_time(date(2025, 10, 3)))
    on_make_up_day = make_letter(board, county_time(date(2025, 9, 28)))
    assert letter_clock(on_holiday, date(2025, 10, 9)).received == date(2025, 10, 9)
    assert letter_clock(on_make_up_day, date(2025, 9, 28)).received == date(2025, 9, 28)


def test_three_months_is_the_severe_line(board):
    letter = make_letter(board, county_time(date(2026, 1, 15)))
    assert not letter_clock(letter, date(2026, 4, 15)).severely_overdue
    assert letter_clock(letter, date(2026, 4, 16)).severely_overdue


def test_refused_and_answered_letters_are_not_severe(board, county_office):
    intake = member(county_office, "info_officer")
    refused = make_letter(board, county_time(date(2026, 1, 15)))
    handling.refuse(refused, intake, "discipline")
    assert letter_clock(refused, date(2026, 6, 1)) is None
    answered = make_letter(board, county_time(date(2026, 1, 15)), status=LetterStatus.CLOSED)
    answered.replied_at = county_time(date(2026, 1, 20))
    answered.save()
    clock = letter_clock(answered, date(2026, 6, 1))
    assert not clock.severely_overdue and clock.level == Level.NORMAL and not clock.running


def test_handlers_see_the_due_date_and_level(client, board, county_office):
    letter = make_letter(board, county_time(date(2025, 9, 29)))
    log_in(client, member(county_office, "info_officer"))
    listing = client.get(reverse("letters_admin:index"), {"status": "all", "level": "red"}).content.decode()
    assert letter.receipt_number in listing and "2025-10-20" in listing and "严重超期" in listing
    assert letter.receipt_number not in client.get(reverse("letters_admin:index"), {"level": "normal"}).content.decode()
    detail = client.get(reverse("letters_admin:detail", args=[letter.pk])).content.decode()
    assert "2025-10-20" in detail and "红牌" in detail


def test_reminders_once_a_day_to_units_with_late_letters(board, county_office, township_a):
    intake = member(county_office, "info_officer", email="intake@example.invalid")
    member(township_a, "head", email="head@example.invalid")
    late = make_letter(board, county_time(date(2025, 9, 29)))
    handling.accept(late, intake)
    handling.transfer(late, intake, township_a, "")
    make_letter(board, county_time(date(2025, 10, 10)))  # still 正常 on 14 October

    call_command("send_letter_reminders", "--date", "2025-10-14")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.invalid"]
    assert late.receipt_number in mail.outbox[0].body and "预警" in mail.outbox[0].body
    call_command("send_letter_reminders", "--date", "2025-10-14")
    assert len(mail.outbox) == 1
    call_command("send_letter_reminders", "--date", "2025-10-15")
    assert len(mail.outbox) == 2
    assert LetterReminder.objects.filter(unit=township_a).count() == 2


def test_no_reminder_when_all_letters_are_on_time(board):
    make_letter(board, county_time(date(2025, 10, 10)))
    call_command("send_letter_reminders", "--date", "2025-10-14")
    assert mail.outbox == [] and not LetterReminder.objects.exists()
