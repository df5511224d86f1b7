"""季度通报 in a real browser: the demo's published bulletin is valid, accessible, readable on a phone, and its
exports download. Screenshots land in /tmp for a human to look at."""

import pytest

from cms.inspection.bulletin import Bulletin
from cms.inspection.runs import InspectionRun
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in
from tests.e2e.test_smoke import BLOCKING_IMPACTS, format_violations
from tests.e2e.vnu import validate

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCROLL_WIDTH = "() => document.scrollingElement.scrollWidth"


def test_published_bulletin_on_desktop_and_phone(browser, page, demo_site, run_axe):
    bulletin = Bulletin.objects.live().get()
    url, first = bulletin.url, bulletin.entries[0]

    response = page.goto(url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(bulletin.title)
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(len(bulletin.entries))
    expect(table.locator("tbody tr").first).to_contain_text(first["unit_name"])
    expect(page.locator(".bulletin-praise")).to_contain_text("通报表扬")
    page.screenshot(path="/tmp/e2e-bulletin-desktop.png", full_page=True)
    blocking = [v for v in run_axe(page)["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(blocking)
    errors = validate({"bulletin": page.content()})
    assert errors == {}, "Nu HTML Checker errors:\n" + "\n".join(f"{n}: {m}" for n, m in errors.items())

    with page.expect_download() as pdf:
        page.get_by_role("link", name="通报全文（PDF）").click()
    assert pdf.value.suggested_filename == f"季度通报-{bulletin.quarter}.pdf"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="各单位得分表（Excel）").click()
    assert xlsx.value.suggested_filename == f"季度通报-{bulletin.quarter}.xlsx"

    phone = browser.new_context(base_url=demo_site.url, viewport=PHONE, locale="zh-CN", is_mobile=True)
    small = phone.new_page()
    small.goto(url)
    # One card per unit: the labels come from data-label, nothing scrolls sideways.
    assert small.evaluate(SCROLL_WIDTH) <= PHONE["width"]
    expect(small.locator(".bulletin-table tbody tr").first).to_be_visible()
    small.screenshot(path="/tmp/e2e-bulletin-phone.png", full_page=True)
    phone.close()


def test_inspector_issues_a_bulletin_from_a_run(page, demo_site):
    latest = InspectionRun.objects.order_by("-created_at", "-pk").first()
    run = InspectionRun.objects.create(quarter=latest.quarter, as_of=latest.as_of, findings=latest.findings)
    admin_log_in(page, "xzfb_info_officer", DEMO_PASSWORD)
    page.goto(f"/admin/inspection/runs/{run.pk}/")
    page.get_by_role("link", name="生成季度通报").click()
    page.get_by_role("button", name="生成通报草稿").click()
    expect(page.locator(".error-message, .help-critical, [role=alert]").first).to_contain_text(
        "请选择季度通报的发布栏目"
    )
    page.screenshot(path="/tmp/e2e-bulletin-create.png", full_page=True)
    page.get_by_label("发布栏目").select_option(label="通知公告（安岳县人民政府办公室）")
    page.get_by_role("button", name="生成通报草稿").click()
    expect(page.get_by_text("已生成季度通报草稿")).to_be_visible()
    expect(page.locator("table.listing tbody tr")).to_have_count(len(latest.bulletins.get().entries))
    page.screenshot(path="/tmp/e2e-bulletin-editor.png", full_page=True)
    issued = Bulletin.objects.get(run=run)
    assert not issued.live and issued.get_parent().title == "通知公告"
