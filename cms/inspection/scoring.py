"""Unit scores of a recorded run (季度得分) and of a year's quarters.

A unit starts at 100 and loses, per finding, its kind's ``DeductionRule.points``, at most ``cap`` per kind;
the score is floored at 0. Warnings and findings marked false positive never deduct. A finding of severity
``veto``, or of a kind whose rule is a veto (warnings aside), vetoes the unit: it is ranked after every unit
that is not vetoed, whatever its points. Findings of the portal as a whole (unit "") count against the unit
that runs the portal (承办单位), as the home page's own findings do.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from cms.organisation.models import Unit, UnitKind

from .findings import Severity
from .runs import InspectionRun
from .scoring_models import DeductionRule

FULL_SCORE = Decimal("100")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@dataclass
class UnitScore:
    unit_code: str
    unit_name: str
    score: Decimal
    deductions: list = field(default_factory=list)  # (finding row, points deducted for it)
    vetoed: bool = False
    rank: int = 0
    praised: bool = False


def portal_unit():
    """The unit answerable for the portal as a whole: the operator (承办单位), else the supervisor."""
    units = Unit.objects.filter(active=True, kind__in=(UnitKind.OPERATOR, UnitKind.SUPERVISOR))
    return min(units, key=lambda unit: (unit.kind != UnitKind.OPERATOR, unit.pk), default=None)


def counts(row):
    """Whether a stored finding row counts against its unit: not a warning, not marked false positive."""
    return row.get("severity") != Severity.WARNING and not row.get("false_positive")


def rules_by_kind():
    return {rule.kind: rule for rule in DeductionRule.objects.all()}


def unit_rows(rows, portal_code):
    """Finding rows by the unit they count against."""
    by_unit = defaultdict(list)
    for row in rows:
        by_unit[row.get("unit") or portal_code].append(row)
    return by_unit


def deduct(rows, rules):
    """(deductions, total, vetoed) for one unit's rows: each counted row with the points it cost."""
    deductions = []
    spent = defaultdict(Decimal)
    vetoed = False
    for row in rows:
        if not counts(row):
            continue
        rule = rules.get(row.get("kind"))
        if row.get("severity") == Severity.VETO or (rule is not None and rule.veto):
            vetoed = True
        points = rule.points if rule is not None else Decimal("0")
        if rule is not None and rule.cap is not None:
            points = max(Decimal("0"), min(points, rule.cap - spent[rule.kind]))
        if rule is not None:
            spent[rule.kind] += points
        deductions.append((row, points))
    return deductions, sum(spent.values(), Decimal("0")), vetoed


def rank(scores):
    """Sorts best first (not vetoed, then by score) and numbers them; equal standing shares a rank."""
    scores.sort(key=lambda s: (s.vetoed, -s.score, s.unit_name))
    previous = None
    for position, score in enumerate(scores, start=1):
        standing = (score.vetoed, score.score)
        if standing != previous:
            score.rank, previous = position, standing
        else:
            score.rank = scores[position - 2].rank
    return scores


def score_run(run):
    """Every active unit's score in `run` (and any other unit it names), ranked best first."""
    portal = portal_unit()
    portal_code = portal.organisation_code if portal else ""
    by_unit = unit_rows(run.findings, portal_code)
    units = {unit.organisation_code: unit for unit in Unit.objects.filter(active=True)}
    units.update(
        (unit.organisation_code, unit)
        for unit in Unit.objects.filter(organisation_code__in=[code for code in by_unit if code not in units])
    )
    codes = set(units) | set(by_unit)
    rules = rules_by_kind()
    scores = []
    for code in codes:
        rows = by_unit.get(code, [])
        deductions, total, vetoed = deduct(rows, rules)
        unit = units.get(code)
        name = unit.name if unit else (code or _("全站"))
        scores.append(
            UnitScore(
                unit_code=code,
                unit_name=name,
                score=max(Decimal("0"), FULL_SCORE - total),
                deductions=deductions,
                vetoed=vetoed,
                praised=not deductions,
            )
        )
    return rank(scores)


def quarter_results(year):
    """{"Q1": [UnitScore, ...], ...} from the quarter's run, for the quarters of `year` that have one."""
    return {quarter: score_run(run) for quarter, run in sorted(InspectionRun.objects.of_year(year).items())}


def quarter_scores(year):
    """{unit code: {"Q1": score, ...}} from the latest run of each quarter of `year` that has one."""
    scores = defaultdict(dict)
    for quarter, results in quarter_results(year).items():
        for result in results:
            scores[result.unit_code][quarter] = result.score
    return dict(scores)
