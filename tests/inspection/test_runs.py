"""inspect_site --record: every recorded run kept, the report still printed, the quarter's run is the latest."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cms.inspection.findings import Kind
from cms.inspection.models import InspectionRun
from tests.factories import make_column

from .support import DAY, only_column_checks, published_on

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("inspect_site", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale_portal(home, township_a, monkeypatch):
    only_column_checks(monkeypatch)
    stale = make_column(home, "石羊动态", township_a, slug="sydt")
    published_on(stale, DAY, title="春耕动员会")
    return stale


def test_record_keeps_every_run_and_still_prints_the_report(stale_portal, township_a):
    text = run("--as-of", "2026-01-20", "--record")
    assert "检查考核报告（检查日期 2026-01-20）" in text and "春耕动员会" in text
    first = InspectionRun.objects.get()
    assert f"已保存为 2026Q1 季度检查记录（编号 {first.pk}）" in text
    assert (first.quarter, first.as_of, first.created_by) == ("2026Q1", datetime.date(2026, 1, 20), None)
    [stale] = [row for row in first.findings if row["kind"] == Kind.COLUMN_STALE]
    assert stale["unit"] == township_a.organisation_code and stale["key"].startswith("column_stale|")

    document = json.loads(run("--as-of", "2026-03-31", "--record", "--format", "json"))
    second = InspectionRun.objects.of_quarter("2026Q1")
    assert document["run"] == {"id": second.pk, "quarter": "2026Q1"}
    assert [row["kind"] for row in document["findings"]] == [row["kind"] for row in second.findings]
    assert InspectionRun.objects.count() == 2 and second != first


def test_without_record_nothing_is_stored(stale_portal):
    run("--as-of", "2026-01-20")
    assert not InspectionRun.objects.exists()


def test_record_refuses_a_single_unit(stale_portal, township_a):
    with pytest.raises(CommandError, match="不能与 --unit 同时使用"):
        run("--record", "--unit", township_a.organisation_code)
    assert not InspectionRun.objects.exists()
