"""The static mirror (`export_static`) opened from disk over file://, as a visitor would use it without a server.

The export runs before the browser starts (see the conftest on ORM calls while Playwright runs).
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from site_pages.mirror.export import export_static
from tests.e2e.conftest import VIEWPORT, RequestLog

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


@pytest.fixture
def mirror(demo_site, tmp_path):
    directory = tmp_path / "mirror"
    export_static(directory)
    return directory


def _real_failures(failed):
    """A load the browser gave up on because the page moved on (the favicon, mostly) is net::ERR_ABORTED; a file
    missing from the mirror is net::ERR_FILE_NOT_FOUND. An aborted load counts only if its file is missing too."""
    real = []
    for entry in failed:
        reason, url = entry.split(" ", 1)
        if not (reason == "net::ERR_ABORTED" and Path(unquote(urlparse(url).path)).is_file()):
            real.append(entry)
    return real


def test_the_mirror_opens_from_disk_with_its_styles_pictures_and_links(mirror, browser, screenshot_dir):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    log = RequestLog()
    context.on("request", log.on_request)
    context.on("requestfailed", log.on_request_failed)
    page = context.new_page()
    page.goto((mirror / "index.html").as_uri())
    expect(page.locator(".site-name")).to_have_text("安岳县人民政府")
    # The stylesheet applied (the header is coloured) and every picture loaded.
    assert page.eval_on_selector(".site-header", "el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.eval_on_selector_all("img", "imgs => imgs.filter((img) => !img.naturalWidth).length") == 0
    page.screenshot(path=screenshot_dir / "mirror-home.png", full_page=True)

    page.locator('nav[aria-label="主导航"] a', has_text="政府信息公开").click()
    assert page.url.endswith("/zfxxgk/index.html")
    expect(page.locator("h1")).to_have_text("政府信息公开")
    page.go_back()
    page.locator("a", has_text="县政府召开第六十二次常务会议").first.click()
    expect(page.locator("h1")).to_have_text("县政府召开第六十二次常务会议")
    page.screenshot(path=screenshot_dir / "mirror-article.png", full_page=True)

    page.fill("#site-search", "柠檬")
    page.locator(".search-form button").click()
    assert "/_mirror/unavailable.html" in page.url
    expect(page.locator("h1")).to_have_text("镜像站点不提供此项服务")
    assert _real_failures(log.failed) == []
    assert all(url.startswith(mirror.as_uri()) for url in log.urls), [u for u in log.urls if "mirror" not in u]
    context.close()
