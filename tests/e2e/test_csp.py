"""The Content-Security-Policies in a real browser: the public site renders with no violation under its strict
policy (no 'unsafe-inline'), and the Wagtail admin (dashboard, Draftail editor, preview, workflow modal) works
under the admin's own policy.

Violations are caught both as `securitypolicyviolation` events (recorded by an init script, which the
DevTools protocol injects outside the page's policy) and as console errors. A failure lists each one with
the page it happened on, so whoever owns the template can fix it.

Run: E2E_REQUIRED=1 .venv/bin/pytest -q tests/e2e/test_csp.py   (screenshots: var/e2e-screenshots/csp-*.png)
"""

import io
import re

import pytest
from django.core.management import call_command

from site_pages.models import ColumnPage
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

# On a copy of the demo county that the live server shares (conftest.py's demo_site).
pytestmark = pytest.mark.e2e

PASSWORD = "Anyue@2026demo"  # seed_demo's published demo password
COLUMN_URL = "/xwdt/ayyw/"
POLICY_URL = "/zcwj/xzfbwj/website-newmedia-regulation/"
# Public pages of the other chapters: their violations are listed here too.
OTHER_PUBLIC_URLS = ["/zfxxgk/", "/yxsqgk/", "/yxsqgk/status/"]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`
  + (e.sample ? ` (${e.sample.slice(0, 60)})` : "")), true);
"""


class ViolationLog:
    def __init__(self, page):
        self.page = page
        self.found = []
        page.on("console", self.on_console)

    def on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: console: {message.text[:200]}")

    def collect(self):
        """Adds the current document's recorded events (call before leaving a page)."""
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{self.page.url}: {violation}")

    def assert_none(self):
        self.collect()
        assert not self.found, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(self.found))


@pytest.fixture
def violations(page):
    page.context.add_init_script(RECORD_VIOLATIONS)
    return ViolationLog(page)


@pytest.fixture
def review_demo(demo_site):
    """An item waiting at 二审 for 石羊镇's deputy head (seeded before the browser starts: see conftest.py)."""
    call_command("seed_review_demo", stdout=io.StringIO())


def visit(page, violations, url, status=200):
    violations.collect()
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
    return response


def log_in(page, violations, username):
    violations.collect()
    admin_log_in(page, username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_public_pages_render_without_csp_violations(page, violations, demo_site, screenshot_dir):
    response = visit(page, violations, "/")
    policy = response.header_value("content-security-policy")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.screenshot(path=screenshot_dir / "csp-home.png", full_page=True)

    visit(page, violations, COLUMN_URL)
    article = page.locator("main .article-list li a").first
    href = article.get_attribute("href")
    visit(page, violations, href)
    page.screenshot(path=screenshot_dir / "csp-article.png", full_page=True)
    visit(page, violations, POLICY_URL)
    visit(page, violations, "/search/?q=安岳")
    expect(page.locator("main")).to_contain_text("安岳")
    visit(page, violations, "/no-such-page/", status=404)
    page.screenshot(path=screenshot_dir / "csp-404.png")

    visit(page, violations, "/")
    violations.collect()
    page.get_by_role("link", name="大字版（适老化）").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    page.screenshot(path=screenshot_dir / "csp-large-text.png")
    page.get_by_role("link", name="标准字号").click()
    expect(page.locator("html")).not_to_have_class(re.compile("large-text"))

    for url in OTHER_PUBLIC_URLS:
        visit(page, violations, url)
    violations.assert_none()


def test_public_policy_is_enforced(page, violations, demo_site):
    """The browser really refuses an injected inline script (what a tampered page would carry)."""
    visit(page, violations, "/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__injected = true;"; document.head.appendChild(s); }"""
    )
    assert page.evaluate("window.__injected === undefined")
    recorded = page.evaluate("window.__cspViolations")
    assert any(v.startswith("script-src") for v in recorded), recorded


# review_demo before page: the data is seeded before Playwright starts (see conftest.py).
def test_admin_works_under_the_admin_policy(review_demo, page, violations, demo_site, screenshot_dir):
    column = ColumnPage.objects.get(slug="sy")

    # Draftail editor and its live preview (the preview is a public page under the public policy).
    log_in(page, violations, "sy_info_officer")
    response = visit(page, violations, f"/admin/pages/add/site_pages/articlepage/{column.pk}/")
    assert "script-src 'self' 'unsafe-inline'" in response.header_value("content-security-policy")
    page.fill("#id_title", "内容安全策略测试稿件")
    # A new page's body already holds one paragraph block, ready to type in.
    page.locator("#body-root .public-DraftEditor-content").click()
    page.keyboard.type("石羊镇便民服务中心新设服务窗口。")
    page.keyboard.press("Control+b")
    page.keyboard.type("加粗")
    expect(page.locator("#body-0-value")).to_have_value(re.compile("便民服务"))
    expect(page.locator("#body-root strong, #body-root [style*=bold]").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "csp-editor.png")
    page.get_by_role("button", name=re.compile("预览")).first.click()
    frame = page.frame_locator("iframe[title]").first
    expect(frame.locator("h1")).to_have_text("内容安全策略测试稿件")
    page.screenshot(path=screenshot_dir / "csp-editor-preview.png")

    # Dashboard and the workflow modal (with its checklist) of the deputy head.
    log_in(page, violations, "sy_deputy_head")
    expect(page.locator("#awaiting-review-section")).to_be_visible()
    page.screenshot(path=screenshot_dir / "csp-dashboard.png")
    row = page.locator("#awaiting-review-section tr", has_text="柠檬产业")
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="通过", exact=True).click()
    modal = page.locator(".modal-body")
    expect(modal.locator("form")).to_be_visible()
    expect(modal.locator("input[type=checkbox][name=checked]").first).to_be_visible()
    # The modal fades in; a screenshot taken earlier shows the dashboard through it.
    expect(page.locator(".modal").first).to_have_css("opacity", "1")
    page.screenshot(path=screenshot_dir / "csp-workflow-modal.png")
    violations.assert_none()
