"""留言办理 in headless Chromium: the listing with the clock, a letter's page, the audited contact view and
accepting the letter.

Screenshots: var/e2e-screenshots/letters-admin-list.png, letters-admin-detail.png, letters-admin-contact.png.
"""

from datetime import date

import pytest

from cms.organisation.models import Unit
from site_pages.demo.structure import DEMO_PASSWORD
from site_pages.models import ColumnPage
from tests.e2e.helpers import admin_log_in
from tests.site_pages.letters_support import county_time, make_board, make_letter

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


def test_letter_listing_detail_and_contact(page, screenshot_dir):
    office = Unit.objects.filter(kind="supervisor").order_by("pk").first()
    board = make_board(office, ColumnPage.objects.live().order_by("path").first())
    letter = make_letter(board, county_time(date(2025, 9, 29)), subject="<script>alert(1)</script>村道维修")
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/letters/?status=all")
    row = page.locator(f"tr[data-letter='{letter.receipt_number}']")
    expect(row).to_contain_text("红牌")
    expect(row).to_contain_text("严重超期")
    expect(row).to_contain_text("2025-10-20")
    page.screenshot(path=screenshot_dir / "letters-admin-list.png", full_page=True)

    row.locator("a").click()
    expect(page.locator("[data-letter-content]")).to_contain_text("<script>alert(1)</script>村道维修")
    expect(page.locator("[data-contact]")).not_to_contain_text("13900001111")
    page.screenshot(path=screenshot_dir / "letters-admin-detail.png", full_page=True)

    page.locator("[data-view-contact]").click()
    expect(page.locator("[data-contact]")).to_contain_text("13900001111")
    expect(page.locator("[data-events]")).to_contain_text("查看联系方式")
    page.screenshot(path=screenshot_dir / "letters-admin-contact.png", full_page=True)

    page.locator("form[data-action=accept] button[type=submit]").click()
    expect(page.locator("[data-status]")).to_contain_text("已受理")
