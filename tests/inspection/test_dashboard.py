"""网站检查状态 on the admin home: a unit's own status from the latest run, every unit and the charts for inspectors."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cms.inspection.findings import Severity
from cms.inspection.models import InspectionRun
from cms.inspection.runs import quarter_of
from tests.factories import UserFactory, log_in, member

from .support import DAY, only_column_checks, published_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


def row(unit, kind, severity, obj, false_positive=False):
    return {
        "kind": kind,
        "unit": unit.organisation_code,
        "object": obj,
        "detail": f"{kind} 的检查发现",
        "severity": severity,
        "rule": "规则",
        "false_positive": false_positive,
        "key": f"{kind}|{unit.organisation_code}|{obj}",
    }


def make_run(rows, as_of=datetime.date(2026, 3, 31)):
    return InspectionRun.objects.create(quarter=quarter_of(as_of), as_of=as_of, findings=rows)


@pytest.fixture
def run(township_a, township_b, county_office):
    make_run([row(township_a, "column_stale", Severity.FINDING, "/old/")], as_of=datetime.date(2026, 2, 27))
    return make_run(
        [
            row(township_a, "column_warning", Severity.WARNING, "/sy/"),
            row(township_b, "broken_link", Severity.FINDING, "/lt/a/"),
            row(township_b, "column_warning", Severity.WARNING, "/lt/"),
            row(county_office, "column_empty", Severity.FINDING, "/xwdt/", false_positive=True),
        ]
    )


def home_page(client, user):
    log_in(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel_of(html):
    start = html.index('aria-labelledby="inspection-status-heading"')
    return html[start : html.index("</section>", start)]


def test_a_member_sees_only_their_units_status_in_text(client, run, editor_a, township_b):
    panel = panel_of(home_page(client, editor_a))
    assert "依据 2026-03-31 的检查（2026Q1）" in panel
    assert "安岳县石羊镇人民政府测试" in panel and "黄：仅有预警" in panel
    assert township_b.name not in panel and "红：" not in panel.split("<tbody>")[1].split("</tbody>")[0]
    assert "column_warning 的检查发现" in panel and 'href="/sy/"' in panel
    assert "<svg" in panel and "各季度得分" not in panel  # the status dot only, no charts


def test_a_veto_or_finding_is_red_and_false_positives_count_for_nothing(client, run, editor_b, county_office):
    panel = panel_of(home_page(client, editor_b))
    assert "红：有问题或单项否决" in panel
    head = member(county_office, "info_officer", username="office_clerk")
    client.logout()
    panel = panel_of(home_page(client, head))
    office_row = next(line for line in panel.split("<tr>") if county_office.name in line)
    assert "绿：无问题" in office_row


def test_inspectors_see_every_unit_and_both_charts(client, run, county_office, township_a, township_b):
    inspector = member(county_office, "head", username="office_head")
    panel = panel_of(home_page(client, inspector))
    for unit in (township_a, township_b, county_office):
        assert unit.name in panel
    assert "红色 1 个单位，黄色 1 个，绿色 1 个。" in panel
    assert panel.index(township_b.name) < panel.index(township_a.name) < panel.index(county_office.name)
    assert "2026 年各季度得分" in panel and "各单位平均分" in panel and "最低分" in panel
    assert "最近一次检查的问题和预警（按类别）" in panel and "错链断链" in panel
    assert reverse("inspection_run", args=[run.pk]) in panel


def test_the_latest_run_is_read_without_inspecting(client, run, editor_a, monkeypatch):
    monkeypatch.setattr("cms.inspection.dashboard.inspect", lambda context: pytest.fail("inspected on a page view"))
    assert "黄：仅有预警" in panel_of(home_page(client, editor_a))


def test_before_any_run_a_member_sees_today_s_inspection_of_their_unit(client, portal, editor_a, monkeypatch):
    only_column_checks(monkeypatch)
    published_on(portal["a"], DAY)
    today = DAY + datetime.timedelta(days=15)
    monkeypatch.setattr("cms.inspection.dashboard.timezone", SimpleNamespace(localdate=lambda: today))
    panel = panel_of(home_page(client, editor_a))
    assert "尚无季度检查记录，以下为 2026-01-20 对本单位的检查。" in panel
    assert "红：有问题或单项否决" in panel and "栏目“石羊镇”最新信息" in panel


def test_before_any_run_inspectors_are_asked_to_run_one(client, county_office, monkeypatch):
    monkeypatch.setattr("cms.inspection.dashboard.inspect", lambda context: pytest.fail("inspected on a page view"))
    panel = panel_of(home_page(client, member(county_office, "head", username="office_head")))
    assert "尚无季度检查记录。" in panel and reverse("inspection_runs") in panel and "到“季度检查”立即检查" in panel


def test_users_without_a_unit_see_no_panel(client, run):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    assert "inspection-status-heading" not in home_page(client, user)
