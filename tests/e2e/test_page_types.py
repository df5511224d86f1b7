"""Every public page type passes the Nu HTML Checker and axe-core; the phone layout works at 390 px.

The page types are Wagtail's page models, walked at run time, so a new type is checked without editing this
file: the demo county must hold a live, public page of it. Views that are not pages (search, the request
form, the 404 page) are listed by hand. Screenshots of the phone layout land in /tmp for a human to look at.
"""

from pathlib import Path

import pytest
from wagtail.models import Page, get_page_models

from tests.e2e.test_smoke import BLOCKING_IMPACTS, format_violations
from tests.e2e.vnu import validate

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e

VIEWS = {"search results": "/search/?q=安岳", "request form": "/yxsqgk/"}
NOT_FOUND_URL = "/no-such-column/"
PHONE = {"width": 390, "height": 844}
PHONE_SHOTS = Path("/tmp")
SCROLL_WIDTH = "() => document.scrollingElement.scrollWidth"


def page_type_urls():
    """{page model label: URL of its first live, public page}; every routable page model must have one."""
    urls, missing = {}, []
    for model in get_page_models():
        if model is Page:  # Wagtail's tree root, never served
            continue
        page = model.objects.live().public().order_by("path").first()
        if page is None:
            missing.append(model._meta.label)
        else:
            urls[model._meta.label] = page.url
    assert not missing, f"the demo county has no live page of {missing}: add one to its seed so it is checked"
    return urls


def test_every_public_page_type_is_valid_html_and_accessible(page, demo_site, run_axe):
    targets = {**page_type_urls(), **VIEWS, "404": NOT_FOUND_URL}
    documents, problems = {}, []
    for name, url in targets.items():
        response = page.goto(url)
        expected = 404 if name == "404" else 200
        assert response.status == expected, f"{name} {url}: HTTP {response.status}"
        documents[f"{name} ({url})"] = response.text()
        blocking = [v for v in run_axe(page)["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            problems.append(f"{name} ({url}):\n{format_violations(blocking)}")
        if name == "404":
            # A short page: the footer sits at the bottom of the window, not in its middle.
            footer_bottom = page.evaluate("() => document.querySelector('.site-footer').getBoundingClientRect().bottom")
            assert footer_bottom >= page.viewport_size["height"] - 1
    assert not problems, "axe-core found serious/critical violations:\n" + "\n".join(problems)
    errors = validate(documents)
    assert errors == {}, "Nu HTML Checker errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )


def test_phone_layout(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url, viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    urls = page_type_urls()

    page.goto("/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 0.25 * PHONE["height"]
    nav, toggle = page.locator("#main-nav"), page.locator(".nav-toggle")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.screenshot(path=PHONE_SHOTS / "phone-home.png")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="新闻动态")).to_be_visible()
    page.screenshot(path=PHONE_SHOTS / "phone-nav-open.png")
    toggle.click()
    expect(nav).to_be_hidden()

    checks = {  # name: (URL, a selector whose elements must be stacked cards)
        "listing": ("/xwdt/ayyw/", ".column-main .article-list li"),
        "catalogue": (urls["disclosure.UnitCataloguePage"], ".catalogue-table tbody tr"),
        "policy": (urls["site_pages.PolicyDocumentPage"], ".doc-info tr"),
        "guide": (urls["site_pages.ServiceGuidePage"], ".guide-materials tbody tr"),
        "guides": (urls["site_pages.ServiceIndexPage"], ".guide-list tbody tr"),
    }
    for name, (url, selector) in checks.items():
        page.goto(url)
        assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"], f"{name} ({url}) scrolls sideways"
        boxes = [item.bounding_box() for item in page.locator(selector).all()[:3]]
        assert boxes, f"{name} ({url}): nothing matches {selector}"
        for box in boxes:
            # A card spans the content column; a table row would be wider than the screen or squeezed.
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.screenshot(path=PHONE_SHOTS / f"phone-{name}.png", full_page=True)
    context.close()


def test_article_font_size_controls_and_neighbours(page, demo_site):
    page.goto("/xwdt/ayyw/")
    second = page.locator("main .article-list li a").nth(1)
    newer_title = page.locator("main .article-list li a").first.text_content().strip()
    older_title = page.locator("main .article-list li a").nth(2).text_content().strip()
    second.click()
    pager = page.locator(".article-pager")
    expect(pager.locator("a[rel=prev]")).to_have_text(newer_title)
    expect(pager.locator("a[rel=next]")).to_have_text(older_title)

    body, article = page.locator(".content-body"), page.locator(".content-article")
    size = float(body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    page.get_by_role("button", name="放大字号").click()
    expect(article).to_have_attribute("data-font-step", "1")
    assert float(body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) > size
    # Stored in the browser: the next article opens at the chosen size.
    pager.locator("a[rel=next]").click()
    expect(page.locator(".content-article")).to_have_attribute("data-font-step", "1")
    page.get_by_role("button", name="默认字号").click()
    expect(page.locator(".content-article")).to_have_attribute("data-font-step", "0")
    expect(page.get_by_role("button", name="默认字号")).to_be_disabled()
