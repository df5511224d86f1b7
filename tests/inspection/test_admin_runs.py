"""季度检查 and 扣分标准 through the admin: who may open them, 立即检查, filters, 标记误报, editing the table."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from cms.inspection.findings import Kind, Severity
from cms.inspection.models import DeductionRule, FalsePositive, InspectionRequest, InspectionRun
from cms.inspection.runs import record_run
from tests.factories import log_in, make_column

from .support import DAY, only_column_checks, published_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


@pytest.fixture
def findings_portal(home, township_a, township_b, monkeypatch):
    only_column_checks(monkeypatch)
    stale = make_column(home, "石羊动态", township_a, slug="sydt")
    published_on(stale, DAY, title="春耕动员会")
    make_column(home, "龙台空栏目", township_b, slug="ltk")
    return stale


@pytest.fixture
def run(findings_portal):
    return record_run(datetime.date(2026, 1, 20))


def text(response):
    return response.content.decode()


def heading(unit):
    return f'<h3 class="inspection-unit">{unit.name}</h3>'


def menu(rf, user):
    """{group or item label: [item labels]} of the admin menu as `user` sees it."""
    request = rf.get(reverse("wagtailadmin_home"))
    request.user = user
    shown = {}
    for item in admin_menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        shown[str(item.label)] = [str(i.label) for i in submenu.menu_items_for_request(request)] if submenu else []
    return shown


def test_inspector_sees_the_menu_group_and_a_township_editor_does_not(rf, inspector, editor_a):
    assert menu(rf, inspector)["检查考核"][:3] == ["季度检查", "扣分标准", "年度考核"]
    assert "检查考核" not in menu(rf, editor_a)


def test_run_now_queues_a_run_for_today_that_the_command_records(client, inspector, findings_portal):
    log_in(client, inspector)
    assert "还没有检查记录" in text(client.get(reverse("inspection_runs")))
    response = client.post(reverse("inspection_run_now"))
    assert response.status_code == 302 and response["Location"] == reverse("inspection_runs")
    assert not InspectionRun.objects.exists()
    call_command("run_requested_inspections", stdout=StringIO())
    run = InspectionRun.objects.get()
    assert run.as_of == timezone.localdate() and run.created_by == inspector
    listing = text(client.get(reverse("inspection_runs")))
    assert run.quarter in listing and reverse("inspection_run", args=[run.pk]) in listing
    assert client.get(reverse("inspection_run_now")).status_code == 405


def test_run_detail_groups_findings_by_unit_with_evidence_and_rule(client, inspector, run, township_a, township_b):
    log_in(client, inspector)
    page = text(client.get(reverse("inspection_run", args=[run.pk])))
    assert heading(township_a) in page and heading(township_b) in page
    assert "2026-01-05" in page and "依据：" in page and "标记误报" in page
    assert page.index(heading(township_a)) < page.index("2026-01-05")
    assert "各单位得分" in page
    # One 标记误报 form per finding, each with its own ids so its label names its own field.
    assert 'id="id_finding0_reason"' in page and 'id="id_reason"' not in page


def test_run_detail_filters_by_unit_kind_and_severity(client, inspector, run, township_a, township_b):
    log_in(client, inspector)
    url = reverse("inspection_run", args=[run.pk])
    page = text(client.get(url, {"unit": township_b.organisation_code}))
    assert heading(township_b) in page and heading(township_a) not in page
    page = text(client.get(url, {"kind": Kind.COLUMN_STALE}))
    assert heading(township_a) in page and heading(township_b) not in page
    assert "没有符合筛选条件的检查发现" in text(client.get(url, {"severity": Severity.WARNING}))
    page = text(client.get(url, {"unit": "NOSUCH", "severity": "fatal"}))
    assert "所选单位不在可选范围内" in page and "所选严重程度不在可选范围内" in page
    assert heading(township_a) in page


def test_marking_a_false_positive_needs_a_reason_and_shows_in_the_next_run(client, inspector, run):
    log_in(client, inspector)
    url = reverse("inspection_run", args=[run.pk])
    key = next(row["key"] for row in run.findings if row["kind"] == Kind.COLUMN_STALE)
    page = text(client.post(url, {"key": key, "reason": "   "}))
    assert "标记误报须填写理由。" in page and not FalsePositive.objects.exists()
    page = text(client.post(url, {"key": key, "reason": "x" * 1001}))
    assert "误报理由不能超过 1000 字。" in page
    response = client.post(url, {"key": key, "reason": "栏目已于检查前撤并"}, follow=True)
    assert "下次检查起该项不再计入扣分" in text(response)
    assert "已于本次检查后标记误报（理由：栏目已于检查前撤并）" in text(response)
    mark = FalsePositive.objects.get()
    assert (mark.key, mark.marked_by) == (key, inspector)
    later = record_run(datetime.date(2026, 1, 21))
    assert next(row for row in later.findings if row["key"] == key)["false_positive"]
    assert "误报理由：栏目已于检查前撤并" in text(client.get(reverse("inspection_run", args=[later.pk])))


def test_unknown_run_or_finding_is_404_in_chinese(client, inspector, run):
    log_in(client, inspector)
    assert client.get(reverse("inspection_run", args=[run.pk + 100])).status_code == 404
    response = client.post(reverse("inspection_run", args=[run.pk]), {"key": "nosuch|x|y", "reason": "理由"})
    assert response.status_code == 404 and not FalsePositive.objects.exists()


def test_rules_are_read_by_inspectors_and_edited_by_the_office_leaders(client, inspector, office_head):
    rules = list(DeductionRule.objects.order_by("pk"))
    stale = next(rule for rule in rules if rule.kind == Kind.COLUMN_STALE)
    data = {"form-TOTAL_FORMS": len(rules), "form-INITIAL_FORMS": len(rules)}
    for index, rule in enumerate(rules):
        data.update(
            {
                f"form-{index}-id": rule.pk,
                f"form-{index}-points": str(rule.points),
                f"form-{index}-cap": "" if rule.cap is None else str(rule.cap),
                f"form-{index}-basis": rule.basis,
            }
        )
        if rule.veto:
            data[f"form-{index}-veto"] = "on"
    position = rules.index(stale)
    log_in(client, inspector)
    page = text(client.get(reverse("inspection_rules")))
    assert "栏目未按时更新" in page and "保存扣分标准" not in page
    refused = client.post(reverse("inspection_rules"), data)
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")

    log_in(client, office_head)
    page = text(client.post(reverse("inspection_rules"), {**data, f"form-{position}-points": "五"}))
    assert "请填写数字，例如 5 或 0.5。" in page and "扣分标准未保存" in page
    page = text(client.post(reverse("inspection_rules"), {**data, f"form-{position}-points": "-1"}))
    assert "扣分不能为负数。" in page
    response = client.post(reverse("inspection_rules"), {**data, f"form-{position}-points": "2.5"})
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.points == Decimal("2.5")
    assert DeductionRule.objects.get(pk=rules[0].pk).points == rules[0].points


ADMIN_VIEWS = [
    ("inspection_runs", {}),
    ("inspection_run_now", {}),
    ("inspection_run", {"run_id": None}),
    ("inspection_rules", {}),
    ("inspection_annual", {}),
    ("inspection_case_create", {}),
    ("inspection_case_evidence", {"case_id": None}),
]


@pytest.mark.parametrize(("name", "kwargs"), ADMIN_VIEWS)
def test_a_township_editor_gets_404_on_every_view(client, editor_a, run, evidence, name, kwargs):
    values = {"run_id": run.pk, "case_id": evidence.pk}
    url = reverse(name, kwargs={key: values[key] for key in kwargs})
    log_in(client, editor_a)
    for response in (client.get(url), client.post(url, {"reason": "试图标记", "year": "2026"})):
        assert response.status_code in (404, 405), (name, response.status_code)
    assert InspectionRun.objects.count() == 1 and not FalsePositive.objects.exists()
    assert not InspectionRequest.objects.exists()
