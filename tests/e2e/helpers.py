"""Helpers shared by the browser tests."""

import time
from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def submit_password(page, username, password):
    """The first step of the admin's login, from a browser without cookies.

    Leaving the previous page first stops its requests in flight: a response arriving after the cookies
    were cleared would otherwise set the previous user's session cookie again.
    """
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def admin_log_in(page, username, password):
    """Signs in through the admin's real login, including the two-factor step reviewers must pass.

    A first sign-in enrols: the secret key shown on the page goes into a TOTP calculation like an
    authenticator app's, and the recovery-code page is acknowledged. A later sign-in computes the code
    from the enrolled device, one time step past the last one used (django-otp refuses a replayed code).
    Returns the recovery codes when this sign-in enrolled, else None.
    """
    submit_password(page, username, password)
    codes = None
    if page.url.endswith("/admin/login/enrol/"):
        secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("input[name=token]", f"{totp(key):06d}")
        with page.expect_navigation():
            page.click("form[data-otp-enrol] button[type=submit]")
        codes = page.locator("[data-recovery-codes] code").all_inner_texts()
        with page.expect_navigation():
            page.get_by_role("link", name="我已保存，继续").click()
    elif page.url.endswith("/admin/login/verify/"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        now_step = int(time.time()) // device.step
        drift = max(0, (device.last_t or -1) + 1 - now_step)
        page.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, drift=drift):06d}")
        with page.expect_navigation():
            page.click("form[data-otp-verify] button[type=submit]")
    return codes
