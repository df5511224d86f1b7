"""Browser smoke tests of the public portal on the seeded demo county (headless Chromium, no internet).

Run: .venv/bin/pytest -q tests/e2e   (E2E_REQUIRED=1 turns a missing browser into a failure).
Full-page screenshots land in var/e2e-screenshots/ for a human to look at.
"""

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = PlaywrightError = None

# On a copy of the demo county that the live server shares (conftest.py's demo_site).
pytestmark = pytest.mark.e2e

SITE_NAME = "安岳县人民政府"
COLUMN_URL = "/xwdt/ayyw/"
COLUMN_TITLE = "安岳要闻"
POLICY_URL = "/zcwj/xzfbwj/website-newmedia-regulation/"
POLICY_TITLE = "安岳县政府网站和政府系统政务新媒体管理办法"
SEARCH_URL = "/search/?q=安岳"
NAV = 'nav[aria-label="主导航"]'
BLOCKING_IMPACTS = {"serious", "critical"}

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    className: typeof el.className === "string" ? el.className : "",
    text: (el.innerText || el.value || "").trim(),
    href: el.getAttribute("href"),
    inMainNav: !!el.closest('nav[aria-label="主导航"]'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    box: {x: box.x, y: box.y, width: box.width, height: box.height},
  };
}"""

BROKEN_IMAGES = "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"


def open_page(page, url, *, heading=None):
    """Loads url, checks the status, the language and the single <h1>; returns the h1 text."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == "zh-CN", url
    h1 = page.locator("h1")
    expect(h1).to_have_count(1)
    text = h1.text_content().strip()
    if heading is not None:
        assert text == heading, f"{url}: <h1> is {text!r}, expected {heading!r}"
    return text


def first_listed_article(page):
    """(title, href) of the first entry in the current column page's listing."""
    link = page.locator("main .article-list li a").first
    expect(link).to_be_visible()
    return link.text_content().strip(), link.get_attribute("href")


def has_visible_focus_indicator(focused):
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
    shadow = focused["boxShadow"] not in ("", "none")
    return outline or shadow


def assert_stayed_on_site(page, live_server):
    """The site must work with no internet: every request of the test went to the live server, and
    none failed. (The context also aborts any other request, so a leak fails here, not by timing out.)"""
    origin = live_server.url.rstrip("/") + "/"
    log = page.context.request_log
    assert log.urls, "no request was recorded"
    elsewhere = sorted({url for url in log.urls if not url.startswith(origin)})
    assert not elsewhere, f"requests to other hosts than {origin}:\n" + "\n".join(elsewhere)
    assert not log.failed, "failed requests:\n" + "\n".join(log.failed)


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"      {', '.join(map(str, node['target']))}  {node['html'][:160]}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … {len(v['nodes']) - 10} more")
    return "\n".join(lines)


# A name, an address of each family, and https: none may reach a network, whatever resolves it.
ELSEWHERE = ["http://example.com/", "https://example.org/a.js", "http://93.184.215.14/", "http://[2606:4700::1]/"]


def test_the_browser_cannot_leave_the_live_server(page, demo_site):
    """The browser itself refuses every host but the loopback (conftest's CHROMIUM_ARGS): each request fails at
    the dead proxy, at once, and is logged as failed, while the live server still answers."""
    away = page.context.new_page()
    for url in ELSEWHERE:
        with pytest.raises(PlaywrightError, match="ERR_PROXY_CONNECTION_FAILED"):
            away.goto(url)
    failed = page.context.request_log.failed
    assert [entry.rsplit(" ", 1)[-1] for entry in failed] == ELSEWHERE, failed
    open_page(page, "/", heading=SITE_NAME)


def test_home_column_and_article_render_in_chinese(page, demo_site, screenshot_dir):
    open_page(page, "/", heading=SITE_NAME)
    assert page.title().endswith(SITE_NAME)
    expect(page.locator(NAV)).to_contain_text("新闻动态")
    assert page.evaluate(BROKEN_IMAGES) == []
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)

    open_page(page, COLUMN_URL, heading=COLUMN_TITLE)
    assert page.title() == f"{COLUMN_TITLE} - {SITE_NAME}"
    page.screenshot(path=screenshot_dir / "column.png", full_page=True)

    title, href = first_listed_article(page)
    page.locator("main .article-list li a").first.click()
    page.wait_for_url(f"**{href}")
    assert href.startswith(COLUMN_URL), href
    assert page.locator("h1").text_content().strip() == title
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    expect(page.locator(".breadcrumbs")).to_contain_text(COLUMN_TITLE)
    assert page.evaluate(BROKEN_IMAGES) == []
    page.screenshot(path=screenshot_dir / "article.png", full_page=True)
    assert_stayed_on_site(page, demo_site)


def test_keyboard_skip_link_and_main_navigation(page, demo_site):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused and "skip-link" in focused["className"], f"first Tab focused {focused}"
    assert focused["text"] == "跳到主要内容"
    assert has_visible_focus_indicator(focused), f"skip link has no focus indicator: {focused}"
    box = focused["box"]
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, f"focused skip link is off screen: {box}"

    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")

    # From the top of a fresh page, Tab through the header into the main navigation.
    page.goto("/")
    path, target = [], None
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused, f"focus left the document after {path}"
        path.append(focused["text"] or focused["tag"])
        if focused["inMainNav"] and focused["href"] not in (None, "/"):
            target = focused
            break
    assert target, f"Tab never reached a column link in the main navigation: {path}"
    assert has_visible_focus_indicator(target), f"focused navigation link has no focus indicator: {target}"

    page.keyboard.press("Enter")
    page.wait_for_url(demo_site.url + target["href"])
    assert page.locator("h1").text_content().strip() == target["text"]
    expect(page.locator(f'{NAV} a[aria-current="page"]')).to_have_text(target["text"])
    assert_stayed_on_site(page, demo_site)


def test_no_serious_accessibility_violations(page, demo_site, run_axe, screenshot_dir):
    page.goto(COLUMN_URL)
    _, article_url = first_listed_article(page)
    pages = {  # name: (url, screenshot file or None when another test already takes it)
        "home": ("/", None),
        "column": (COLUMN_URL, None),
        "article": (article_url, None),
        "policy document": (POLICY_URL, "policy.png"),
        "search results": (SEARCH_URL, "search.png"),
    }
    problems = []
    for name, (url, screenshot) in pages.items():
        response = page.goto(url)
        assert response.status == 200, f"{name} {url}: HTTP {response.status}"
        if name == "policy document":
            expect(page.locator("h1")).to_have_text(POLICY_TITLE)
        if name == "search results":
            expect(page.locator(".search-results li").first).to_be_visible()
        if screenshot:
            page.screenshot(path=screenshot_dir / screenshot, full_page=True)
        results = run_axe(page)
        assert results["passes"], f"axe checked nothing on {name} ({url})"
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        minor = [v for v in results["violations"] if v["impact"] not in BLOCKING_IMPACTS]
        if minor:  # shown with -s or when the test fails; not a failure by themselves
            print(f"axe: minor/moderate findings on {name} ({url}):\n{format_violations(minor)}")
        if blocking:
            problems.append(f"{name} ({url}):\n{format_violations(blocking)}")
    assert not problems, "axe-core found serious/critical violations:\n" + "\n".join(problems)
    assert_stayed_on_site(page, demo_site)


def test_large_text_toggle_persists_and_switches_off(page, demo_site, screenshot_dir):
    html = page.locator("html")
    toggle = page.locator(".site-header a.tool-link")
    page.goto("/")
    expect(html).not_to_have_class("large-text")
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    expect(toggle).to_have_text("大字版（适老化）")
    with page.expect_response(lambda r: "/a11y/large-text/" in r.url):
        toggle.click()
    page.wait_for_load_state()
    expect(html).to_have_class("large-text")
    expect(page).to_have_url(demo_site.url + "/")  # back on the page where it was switched on
    large_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large_size > normal_size, (normal_size, large_size)

    page.locator(f"{NAV} a", has_text="政策文件").click()
    page.wait_for_url("**/zcwj/")
    expect(html).to_have_class("large-text")
    page.screenshot(path=screenshot_dir / "column-large-text.png", full_page=True)

    expect(toggle).to_have_text("标准字号")
    with page.expect_response(lambda r: "/a11y/large-text/" in r.url):
        toggle.click()
    page.wait_for_load_state()
    expect(html).not_to_have_class("large-text")
    expect(page).to_have_url(demo_site.url + "/zcwj/")
    expect(toggle).to_have_text("大字版（适老化）")
    page.goto("/")
    expect(html).not_to_have_class("large-text")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == normal_size
    assert_stayed_on_site(page, demo_site)
