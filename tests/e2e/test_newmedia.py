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
from tests.e2e.vnu import validate

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


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


def test_visitor_checks_the_directory_and_reports_a_fake_account(page, run_axe, screenshot_dir):
    """Screenshots: var/e2e-screenshots/newmedia-directory.png, newmedia-directory-phone.png,
    newmedia-report-errors.png, newmedia-report-receipt.png, newmedia-fake-reports.png."""
    page.goto("/hdjl/zwxmt/")
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("政务新媒体矩阵")
    expect(main).to_contain_text("安岳发布")
    expect(main).to_contain_text("健康安岳")
    # In its notice period: listed with the notice; not yet approved or deregistered: not listed.
    closing = page.locator(".newmedia-account", has_text="周礼镇人民政府")
    expect(closing.locator(".closure-notice")).to_contain_text("关停公示中")
    expect(main).not_to_contain_text("安岳教体")
    expect(main).not_to_contain_text("岳阳街道")
    first_qr = page.locator(".newmedia-account img").first
    expect(first_qr).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", first_qr.element_handle())
    assert not [v for v in run_axe(page)["violations"] if v["impact"] in ("serious", "critical")]
    page.screenshot(path=screenshot_dir / "newmedia-directory.png", full_page=True)
    # On a phone the cards stack in one column and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "newmedia-directory-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="发现假冒政务新媒体账号？请举报").click()
    expect(page.locator("h1")).to_have_text("假冒政务新媒体账号举报")
    page.click("button[type=submit]:has-text('提交举报')")
    summary = page.locator(".form-error-summary")
    expect(summary).to_contain_text("请选择假冒账号所在的平台。")
    expect(summary).to_contain_text("请填写举报内容。")
    page.screenshot(path=screenshot_dir / "newmedia-report-errors.png", full_page=True)

    page.select_option("#id_platform", label="抖音")
    page.fill("#id_account", "安岳县政府官方号")
    page.fill("#id_description", "该账号用县政府名义发布收费办证信息，与政务新媒体矩阵中的账号不符。")
    page.fill("#id_contact", "13800001234")
    question = page.locator('label[for="id_captcha"]').text_content()
    a, b = map(int, re.search(r"(\d+)\s*加\s*(\d+)", question).groups())
    page.fill("#id_captcha", str(a + b))
    page.click("button[type=submit]:has-text('提交举报')")
    expect(page.locator("h1")).to_have_text("举报已收到")
    number = page.locator(".receipt-number").text_content().strip()
    assert number.startswith("JB")
    page.screenshot(path=screenshot_dir / "newmedia-report-receipt.png", full_page=True)
    # Fetched after the report: each fetch of the form asks a new captcha question.
    documents = {url: page.request.get(url).text() for url in ("/hdjl/zwxmt/", "/hdjl/zwxmt/report/")}
    assert validate(documents) == {}

    admin_log_in(page, "wxb_info_officer", DEMO_PASSWORD)
    page.goto("/admin/newmedia/fake-reports/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("main")).to_contain_text("13800001234")
    page.fill("#id_comment", "经核实，本县未开设该账号。")
    page.get_by_role("button", name="记录“核实”").click()
    expect(page.locator("main")).to_contain_text("下一环节：处置")
    expect(page.locator("main table")).to_contain_text("经核实，本县未开设该账号。")
    page.screenshot(path=screenshot_dir / "newmedia-fake-reports.png", full_page=True)
