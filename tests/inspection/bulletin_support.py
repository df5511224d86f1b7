"""Builders for the 季度通报 tests: a recorded run with known findings, the notice column, the office's reviewers."""

import datetime

from cms.inspection.runs import InspectionRun
from tests.factories import make_column, member
from workflows import api

AS_OF = datetime.date(2026, 12, 1)
# The six stages of 三审三校 and who approves each (two distinct 分管负责人: 二审 and 三校).
ORDER = ["info_officer", "deputy_head", "head", "typesetter", "section_chief", "deputy_head_2"]
STALE_DETAIL = "栏目“石羊镇动态”最近一次更新为 2026-10-01，已超过 14 天"
VETO_DETAIL = "政务咨询留言超过三个月未答复（龙台镇）"


def row(unit, kind, detail, severity="finding", rule="动态类栏目 14 天", false_positive=False):
    """One stored finding row, as record_run keeps it."""
    obj = f"https://www.example.invalid/{kind}/{unit.pk}/"
    return {
        "kind": kind,
        "unit": unit.organisation_code,
        "object": obj,
        "detail": detail,
        "severity": severity,
        "rule": rule,
        "false_positive": false_positive,
        "key": f"{kind}|{unit.organisation_code}|{obj}",
    }


def make_run(township_a, township_b, quarter="2026Q4", as_of=AS_OF):
    """石羊镇: one stale column (a finding), one warning, one finding marked false positive; 龙台镇: a veto.

    Every other unit has nothing, so it is praised.
    """
    findings = [
        row(township_a, "column_stale", STALE_DETAIL),
        row(township_a, "column_warning", "栏目“石羊镇通知”即将超期", severity="warning"),
        row(township_a, "broken_link", "链接已失效（误报）", false_positive=True),
        row(township_b, "letter_veto", VETO_DETAIL, severity="veto", rule="政务咨询留言三个月"),
    ]
    return InspectionRun.objects.create(quarter=quarter, as_of=as_of, findings=findings)


def notice_column(home, county_office, slug="tzgg"):
    """通知公告 of the county office, directly below the home page."""
    return make_column(home, "通知公告", county_office, update_class="notice_policy", slug=slug)


def office_reviewers(county_office):
    roles = {name: name for name in ORDER[:-1]} | {"deputy_head_2": "deputy_head"}
    return {name: member(county_office, role, username=f"xzfb_{name}") for name, role in roles.items()}


def publish_through_workflow(page, reviewers):
    """Submits the page's latest revision and approves the six stages in order."""
    api.submit(page, reviewers["info_officer"])
    for name in ORDER:
        api.approve(page, reviewers[name], comment="同意", checked=api.checklist_for(page))
    page.refresh_from_db()
    return page
