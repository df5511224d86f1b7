"""One inspection: every check, the veto lines, and the false-positive marks, ready for the command or the admin.

Runs store nothing, so running twice for the same day gives the same report. A finding whose key an inspector
marked false positive stays in the report, flagged with the reason, and counts toward no veto line.
"""

from dataclasses import dataclass

from .findings import Severity, run_checks
from .models import FalsePositive
from .veto import veto_findings

SEVERITY_ORDER = {Severity.VETO: 0, Severity.FINDING: 1, Severity.WARNING: 2}


@dataclass(frozen=True)
class ReportedFinding:
    finding: object
    false_positive: object = None  # the FalsePositive mark, or None

    def as_dict(self):
        finding = self.finding
        row = {
            "kind": str(finding.kind),
            "unit": finding.unit,
            "object": finding.object,
            "detail": str(finding.detail),
            "severity": str(finding.severity),
            "rule": str(finding.rule),
            "false_positive": self.false_positive is not None,
        }
        if self.false_positive is not None:
            row["false_positive_reason"] = self.false_positive.reason
        return row


def sort_key(finding):
    return (finding.unit, SEVERITY_ORDER.get(finding.severity, 9), finding.kind, finding.object)


def inspect(context):
    """The findings of one inspection, sorted by unit, severity, kind and object.

    With a unit, only that unit's findings: the veto lines are the portal's and need every unit's findings.
    """
    findings = run_checks(context)
    marks = {mark.key: mark for mark in FalsePositive.objects.all()}
    if context.unit_code:
        findings = [f for f in findings if f.unit == context.unit_code]
    else:
        findings += veto_findings(findings, excluded=marks.keys())
    return [ReportedFinding(f, marks.get(f.key)) for f in sorted(findings, key=sort_key)]
