"""留言统计 and 民意分析 in a real browser: the public statistics page passes the Nu HTML Checker and axe-core
with its SVG charts drawn; the supervisor opens both admin reports from the 互动交流 menu group.
Screenshots land in /tmp for a human to look at."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from cms.organisation.models import Unit, UnitKind
from site_pages.models import ColumnPage
from site_pages.models.base import add_months
from tests.e2e.helpers import admin_log_in
from tests.e2e.test_smoke import BLOCKING_IMPACTS, format_violations
from tests.e2e.vnu import validate
from tests.factories import PASSWORD, member
from tests.site_pages.letter_reports_support import letter
from tests.site_pages.letters_support import make_board

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp")
TOPICS = [("路灯坏了", "小区路灯坏了很久，晚上出行不便。"), ("广场舞噪音扰民", "广场舞噪音扰民，晚上十点还在放音乐。")]


def build_letters():
    unit = Unit.objects.filter(kind=UnitKind.TOWNSHIP).order_by("pk").first()
    board = make_board(unit, parent=ColumnPage.objects.get(slug="hdjl"), title="统计测试信箱")
    this_month = timezone.localdate().replace(day=1)
    for months_back, count in ((2, 2), (1, 3), (0, 4)):
        month = add_months(this_month, -months_back)
        for n in range(count):
            subject, content = TOPICS[1] if months_back == 0 and n else TOPICS[0]
            submitted = month + datetime.timedelta(days=n)
            replied = submitted + datetime.timedelta(days=3) if months_back else None
            letter(board, submitted, unit=unit, replied=replied, subject=subject, content=content, satisfaction="")
    return board


def test_public_statistics_page_is_valid_and_accessible(page, demo_site, run_axe):
    board = build_letters()
    url = board.url + "statistics/"
    response = page.goto(url)
    assert response.status == 200
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 2
    assert charts.first.get_attribute("aria-labelledby")
    blocking = [v for v in run_axe(page)["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(blocking)
    page.screenshot(path=SHOTS / "letter-statistics-public.png", full_page=True)
    assert validate({url: response.text()}) == {}


def test_supervisor_opens_both_reports(page, demo_site):
    build_letters()
    supervisor = member(Unit.objects.get(kind=UnitKind.SUPERVISOR), username="e2e_tongji", email="tj@example.invalid")
    admin_log_in(page, supervisor.username, PASSWORD)
    page.goto("/admin/")
    page.get_by_role("button", name="互动交流").click()
    page.get_by_role("link", name="留言统计").click()
    page.wait_for_url("**/admin/letter-statistics/")
    assert page.locator("svg.chart[role=img]").count() == 2
    page.screenshot(path=SHOTS / "letter-statistics-admin.png", full_page=True)
    page.goto("/admin/letter-analysis/")
    assert page.locator("svg.chart[role=img]").count() == 4
    assert page.get_by_text("噪音").count() >= 1
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.screenshot(path=SHOTS / "letter-analysis-admin.png")
