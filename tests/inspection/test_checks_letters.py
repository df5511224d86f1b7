"""Letter checks: late letters by unit, the three-month veto line and the consultation channel."""

import datetime

import pytest

from cms.inspection.checks import letters
from cms.inspection.findings import InspectionContext
from site_pages.models.letters import LetterStatus
from tests.site_pages.letters_support import county_time, make_board, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(county_office):
    return make_board(county_office, warning_days=5, deadline_days=10)


def run(function, as_of, unit_code=None):
    return list(function(InspectionContext(as_of=as_of, unit_code=unit_code)))


def test_overdue_letters_warning_then_yellow_then_red(board, county_office, township_a):
    # Same calendar as the clock's own tests: received 29 Sep 2025, 预警 from 14 Oct, 黄牌 from 21 Oct.
    letter = make_letter(board, county_time(datetime.date(2025, 9, 29)))
    assert run(letters.letter_overdue, datetime.date(2025, 10, 13)) == []
    warning = run(letters.letter_overdue, datetime.date(2025, 10, 14))
    assert [(f.kind, f.severity) for f in warning] == [("letter_overdue", "warning")]
    assert letter.receipt_number in warning[0].detail and "预警" in warning[0].detail
    assert warning[0].unit == county_office.organisation_code
    assert warning[0].object.endswith(f"/{letter.pk}/")
    assert [f.severity for f in run(letters.letter_overdue, datetime.date(2025, 10, 20))] == ["warning"]
    yellow = run(letters.letter_overdue, datetime.date(2025, 10, 21))
    assert yellow[0].severity == "finding" and "黄牌" in yellow[0].detail and "2025-10-20" in yellow[0].detail
    red = run(letters.letter_overdue, datetime.date(2025, 11, 4))
    assert red[0].severity == "finding" and "红牌" in red[0].detail
    assert run(letters.letter_overdue, datetime.date(2025, 11, 4), township_a.organisation_code) == []


def test_three_months_unanswered_is_a_veto(board, county_office):
    make_letter(board, county_time(datetime.date(2026, 1, 15)))
    assert run(letters.letter_severely_overdue, datetime.date(2026, 4, 15)) == []
    found = run(letters.letter_severely_overdue, datetime.date(2026, 4, 16))
    assert [(f.kind, f.severity) for f in found] == [("letter_veto", "veto")]
    assert "2026-01-15" in found[0].detail and "至 2026-04-16 仍未答复" in found[0].detail


def test_a_late_answer_counts_for_a_year_after_it(board):
    make_letter(
        board,
        county_time(datetime.date(2025, 1, 10)),
        status=LetterStatus.CLOSED,
        replied_at=county_time(datetime.date(2025, 5, 20)),
    )
    make_letter(
        board,
        county_time(datetime.date(2025, 2, 10)),
        status=LetterStatus.CLOSED,
        replied_at=county_time(datetime.date(2025, 5, 10)),
    )
    found = run(letters.letter_severely_overdue, datetime.date(2026, 5, 20))
    assert len(found) == 1 and "2025-05-20 才答复" in found[0].detail
    assert run(letters.letter_severely_overdue, datetime.date(2026, 5, 21)) == []


def test_only_valid_consultations_count(board, county_office):
    old = county_time(datetime.date(2026, 1, 5))
    make_letter(board, old, letter_type="complaint")
    make_letter(board, old, status=LetterStatus.REFUSED, refusal_reason="petition")
    make_letter(board, old, status=LetterStatus.REFUSED, refusal_reason="discipline")
    assert run(letters.letter_severely_overdue, datetime.date(2026, 6, 1)) == []


def test_no_working_board_is_a_veto_on_the_portal(board):
    assert run(letters.letter_channel, datetime.date(2026, 6, 1)) == []
    board.get_parent().specific.unpublish()
    found = run(letters.letter_channel, datetime.date(2026, 6, 1))
    assert [(f.kind, f.severity, f.unit) for f in found] == [("letter_veto", "veto", "")]
    assert found[0].object.endswith("/")
    board.get_parent().specific.save_revision().publish()
    board.refresh_from_db()
    board.unpublish()
    assert len(run(letters.letter_channel, datetime.date(2026, 6, 1))) == 1


def test_letters_answered_late_this_quarter(board):
    # Received 29 Sep 2025, due 20 Oct: answered 21 Oct is 黄牌, answered 20 Oct on time; counted for three months.
    late = make_letter(
        board,
        county_time(datetime.date(2025, 9, 29)),
        status=LetterStatus.CLOSED,
        replied_at=county_time(datetime.date(2025, 10, 21)),
    )
    make_letter(
        board,
        county_time(datetime.date(2025, 9, 29)),
        status=LetterStatus.CLOSED,
        replied_at=county_time(datetime.date(2025, 10, 20)),
    )
    found = run(letters.letter_overdue, datetime.date(2026, 1, 20))
    assert [(f.object, f.severity) for f in found] == [(letters.letter_url(late), "finding")]
    assert "2025-10-21 才答复" in found[0].detail and "黄牌" in found[0].detail
    assert run(letters.letter_overdue, datetime.date(2026, 1, 21)) == []
