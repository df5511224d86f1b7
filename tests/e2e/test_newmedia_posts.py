"""Newmedia posts and update monitoring in headless Chromium, on the demo data.

Screenshots: var/e2e-screenshots/newmedia-monitoring-home.png, newmedia-monitoring-registry.png,
newmedia-posts.png, newmedia-posts-import-errors.png.
"""

import pytest
from django.utils import timezone

from newmedia.models import NewMediaPost
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


def days_without_a_post(account_name):
    """Calendar days in the county since the account's newest demo post: as seeded, unless the county's date has
    turned since the demo county was seeded (once per run, a minute before this test may start)."""
    newest = NewMediaPost.objects.filter(account__name=account_name).order_by("-published_at")[0].published_at
    return (timezone.localdate() - timezone.localdate(newest)).days


def test_stale_and_warning_accounts_show_on_the_home_and_in_the_registry(page, screenshot_dir):
    stale, warning = days_without_a_post("龙台镇政务"), days_without_a_post("健康安岳")
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/")
    panel = page.locator("section[aria-labelledby=newmedia-staleness-heading]")
    expect(panel).to_contain_text("龙台镇政务")
    expect(panel).to_contain_text(f"超期未更新（{stale} 天未更新）")
    expect(panel).to_contain_text(f"即将超期未更新（{warning} 天未更新）")
    panel.screenshot(path=screenshot_dir / "newmedia-monitoring-home.png")
    page.goto("/admin/newmedia_accounts/")
    expect(page.locator("main table")).to_contain_text(f"{stale} 天未更新")
    page.screenshot(path=screenshot_dir / "newmedia-monitoring-registry.png", full_page=True)


def test_posts_listing_and_a_refused_import(page, screenshot_dir, tmp_path):
    admin_log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/newmedia/posts/")
    expect(page.locator("main table")).to_contain_text("石羊镇开展冬季森林防火宣传")
    page.screenshot(path=screenshot_dir / "newmedia-posts.png", full_page=True)
    page.goto("/admin/newmedia/posts/import/")
    upload = tmp_path / "posts.csv"
    upload.write_text("账号,标题,链接,发布时间\n健康安岳,冬季健康提示,https://v.example.cn/1,下周\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(upload)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_contain_text("第 2 行")
    page.screenshot(path=screenshot_dir / "newmedia-posts-import-errors.png", full_page=True)
