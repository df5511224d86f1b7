"""Disclosure checks: pending items against their 20-working-day due date, open requests against the statute.

2026-11-02 (Monday) + 20 working days = 2026-11-30, counted by hand (no holiday in November 2026).
"""

import datetime

import pytest

from cms.inspection.checks import disclosure
from cms.inspection.findings import InspectionContext
from disclosure.models import DisclosureItem
from disclosure.requests.choices import Status
from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue
from tests.disclosure.test_requests_clock import make_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

BASIS = datetime.date(2026, 11, 2)


def run(function, day, unit_code=None):
    return list(function(InspectionContext(as_of=day, unit_code=unit_code)))


@pytest.fixture
def section(home, township_a, county_office):
    _catalogue, proactive = build_catalogue(home, county_office)
    return unit_catalogue(proactive, township_a, "sy")


@pytest.mark.parametrize(
    "day, severity",
    [
        (datetime.date(2026, 11, 20), None),
        (datetime.date(2026, 11, 23), "warning"),
        (datetime.date(2026, 11, 30), "warning"),
        (datetime.date(2026, 12, 1), "finding"),
    ],
)
def test_pending_item_against_its_due_date(section, township_a, township_b, day, severity):
    item = make_item(section, title="2026年预算公开", publish=False, written=BASIS, owning_unit=township_a)
    make_item(section, title="已按时公开", written=BASIS, owning_unit=township_a)
    found = run(disclosure.disclosure_overdue, day)
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity:
        assert found[0].kind == "disclosure_overdue"
        assert found[0].unit == township_a.organisation_code
        assert found[0].object.endswith(f"/pages/{item.pk}/edit/")
        assert "《2026年预算公开》2026-11-02" in found[0].detail and "2026-11-30" in found[0].detail
    assert run(disclosure.disclosure_overdue, day, township_b.organisation_code) == []


def test_a_published_item_changed_since_counts_from_its_change(section, township_a):
    item = make_item(section, title="已公开后变更", written=datetime.date(2026, 9, 1), owning_unit=township_a)
    item.changed_date = BASIS
    item.save_revision()
    # The row's publication date wins over the revision's: published in September, changed in November.
    DisclosureItem.objects.filter(pk=item.pk).update(published_date=datetime.date(2026, 9, 10))
    found = run(disclosure.disclosure_overdue, datetime.date(2026, 12, 1))
    assert len(found) == 1 and "《已公开后变更》2026-11-02" in found[0].detail


@pytest.mark.parametrize(
    "day, severity, text",
    [
        (datetime.date(2026, 11, 20), None, ""),
        (datetime.date(2026, 11, 23), "warning", "剩余 5 个工作日"),
        (datetime.date(2026, 11, 30), "warning", "剩余 0 个工作日"),
        (datetime.date(2026, 12, 1), "finding", "已超期 1 个工作日"),
    ],
)
def test_open_request_against_its_statutory_deadline(township_a, day, severity, text):
    request = make_request(BASIS, township_a)
    make_request(BASIS, township_a, status=Status.ANSWERED, answered_on=datetime.date(2026, 12, 2))
    found = run(disclosure.request_overdue, day)
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity:
        assert found[0].kind == "request_overdue" and found[0].unit == township_a.organisation_code
        assert request.receipt_number in found[0].detail and text in found[0].detail
        assert "张三" not in found[0].detail


def test_requests_awaiting_supplement_are_not_late(township_a, township_b):
    make_request(BASIS, township_a, status=Status.SUPPLEMENT)
    make_request(BASIS, township_b)
    found = run(disclosure.request_overdue, datetime.date(2026, 12, 1), township_a.organisation_code)
    assert found == []
