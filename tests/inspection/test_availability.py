import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cms.inspection.checks.availability import availability
from cms.inspection.checks.links import served_hidden_links
from cms.inspection.findings import InspectionContext, Kind, Severity
from cms.inspection.probe import probe
from cms.inspection.probe_models import ProbeResult
from tests.factories import UnitFactory, make_column, make_content, make_home
from tests.inspection.local_server import local_server  # noqa: F401

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 3, 31)


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def record(count, day=AS_OF - datetime.timedelta(days=1), **fields):
    fields = {"status": 200, "elapsed": 0.4, **fields}
    rows = [ProbeResult(checked_at=at(day), url="http://gov.test/", **fields) for _ in range(count)]
    ProbeResult.objects.bulk_create(rows)


def findings(as_of=AS_OF, unit_code=None):
    return list(availability(InspectionContext(as_of=as_of, unit_code=unit_code)))


@pytest.mark.parametrize(
    ("failed", "severity"),
    [(29, None), (30, Severity.WARNING), (49, Severity.WARNING), (50, Severity.VETO), (51, Severity.VETO)],
)
def test_share_of_failed_visits_at_the_warning_and_veto_lines(failed, severity):
    # 1,000 visits: 29 failed is 2.9%, 30 is 3%, 49 is 4.9%, 50 is 5%, 51 is 5.1%.
    record(1000 - failed)
    record(failed, status=503)
    found = findings()
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity:
        assert found[0].kind == Kind.AVAILABILITY
        assert found[0].data == {**found[0].data, "total": 1000, "failed": failed}
        assert f"{failed / 10:.1f}%" in found[0].detail


def test_slow_means_fifteen_seconds_or_more_and_errors_count_as_failed():
    record(94)
    record(1, elapsed=14.99)  # in time
    record(3, elapsed=15.0)  # 超过（含）15秒
    record(1, status=None, error="超时（20 秒）", elapsed=20.0)
    record(1, status=404)
    found = findings()
    assert [f.severity for f in found] == [Severity.VETO]
    assert found[0].data["failed"] == 5


def test_only_the_seven_days_before_the_inspection_date_count():
    record(97)
    record(100, day=AS_OF, status=500)  # the inspection day itself: after the window
    record(100, day=AS_OF - datetime.timedelta(days=8), status=500)  # before the window
    record(3, day=AS_OF - datetime.timedelta(days=7), status=500)  # first day of the window
    found = findings()
    assert [f.severity for f in found] == [Severity.WARNING]
    assert found[0].data["total"] == 100
    assert "2026-03-24 至 2026-03-30" in found[0].detail


def test_no_probes_is_reported_as_not_measured():
    record(10, day=AS_OF - datetime.timedelta(days=30))
    found = findings()
    assert len(found) == 1
    assert found[0].severity == Severity.FINDING
    assert "没有可用性监测记录" in found[0].detail


def test_a_unit_inspection_does_not_judge_the_whole_portal():
    record(10, status=500)
    assert findings(unit_code="11510000MB0000000X") == []
    assert findings()[0].severity == Severity.VETO


@pytest.fixture
def tree(db):
    unit = UnitFactory(name="安岳县石羊镇人民政府测试", short_name="石羊镇")
    home = make_home()
    column = make_column(home, "工作动态", unit, slug="gzdt")
    pages = {
        "ok": make_content(column, title="正常", slug="ok"),
        "slow": make_content(column, title="很慢", slug="slow"),
        "error": make_content(column, title="出错", slug="error"),
    }
    return home, column, pages


def path(page):
    return page.get_url_parts()[2]


def test_probe_site_records_status_time_errors_and_served_hidden_links(tree, local_server):  # noqa: F811
    home, column, pages = tree
    hidden = '<div style="display:none"><a href="http://spam.example/casino">赌场</a></div>'
    local_server.route(path(home), body=f"<html><body>首页{hidden}</body></html>")
    local_server.route(path(column))
    local_server.route(path(pages["ok"]))
    local_server.route(path(pages["slow"]), delay=3.0)
    local_server.route(path(pages["error"]), status=500)

    # A time limit a local answer keeps on a loaded machine, and a slow page well past it.
    call_command("probe_site", base_url=local_server.base_url, sample=10, timeout=2)

    results = {r.url.removeprefix(local_server.base_url): r for r in ProbeResult.objects.all()}
    assert set(results) == {path(home), path(column), *(path(p) for p in pages.values())}
    assert results[path(home)].is_home and results[path(home)].status == 200
    assert results[path(home)].hidden_links == [{"href": "http://spam.example/casino", "reason": "display:none"}]
    assert results[path(pages["ok"])].failed is False
    assert results[path(pages["slow"])].status is None and "超时" in results[path(pages["slow"])].error
    assert results[path(pages["error"])].status == 500 and results[path(pages["error"])].failed

    # The week's probes feed the inspection the next day: 2 of 5 failed, and the served 暗链 is reported.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert [f.severity for f in findings(as_of=tomorrow)] == [Severity.VETO]
    [finding] = served_hidden_links(InspectionContext(as_of=tomorrow))
    assert finding.kind == Kind.HIDDEN_LINK
    assert "http://spam.example/casino" in finding.detail


def test_probe_site_sample_zero_requests_only_the_home_page(tree, local_server):  # noqa: F811
    home, _column, _pages = tree
    local_server.route(path(home))
    call_command("probe_site", base_url=local_server.base_url, sample=0)
    assert local_server.requests == [("GET", path(home))]
    assert ProbeResult.objects.get().is_home


def test_a_probe_ends_at_its_time_limit_even_when_every_read_is_quick(local_server):  # noqa: F811
    local_server.trickle("/drip", "x" * 40, delay=0.05)
    result = probe(local_server.url("/drip"), timeout=0.5)
    assert result.status is None and result.error == "超时（0.5 秒）"
    assert result.failed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sample": -1}, "抽样页面数不能为负数"),
        ({"timeout": 0}, "超时时间须大于 0 秒"),
        ({"base_url": "127.0.0.1:8000"}, "网站地址须以 http:// 或 https:// 开头"),
    ],
)
def test_probe_site_rejects_bad_options_in_chinese(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("probe_site", **options)
    assert not ProbeResult.objects.exists()
