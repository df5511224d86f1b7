"""网站检查状态 on the admin home in headless Chromium, for the county office and for a township's editor.

Screenshots: var/e2e-screenshots/inspection-dashboard-office.png, inspection-dashboard-township.png.
"""

import datetime

import pytest
from django.utils import timezone

from cms.inspection.runs import record_run
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


def test_status_panel_for_the_office_and_a_township(page, run_axe, screenshot_dir):
    today = timezone.localdate()
    record_run(today - datetime.timedelta(days=92))
    record_run(today)
    admin_log_in(page, "xzfb_head", DEMO_PASSWORD)
    page.goto("/admin/")
    panel = page.locator("section.inspection-status")
    expect(panel).to_contain_text("网站检查状态")
    expect(panel).to_contain_text("安岳县石羊镇人民政府")
    expect(panel.locator("svg.chart")).to_have_count(2)
    expect(panel).to_contain_text("各单位平均分")
    page.set_viewport_size({"width": 1280, "height": 2400})  # the admin scrolls inside its main area
    panel.screenshot(path=screenshot_dir / "inspection-dashboard-office.png")
    run_axe(page)  # injects axe-core; the panel alone is judged here, the home page's other panels are not ours
    results = page.evaluate("axe.run('section.inspection-status')")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], [node["target"] for node in v["nodes"]]) for v in serious]

    admin_log_in(page, "sy_info_officer", DEMO_PASSWORD)
    page.goto("/admin/")
    panel = page.locator("section.inspection-status")
    expect(panel.locator("tbody th")).to_have_count(1)
    expect(panel.locator("tbody th").first).to_contain_text("石羊镇")
    expect(panel.locator("svg.chart")).to_have_count(0)
    panel.locator("summary").first.click()
    expect(panel.locator("details li").first).to_be_visible()
    panel.screenshot(path=screenshot_dir / "inspection-dashboard-township.png")
