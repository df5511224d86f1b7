"""The annual assessment (年度考核): four quarters' scores and the accountability cases of article 34.

A unit's final score is the mean of its scores in the quarters of the year that have a run, less its
accountability deductions (each case its category's ``DeductionRule.points``, at most ``cap`` per category),
floored at 0; a unit with no quarter recorded starts from 100. A quarter in which the unit was vetoed is
named; such a unit ranks after the others.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from cms.organisation.models import Unit

from .annual_models import AccountabilityCase, AnnualAssessment
from .scoring import QUARTERS, quarter_results, rules_by_kind

CENT = Decimal("0.01")


def case_deductions(cases, rules):
    """Total points the cases cost, capped per category."""
    spent = defaultdict(Decimal)
    for case in cases:
        rule = rules.get(case.category)
        if rule is None:
            continue
        room = rule.points if rule.cap is None else max(Decimal("0"), min(rule.points, rule.cap - spent[case.category]))
        spent[case.category] += room
    return sum(spent.values(), Decimal("0"))


@transaction.atomic
def assess_year(year):
    """Computes and stores every unit's assessment for `year`; returns them best first."""
    results = quarter_results(year)
    quarters = defaultdict(dict)
    vetoed = defaultdict(list)
    for quarter, scores in results.items():
        for score in scores:
            quarters[score.unit_code][quarter] = score.score
            if score.vetoed:
                vetoed[score.unit_code].append(quarter)
    cases = defaultdict(list)
    for case in AccountabilityCase.objects.filter(year=year).select_related("unit"):
        cases[case.unit.organisation_code].append(case)
    units = Unit.objects.in_bulk(set(quarters) | set(cases), field_name="organisation_code")
    rules = rules_by_kind()
    now = timezone.now()
    kept = []
    for code, unit in units.items():
        scores = quarters.get(code, {})
        mean = sum(scores.values(), Decimal("0")) / len(scores) if scores else Decimal("100")
        deduction = case_deductions(cases.get(code, []), rules)
        final = max(Decimal("0"), mean - deduction).quantize(CENT, rounding=ROUND_HALF_UP)
        assessment, _created = AnnualAssessment.objects.update_or_create(
            year=year,
            unit=unit,
            defaults={
                **{quarter.lower(): scores.get(quarter) for quarter in QUARTERS},
                "vetoed_quarters": ",".join(vetoed.get(code, [])),
                "accountability": deduction,
                "final_score": final,
                "computed_at": now,
            },
        )
        kept.append(assessment.pk)
    AnnualAssessment.objects.filter(year=year).exclude(pk__in=kept).delete()
    return ranked(year)


def ranked(year):
    """The stored assessments of `year`, best first: units never vetoed, then by final score."""
    assessments = AnnualAssessment.objects.filter(year=year).select_related("unit")
    return sorted(assessments, key=lambda a: (bool(a.vetoed_quarters), -a.final_score, a.unit.name))
