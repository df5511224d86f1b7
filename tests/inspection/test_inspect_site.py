"""inspect_site: JSON shape, exit status, --unit and --as-of, Chinese errors, false-positive marks kept between runs."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cms.inspection.findings import Kind
from cms.inspection.models import FalsePositive, mark_false_positive
from tests.factories import make_column

from .support import DAY, column_findings, of_kind, only_column_checks, published_on

pytestmark = pytest.mark.django_db

FIELDS = {"kind", "unit", "object", "detail", "severity", "rule", "false_positive"}


def run(*args):
    out = StringIO()
    call_command("inspect_site", *args, stdout=out)
    return out.getvalue()


def run_json(*args):
    return json.loads(run("--format", "json", *args))


@pytest.fixture
def stale_portal(home, township_a, township_b):
    stale = make_column(home, "石羊动态", township_a, slug="sydt")
    published_on(stale, DAY, title="春耕动员会")
    make_column(home, "龙台空栏目", township_b, slug="ltk")
    return {"stale": stale}


def test_json_lists_every_finding_with_its_fields(stale_portal, township_a, township_b):
    document = run_json("--as-of", "2026-01-20")
    assert document["as_of"] == "2026-01-20"
    rows = {row["kind"]: row for row in document["findings"]}
    assert all(set(row) == FIELDS for row in document["findings"] if not row["false_positive"])
    assert rows[Kind.COLUMN_STALE]["unit"] == township_a.organisation_code
    assert rows[Kind.COLUMN_STALE]["object"] == stale_portal["stale"].get_full_url()
    assert rows[Kind.COLUMN_STALE]["severity"] == "finding" and "2026-01-05" in rows[Kind.COLUMN_STALE]["detail"]
    assert rows[Kind.COLUMN_EMPTY]["unit"] == township_b.organisation_code


def test_command_exits_normally_and_twice_gives_the_same_report(stale_portal):
    first = run("--as-of", "2026-01-20", "--format", "json")
    assert run("--as-of", "2026-01-20", "--format", "json") == first
    assert FalsePositive.objects.count() == 0


def test_as_of_changes_what_is_late(stale_portal, monkeypatch):
    only_column_checks(monkeypatch)
    assert of_kind(run_json_findings("--as-of", "2026-01-14"), Kind.COLUMN_STALE, Kind.COLUMN_WARNING) == []
    assert len(of_kind(run_json_findings("--as-of", "2026-01-15"), Kind.COLUMN_WARNING)) == 1
    assert len(of_kind(run_json_findings("--as-of", "2026-01-20"), Kind.COLUMN_STALE)) == 1


def run_json_findings(*args):
    return [Row(**row) for row in run_json(*args)["findings"]]


class Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def test_unit_keeps_that_units_findings(stale_portal, township_b, monkeypatch):
    only_column_checks(monkeypatch)
    rows = run_json("--as-of", "2026-01-20", "--unit", township_b.organisation_code)["findings"]
    assert [(row["kind"], row["unit"]) for row in rows] == [(Kind.COLUMN_EMPTY, township_b.organisation_code)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-02-30"], "检查日期“2026-02-30”无效"),
        (["--as-of", "昨天"], "请按 YYYY-MM-DD 填写"),
        (["--unit", "NOSUCHUNIT"], "单位“NOSUCHUNIT”不存在"),
    ],
)
def test_bad_arguments_give_chinese_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_text_report_groups_by_unit(stale_portal, township_a, township_b, monkeypatch):
    only_column_checks(monkeypatch)
    text = run("--as-of", "2026-01-20")
    assert "检查考核报告（检查日期 2026-01-20）" in text
    assert f"== {township_a.name}（{township_a.organisation_code}） ==" in text
    assert text.index(township_a.organisation_code) < text.index("春耕动员会")
    assert "[问题]" in text and "依据：" in text


def test_false_positive_is_reported_as_such_in_the_next_run(stale_portal, admin_user, monkeypatch):
    only_column_checks(monkeypatch)
    [finding] = of_kind(column_findings(datetime.date(2026, 1, 20)), Kind.COLUMN_STALE)
    mark_false_positive(finding, "该栏目已于一月撤并", admin_user)
    rows = [row for row in run_json("--as-of", "2026-01-21")["findings"] if row["kind"] == Kind.COLUMN_STALE]
    assert rows == [
        {
            **rows[0],
            "false_positive": True,
            "false_positive_reason": "该栏目已于一月撤并",
            "object": finding.object,
        }
    ]
    text = run("--as-of", "2026-01-21")
    assert "[已标记误报]" in text and "误报理由：该栏目已于一月撤并" in text
    assert "已标记误报 1 项" in text


def test_false_positives_stay_out_of_the_veto_count(home, township_a, admin_user, monkeypatch):
    only_column_checks(monkeypatch)
    for n in range(5):
        make_column(home, f"空栏目{n}", township_a, update_class="monthly")
    vetoes = of_kind(run_json_findings("--as-of", "2026-01-20"), Kind.VETO)
    assert [row.severity for row in vetoes] == ["veto"]
    empty = of_kind(column_findings(datetime.date(2026, 1, 20)), Kind.COLUMN_EMPTY)[0]
    mark_false_positive(empty, "栏目已下线待删除", admin_user)
    assert of_kind(run_json_findings("--as-of", "2026-01-20"), Kind.VETO) == []


def test_marking_needs_a_reason(stale_portal, admin_user):
    [finding] = of_kind(column_findings(datetime.date(2026, 1, 20)), Kind.COLUMN_STALE)
    with pytest.raises(ValidationError, match="须填写理由"):
        mark_false_positive(finding, "  ", admin_user)


def exit_status(*args):
    """The process's exit status as manage.py would give it (0 when the command returns)."""
    from django.core.management import ManagementUtility

    try:
        ManagementUtility(["manage.py", "inspect_site", *args]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


def test_exit_status_is_0_whatever_it_found_and_1_for_bad_input(stale_portal, capsys):
    assert exit_status("--as-of", "2026-01-20", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["findings"]
    assert exit_status("--as-of", "2026-13-01") == 1
    assert "检查日期“2026-13-01”无效" in capsys.readouterr().err
