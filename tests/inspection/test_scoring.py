"""Recorded runs and unit scores: deductions, caps, the floor, vetoes, the portal's own findings, ranks, quarters.

Each expected score is recomputed here from the stored rows and the rule table, independently of scoring.py.
"""

import datetime
from decimal import Decimal

import pytest

from cms.inspection.findings import Kind, Severity
from cms.inspection.models import DeductionRule, InspectionRun, mark_false_positive
from cms.inspection.runs import quarter_of, record_run
from cms.inspection.scoring import quarter_scores, score_run
from cms.inspection.scoring_models import AccountabilityCategory
from tests.factories import UnitFactory, make_column

from .support import DAY, only_column_checks, published_on

pytestmark = pytest.mark.django_db


def row(unit, kind, severity=Severity.FINDING, obj="/x/", false_positive=False):
    code = unit if isinstance(unit, str) else unit.organisation_code
    return {
        "kind": str(kind),
        "unit": code,
        "object": obj,
        "detail": "证据",
        "severity": str(severity),
        "rule": "规则",
        "false_positive": false_positive,
        "key": f"{kind}|{code}|{obj}",
    }


def make_run(rows, as_of=datetime.date(2026, 3, 31), **fields):
    return InspectionRun.objects.create(quarter=quarter_of(as_of), as_of=as_of, findings=rows, **fields)


def expected_score(rows, code):
    """100 less each counted row's rule points, capped per kind, floored at 0 (written out apart from scoring.py)."""
    totals = {}
    for r in rows:
        if r["unit"] != code or r["severity"] == "warning" or r["false_positive"]:
            continue
        totals[r["kind"]] = totals.get(r["kind"], Decimal(0)) + DeductionRule.objects.get(kind=r["kind"]).points
    for kind, total in totals.items():
        cap = DeductionRule.objects.get(kind=kind).cap
        if cap is not None and total > cap:
            totals[kind] = cap
    return max(Decimal(0), 100 - sum(totals.values()))


def by_code(scores):
    return {score.unit_code: score for score in scores}


@pytest.mark.parametrize(
    ("day", "quarter"),
    [("2026-01-01", "2026Q1"), ("2026-03-31", "2026Q1"), ("2026-04-01", "2026Q2"), ("2026-12-31", "2026Q4")],
)
def test_quarter_of_month_ends(day, quarter):
    assert quarter_of(datetime.date.fromisoformat(day)) == quarter


def test_every_kind_and_accountability_category_has_a_seeded_rule():
    kinds = set(DeductionRule.objects.values_list("kind", flat=True))
    assert {str(k) for k in Kind} | {str(c) for c in AccountabilityCategory} <= kinds
    assert DeductionRule.objects.get(kind=Kind.VETO).veto
    assert DeductionRule.objects.get(kind=Kind.COLUMN_STALE).points == Decimal("5")


def test_deductions_caps_warnings_and_false_positives(township_a, township_b):
    rows = [
        *(row(township_a, Kind.COLUMN_STALE, obj=f"/s{i}/") for i in range(3)),
        *(row(township_a, Kind.BROKEN_LINK, obj=f"/l{i}/") for i in range(25)),
        row(township_a, Kind.COLUMN_WARNING, Severity.WARNING),
        row(township_a, Kind.TAMPER, false_positive=True),
        *(row(township_b, Kind.COLUMN_STALE, obj=f"/s{i}/") for i in range(8)),
    ]
    scores = by_code(score_run(make_run(rows)))
    a, b = scores[township_a.organisation_code], scores[township_b.organisation_code]
    assert a.score == expected_score(rows, township_a.organisation_code) == Decimal("75")
    assert b.score == expected_score(rows, township_b.organisation_code) == Decimal("70")
    assert sum(points for _row, points in a.deductions) == 25
    assert len(a.deductions) == 28 and not any(r["false_positive"] for r, _points in a.deductions)
    assert (a.rank, b.rank) == (1, 2) and not a.praised and not a.vetoed


def test_score_is_floored_at_zero(township_a):
    rows = [row(township_a, Kind.TAMPER, obj=f"/t{i}/") for i in range(7)]
    score = by_code(score_run(make_run(rows)))[township_a.organisation_code]
    assert score.score == expected_score(rows, township_a.organisation_code) == 0


def test_veto_ranks_last_whatever_its_points_and_a_marked_veto_does_not(township_a, township_b):
    rows = [
        row(township_a, Kind.LETTER_VETO, Severity.VETO),
        *(row(township_b, Kind.COLUMN_STALE, obj=f"/s{i}/") for i in range(6)),
    ]
    scores = score_run(make_run(rows))
    named = by_code(scores)
    assert named[township_a.organisation_code].vetoed and named[township_a.organisation_code].score == 100
    assert scores[-1].unit_code == township_a.organisation_code
    assert named[township_b.organisation_code].rank < named[township_a.organisation_code].rank
    marked = [row(township_a, Kind.LETTER_VETO, Severity.VETO, false_positive=True)]
    assert not by_code(score_run(make_run(marked)))[township_a.organisation_code].vetoed


def test_a_rule_marked_veto_vetoes_a_plain_finding_but_not_a_warning(township_a, township_b):
    DeductionRule.objects.filter(kind=Kind.TAMPER).update(veto=True)
    rows = [row(township_a, Kind.TAMPER), row(township_b, Kind.TAMPER, Severity.WARNING)]
    scores = by_code(score_run(make_run(rows)))
    assert scores[township_a.organisation_code].vetoed and not scores[township_b.organisation_code].vetoed


def test_portal_wide_findings_count_against_the_operator(township_a):
    operator = UnitFactory(name="安岳县电子政务外网管理办公室测试", kind="operator")
    rows = [row("", Kind.HOMEPAGE_STALE), row("", Kind.VETO, Severity.VETO, obj="/#veto-empty-columns")]
    scores = by_code(score_run(make_run(rows)))
    assert "" not in scores
    moved = [dict(r, unit=operator.organisation_code) for r in rows]
    assert scores[operator.organisation_code].score == expected_score(moved, operator.organisation_code) == 90
    assert scores[operator.organisation_code].vetoed


def test_every_active_unit_is_scored_and_units_without_findings_are_praised(township_a, township_b):
    rows = [row(township_a, Kind.COLUMN_WARNING, Severity.WARNING), row(township_b, Kind.BROKEN_LINK)]
    quiet = UnitFactory()
    scores = by_code(score_run(make_run(rows)))
    assert scores[quiet.organisation_code].praised and scores[quiet.organisation_code].score == 100
    assert scores[township_a.organisation_code].praised and scores[township_a.organisation_code].score == 100
    assert not scores[township_b.organisation_code].praised
    assert all(score.rank for score in scores.values())


def test_equal_scores_share_a_rank(township_a, township_b):
    scores = by_code(score_run(make_run([])))
    assert scores[township_a.organisation_code].rank == scores[township_b.organisation_code].rank == 1


def test_changing_the_rule_table_changes_the_score(township_a):
    rows = [row(township_a, Kind.BROKEN_LINK, obj=f"/l{i}/") for i in range(4)]
    DeductionRule.objects.filter(kind=Kind.BROKEN_LINK).update(points=Decimal("3"), cap=Decimal("10"))
    score = by_code(score_run(make_run(rows)))[township_a.organisation_code]
    assert score.score == expected_score(rows, township_a.organisation_code) == 90


def test_quarter_scores_use_the_latest_run_of_each_quarter(township_a):
    first = make_run([row(township_a, Kind.TAMPER)], as_of=datetime.date(2026, 2, 1))
    make_run([], as_of=datetime.date(2026, 1, 15))
    make_run([row(township_a, Kind.HOMEPAGE_STALE)], as_of=datetime.date(2026, 6, 30))
    make_run([row(township_a, Kind.TAMPER)], as_of=datetime.date(2025, 12, 31))
    scores = quarter_scores(2026)[township_a.organisation_code]
    assert scores == {"Q1": Decimal("100"), "Q2": Decimal("90")}
    assert InspectionRun.objects.of_quarter("2026Q1") != first


@pytest.fixture
def stale_portal(home, township_a, township_b):
    stale = make_column(home, "石羊动态", township_a, slug="sydt")
    published_on(stale, DAY, title="春耕动员会")
    make_column(home, "龙台空栏目", township_b, slug="ltk")
    return stale


def test_record_run_keeps_the_report_and_a_false_positive_shows_in_the_next_run(
    stale_portal, township_a, township_b, admin_user, monkeypatch
):
    only_column_checks(monkeypatch)
    run = record_run(datetime.date(2026, 1, 20), admin_user)
    assert (run.quarter, run.as_of, run.created_by) == ("2026Q1", datetime.date(2026, 1, 20), admin_user)
    stale = next(r for r in run.findings if r["kind"] == Kind.COLUMN_STALE)
    assert stale["key"] == f"column_stale|{township_a.organisation_code}|{stale_portal.get_full_url()}"
    before = by_code(score_run(run))
    assert before[township_a.organisation_code].score == expected_score(run.findings, township_a.organisation_code)
    assert before[township_b.organisation_code].score == expected_score(run.findings, township_b.organisation_code)

    class Stored:
        kind, key = stale["kind"], stale["key"]

    mark_false_positive(Stored, "栏目已于检查前撤并", admin_user)
    later = record_run(datetime.date(2026, 1, 20), admin_user)
    assert InspectionRun.objects.count() == 2 and InspectionRun.objects.of_quarter("2026Q1") == later
    assert next(r for r in later.findings if r["key"] == stale["key"])["false_positive"]
    assert not next(r for r in run.findings if r["key"] == stale["key"])["false_positive"]
    assert by_code(score_run(later))[township_a.organisation_code].score == 100
