"""The new-media registry in headless Chromium, after a hand-over marked an account for 口令更换.

Screenshot: var/e2e-screenshots/newmedia-registry.png.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from cms.security.handover import hand_over
from newmedia.models import NewMediaAccount
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_registry_shows_accounts_needing_a_password_change(page, screenshot_dir):
    users = get_user_model().objects
    hand_over(users.get(username="sy_info_officer"), users.get(username="sy_typesetter"), reason="调任")
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/newmedia_accounts/")
    expect(page.locator("main table")).to_contain_text("石羊镇人民政府")
    expect(page.locator("main table")).to_contain_text("健康安岳")
    page.screenshot(path=screenshot_dir / "newmedia-registry.png", full_page=True)
    page.goto("/admin/newmedia_accounts/?password_change_required=true")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(re.compile("石羊镇人民政府"))


def test_activation_before_approval_is_refused_and_filings_reach_the_inbox(page, screenshot_dir):
    """Screenshots: var/e2e-screenshots/newmedia-refusal.png, newmedia-account.png, newmedia-filings.png."""
    account = NewMediaAccount.objects.get(name="安岳教体")
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto(f"/admin/newmedia_accounts/inspect/{account.pk}/")
    expect(page.locator("main")).to_contain_text("开设申请")
    page.get_by_role("link", name="登记开通").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("严禁先开设账号后报批")
    page.screenshot(path=screenshot_dir / "newmedia-refusal.png", full_page=True)
    page.goto(f"/admin/newmedia_accounts/inspect/{NewMediaAccount.objects.get(name='安岳发改').pk}/")
    expect(page.locator("main")).to_contain_text("应予强制关停")
    page.screenshot(path=screenshot_dir / "newmedia-account.png", full_page=True)
    page.goto("/admin/newmedia/filings/")
    expect(page.locator("main")).to_contain_text("周礼镇人民政府")
    page.screenshot(path=screenshot_dir / "newmedia-filings.png", full_page=True)
