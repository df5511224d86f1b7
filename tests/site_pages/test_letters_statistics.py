"""留言统计: figures per unit and month recomputed here from the letters built, across 国庆 2025; the admin
view's unit scope and filters, its xlsx export read back, and the public page with its charts."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from site_pages.letters import statistics
from tests.factories import UserFactory, log_in, member

from .letter_reports_support import letter, make_board, working_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

SEP, OCT = datetime.date(2025, 9, 1), datetime.date(2025, 10, 1)
TODAY = datetime.date(2025, 12, 1)
# (unit, submitted, replied, status, refusal reason, satisfaction); unit None = not transferred (board's unit a)
LETTERS = [
    ("a", datetime.date(2025, 9, 26), datetime.date(2025, 10, 9), "closed", "", "basically"),
    ("a", datetime.date(2025, 9, 1), datetime.date(2025, 9, 26), "closed", "", "unsatisfied"),
    ("a", datetime.date(2025, 9, 10), None, "refused", "petition", ""),
    ("b", datetime.date(2025, 9, 15), None, "refused", "duplicate", ""),
    ("b", datetime.date(2025, 10, 9), datetime.date(2025, 10, 10), "closed", "", "satisfied"),
    ("b", datetime.date(2025, 10, 13), None, "in_progress", "", ""),
    (None, datetime.date(2025, 10, 20), datetime.date(2025, 10, 22), "closed", "", "satisfied"),
    ("b", datetime.date(2025, 11, 3), datetime.date(2025, 11, 4), "closed", "", "satisfied"),  # outside Sep-Oct
]
DEADLINE = 10  # the board's default 答复时限


@pytest.fixture
def built(home, township_a, township_b):
    board = make_board(home, township_a)
    units = {"a": township_a, "b": township_b, None: None}
    for unit, submitted, replied, status, reason, rating in LETTERS:
        letter(
            board,
            submitted,
            unit=units[unit],
            replied=replied,
            status=status,
            refusal_reason=reason,
            satisfaction=rating,
        )
    return board


def expected(unit_key, month, today=TODAY):
    """The figures of one unit and month, worked out from LETTERS alone."""
    rows = [row for row in LETTERS if (row[0] or "a") == unit_key and row[1].replace(day=1) == month]
    clocked = [row for row in rows if row[3] != "refused"]
    replied = [row for row in clocked if row[2]]
    days = [working_days(row[1], row[2]) for row in replied]
    late_open = [row for row in clocked if not row[2] and working_days(row[1], today) > DEADLINE]
    ratings = [row[5] for row in clocked if row[5]]
    return {
        "received": len([row for row in rows if row[4] not in ("petition", "discipline")]),
        "refused": len(rows) - len(clocked),
        "refused_exempt": len([row for row in rows if row[4] == "petition"]),
        "replied": len(replied),
        "on_time": len([d for d in days if d <= DEADLINE]),
        "overdue": len([d for d in days if d > DEADLINE]) + len(late_open),
        "open": len(clocked) - len(replied),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "satisfied": ratings.count("satisfied"),
        "basically": ratings.count("basically"),
        "unsatisfied": ratings.count("unsatisfied"),
        "satisfaction_rate": (
            round(100 * (ratings.count("satisfied") + ratings.count("basically")) / len(ratings), 1)
            if ratings
            else None
        ),
    }


def test_holiday_letter_is_on_time_and_the_long_one_overdue():
    # Received Friday 26 Sep, answered 9 Oct: 13 calendar days, but 国庆 leaves four working days.
    assert working_days(datetime.date(2025, 9, 26), datetime.date(2025, 10, 9)) == 4
    assert working_days(datetime.date(2025, 9, 1), datetime.date(2025, 9, 26)) == 19


def test_figures_per_unit_and_month_match_the_letters(built, township_a, township_b):
    stats = statistics.compute(SEP, OCT, today=TODAY)
    assert stats.months == [SEP, OCT]
    assert [row.unit for row in stats.units] == sorted([township_a, township_b], key=lambda unit: unit.name)
    by_unit = {row.unit.pk: row for row in stats.units}
    for key, unit in (("a", township_a), ("b", township_b)):
        for month in (SEP, OCT):
            figures = by_unit[unit.pk].months[month]
            assert {name: getattr(figures, name) for name in expected(key, month)} == expected(key, month)
    a_sep = by_unit[township_a.pk].months[SEP]
    assert (a_sep.received, a_sep.refused, a_sep.refused_exempt, a_sep.on_time, a_sep.overdue) == (2, 1, 1, 1, 1)
    assert stats.total.received == 6 and stats.total.refused == 2 and stats.total.replied == 4
    assert stats.total.satisfaction_rate == 75.0


def test_unit_scope_counts_only_that_unit(built, township_a, township_b):
    stats = statistics.compute(SEP, OCT, unit_ids={township_b.pk}, today=TODAY)
    assert [row.unit for row in stats.units] == [township_b]
    assert stats.total.received == expected("b", SEP)["received"] + expected("b", OCT)["received"]


def test_who_sees_which_units(township_a, county_office, admin_user):
    assert statistics.visible_unit_ids(member(county_office)) is None
    assert statistics.visible_unit_ids(admin_user) is None
    assert statistics.visible_unit_ids(member(township_a)) == {township_a.pk}


ADMIN_URL = "/admin/letter-statistics/"


def test_supervisor_sees_every_unit_with_charts_and_no_personal_data(client, built, county_office, township_b):
    log_in(client, member(county_office))
    response = client.get(ADMIN_URL, {"start": "2025-09", "end": "2025-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert township_b.name in page and built.default_unit.name in page
    assert page.count('role="img"') == 2 and "各单位收到留言" in page
    assert "王小明" not in page and "13900001111" not in page


def test_unit_sees_its_own_row_and_is_refused_another_unit(client, built, township_a, township_b):
    log_in(client, member(township_a))
    page = client.get(ADMIN_URL, {"start": "2025-09", "end": "2025-10"}).content.decode()
    assert township_a.name in page and township_b.name not in page
    # The admin turns PermissionDenied into a redirect to the dashboard with an error message.
    for extra in ({}, {"format": "xlsx"}):
        refused = client.get(ADMIN_URL, {"start": "2025-09", "end": "2025-10", "unit": township_b.pk, **extra})
        assert (refused.status_code, refused.url) == (302, "/admin/")


def test_staff_without_a_unit_cannot_open_the_report(client, built):
    log_in(client, UserFactory(is_staff=True))
    refused = client.get(ADMIN_URL)
    assert refused.status_code == 302 and refused.url.startswith(("/admin/login/", "/admin/?"))


def test_bad_months_get_chinese_errors(client, built, county_office):
    log_in(client, member(county_office))
    page = client.get(ADMIN_URL, {"start": "2025-13", "end": "2025-10"}).content.decode()
    assert "请按“年-月”填写月份" in page
    page = client.get(ADMIN_URL, {"start": "2025-10", "end": "2025-09"}).content.decode()
    assert "起始月份不能晚于截止月份" in page
    page = client.get(ADMIN_URL, {"start": "2020-01", "end": "2025-10"}).content.decode()
    assert "一次最多统计36个月" in page


def test_xlsx_export_reads_back(client, built, county_office, township_a, township_b):
    log_in(client, member(county_office))
    response = client.get(ADMIN_URL, {"start": "2025-09", "end": "2025-10", "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="letter-statistics-2025-09-2025-10.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按单位和月份", "按单位汇总"]
    detail = list(workbook["按单位和月份"].iter_rows(values_only=True))
    headings = detail[1]
    rows = {(row[0], row[1]): dict(zip(headings, row, strict=True)) for row in detail[2:]}
    assert len(rows) == 4
    a_sep = rows[township_a.name, "2025-09"]
    figures = expected("a", SEP)
    assert (a_sep["收到留言"], a_sep["不予受理"], a_sep["其中信访、纪检"]) == (
        figures["received"],
        figures["refused"],
        figures["refused_exempt"],
    )
    assert a_sep["平均答复用时（工作日）"] == figures["average_days"]
    summary = list(workbook["按单位汇总"].iter_rows(values_only=True))
    assert summary[-1][0] == "合计" and summary[-1][1] == 6
    cells = " ".join(str(value) for row in detail + summary for value in row)
    assert "王小明" not in cells and "13900001111" not in cells


def test_public_statistics_page(client, home, township_a):
    board = make_board(home, township_a)
    today = timezone.localdate()
    letter(board, today, replied=today, satisfaction="satisfied", name="李秘密")
    letter(board, today, status="refused", refusal_reason="discipline")
    response = client.get(board.url + "statistics/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="img"') == 2 and "每月收到和答复留言" in page
    assert township_a.name in page and "满意率" in page
    assert "李秘密" not in page and "13900001111" not in page
