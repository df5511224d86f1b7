"""检查考核 in headless Chromium, as the county office's head: 立即检查 (queued, then run by the timer's command),
标记误报, 扣分标准, 年度考核.

Screenshots: var/e2e-screenshots/inspection-run.png, inspection-findings.png, inspection-rules.png,
inspection-annual.png, inspection-case.png.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from cms.inspection.models import FalsePositive
from site_pages.demo.structure import DEMO_PASSWORD
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e


def serious(run_axe, page):
    """Serious and critical axe-core violations, each with the elements it names, so a failure says where."""
    return [
        (v["id"], [(node["target"], node.get("failureSummary", "")) for node in v["nodes"]])
        for v in run_axe(page)["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_inspector_runs_marks_and_reads_the_tables(page, run_axe, screenshot_dir):
    admin_log_in(page, "xzfb_head", DEMO_PASSWORD)
    page.goto("/admin/inspection/runs/")
    with page.expect_navigation():
        page.get_by_role("button", name="立即检查").click()
    expect(page.locator(".messages")).to_contain_text("已提交检查请求")
    expect(page.get_by_text("检查请求排队中")).to_be_visible()
    # The timer's command runs the request outside the web request; a reload shows its run.
    call_command("run_requested_inspections", stdout=StringIO())
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("查看 .* 季度检查记录")).click()
    expect(page.get_by_role("heading", name="各单位得分")).to_be_visible()
    page.screenshot(path=screenshot_dir / "inspection-run.png", full_page=True)
    assert serious(run_axe, page) == []

    finding = page.locator("section[id^=finding-]").filter(has=page.get_by_role("button", name="标记误报")).first
    finding.get_by_label("误报理由").fill("经核实栏目已撤并")
    with page.expect_navigation():
        finding.get_by_role("button", name="标记误报").click()
    expect(page.locator(".messages")).to_contain_text("下次检查起")
    expect(page.get_by_text("已于本次检查后标记误报（理由：经核实栏目已撤并）")).to_be_visible()
    page.screenshot(path=screenshot_dir / "inspection-findings.png")
    assert FalsePositive.objects.filter(reason="经核实栏目已撤并").exists()

    page.goto("/admin/inspection/rules/")
    expect(page.get_by_role("button", name="保存扣分标准")).to_be_visible()
    page.screenshot(path=screenshot_dir / "inspection-rules.png", full_page=True)
    assert serious(run_axe, page) == []

    page.goto("/admin/inspection/annual/")
    expect(page.get_by_role("table")).to_be_visible()
    page.screenshot(path=screenshot_dir / "inspection-annual.png", full_page=True)
    assert serious(run_axe, page) == []

    page.get_by_role("link", name="记录问责情形").click()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.locator("form[enctype]")).to_contain_text("请选择单位。")
    page.screenshot(path=screenshot_dir / "inspection-case.png", full_page=True)
    assert serious(run_axe, page) == []
