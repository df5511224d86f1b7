"""The website's veto lines at their thresholds (4 against 5, 9 against 10), over findings built here."""

import pytest

from cms.inspection.findings import Finding, Kind, Severity
from cms.inspection.veto import veto_findings

URL = "http://portal.test/"


def column(kind, n, first_level=False, leaf=True, update_class="monthly"):
    data = {"first_level": first_level, "leaf": leaf, "update_class": update_class, "title": f"栏目{n}"}
    return Finding(kind, "UNIT", f"{URL}col-{n}/", "证据", Severity.FINDING, "规则", data)


def lines(findings, excluded=frozenset()):
    return sorted(f.data["line"] for f in veto_findings(findings, excluded=excluded, url=URL))


@pytest.mark.parametrize(("count", "expected"), [(4, []), (5, ["first-level-columns"])])
def test_first_level_news_and_policy_columns(count, expected):
    classes = ["news", "notice_policy"]
    findings = [
        column(Kind.COLUMN_STALE, n, first_level=True, leaf=False, update_class=classes[n % 2]) for n in range(count)
    ]
    assert lines(findings) == expected


def test_first_level_line_counts_empty_news_columns_but_not_other_classes_or_warnings():
    findings = [column(Kind.COLUMN_EMPTY, n, first_level=True, leaf=False, update_class="news") for n in range(4)]
    findings.append(column(Kind.COLUMN_STALE, 10, first_level=True, leaf=False, update_class="monthly"))
    findings.append(column(Kind.COLUMN_WARNING, 11, first_level=True, leaf=False, update_class="news"))
    assert lines(findings) == []
    findings.append(column(Kind.COLUMN_EMPTY, 12, first_level=True, leaf=False, update_class="notice_policy"))
    assert lines(findings) == ["first-level-columns"]


@pytest.mark.parametrize(("count", "expected"), [(9, []), (10, ["stale-columns"])])
def test_stale_columns_of_any_class(count, expected):
    findings = [column(Kind.COLUMN_STALE, n) for n in range(count)]
    # Container columns are measured over their subcolumns, which are counted already.
    findings.append(column(Kind.COLUMN_STALE, 99, leaf=False))
    assert lines(findings) == expected


@pytest.mark.parametrize(("count", "expected"), [(4, []), (5, ["empty-columns"])])
def test_empty_columns(count, expected):
    findings = [column(Kind.COLUMN_EMPTY, n) for n in range(count)]
    findings += [column(Kind.COLUMN_STALE, 100 + n) for n in range(5)]
    assert lines(findings) == expected


def test_veto_names_the_columns_and_keeps_one_key_per_line():
    findings = [column(Kind.COLUMN_EMPTY, n) for n in range(5)]
    [veto] = veto_findings(findings, url=URL)
    assert veto.kind == Kind.VETO and veto.severity == Severity.VETO and veto.unit == ""
    assert veto.object == f"{URL}#veto-empty-columns" and "栏目0" in veto.detail and "5" in veto.detail
    assert veto.data["objects"] == [f.object for f in findings]


def test_false_positives_do_not_count():
    findings = [column(Kind.COLUMN_EMPTY, n) for n in range(5)]
    assert lines(findings, excluded={findings[0].key}) == []


def test_other_checks_raise_one_veto_per_kind_with_severity_veto():
    letters = [
        Finding(Kind.LETTER_VETO, "U", f"/admin/letters/{n}/", "超三个月", Severity.VETO, "三个月") for n in range(3)
    ]
    overdue = Finding(Kind.LETTER_OVERDUE, "U", "/admin/letters/9/", "超期", Severity.FINDING, "期限")
    slow = Finding(Kind.AVAILABILITY, "", URL, "4%", Severity.WARNING, "5%")
    [veto] = veto_findings([*letters, overdue, slow], url=URL)
    assert veto.data["line"] == Kind.LETTER_VETO and veto.data["count"] == 3
    assert veto.object == f"{URL}#veto-letter_veto" and "三个月" in veto.rule
