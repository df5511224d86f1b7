"""Signing in as a reviewer in headless Chromium: the authenticator is bound at the first login, the
recovery codes are shown once, the next login asks for a code, and five wrong passwords lock the account.

Screenshots: var/e2e-screenshots/otp-enrol.png, otp-recovery-codes.png, otp-verify.png, lockout.png,
account-security.png.
"""

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django_otp.oath import totp

from cms.security.models import AuditEntry
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in, submit_password

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e

REVIEWER = "sy_head"  # 石羊镇主要负责人 in the demo county

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking(results):
    return [v["id"] for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def test_reviewer_binds_an_authenticator_then_signs_in_with_a_code(page, screenshot_dir, run_axe):
    submit_password(page, REVIEWER, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/login/enrol/$"))
    expect(page.locator("[data-otp-qr]")).to_be_visible()
    page.screenshot(path=screenshot_dir / "otp-enrol.png", full_page=True)
    assert blocking(run_axe(page)) == []

    page.fill("input[name=token]", "000000")
    with page.expect_navigation():
        page.click("form[data-otp-enrol] button[type=submit]")
    expect(page.locator(".error-message, .help-critical, .w-field__errors").first).to_contain_text("验证码不正确")

    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    # The wrong code above makes django-otp refuse the next try for a second.
    page.wait_for_timeout(1100)
    page.fill("input[name=token]", f"{totp(key):06d}")
    with page.expect_navigation():
        page.click("form[data-otp-enrol] button[type=submit]")
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=screenshot_dir / "otp-recovery-codes.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/security/account/")
    expect(page.locator('[data-otp-status="on"]')).to_contain_text("剩余恢复码 10 个")
    page.screenshot(path=screenshot_dir / "account-security.png", full_page=True)

    submit_password(page, REVIEWER, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/login/verify/$"))
    page.screenshot(path=screenshot_dir / "otp-verify.png", full_page=True)
    assert blocking(run_axe(page)) == []
    page.fill("input[name=token]", codes[0])
    with page.expect_navigation():
        page.click("form[data-otp-verify] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages")).to_contain_text("还剩 9 个")


def test_five_wrong_passwords_lock_the_account(page, screenshot_dir):
    for _attempt in range(5):
        submit_password(page, "sy_info_officer", "Wrong-Password-1")
    submit_password(page, "sy_info_officer", DEMO_PASSWORD)
    expect(page.locator("[data-lockout]")).to_contain_text("连续 5 次登录失败")
    page.screenshot(path=screenshot_dir / "lockout.png", full_page=True)
    assert AuditEntry.objects.filter(action="lockout", username="sy_info_officer").exists()

    # The browser's address is locked too; the administrator works from another machine.
    AccessAttempt.objects.filter(username="sy_info_officer").update(ip_address="192.0.2.10")
    axes_reset(ip="127.0.0.1")
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/security/login-protection/")
    row = page.locator("[data-locked-users] tr", has_text="sy_info_officer")
    expect(row).to_be_visible()
    page.screenshot(path=screenshot_dir / "login-protection.png", full_page=True)
    with page.expect_navigation():
        row.get_by_role("button", name="解锁").click()
    expect(page.locator(".messages")).to_contain_text("解除账号 sy_info_officer 的锁定")
    submit_password(page, "sy_info_officer", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_second_sign_in_asks_for_a_fresh_code(page):
    admin_log_in(page, "sy_deputy_head", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    admin_log_in(page, "sy_deputy_head", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))
