"""The statutory clock of 依申请公开: receipt, 补正 (restart), 延期 (head only), 征求第三方意见 (pause).

Expected dates are counted by hand from the State Council's 2026 holiday notice (Spring Festival
15-23 Feb with make-up Saturdays 14 and 28 Feb; 中秋 25 Sep; National Day 1-7 Oct with make-up
Saturday 10 Oct; 清明 4-6 Apr), not computed with the code under test.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.requests import services
from disclosure.requests.choices import Outcome, OutcomeReason, Status
from disclosure.requests.clock import request_clock
from disclosure.requests.models import DisclosureRequest
from disclosure.requests.services import RequestError
from tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def make_request(received, unit=None, **fields):
    from disclosure.requests.clock import effective_receipt

    values = {
        "applicant_type": "citizen",
        "applicant_category": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "description": "请公开2025年石羊镇道路建设项目的招标文件。",
        "response_form": "electronic",
        "delivery_method": "email",
        "email": "a@example.invalid",
        "received_on": received,
        "clock_start": effective_receipt(received),
        "handling_unit": unit,
        **fields,
    }
    item = DisclosureRequest(**values)
    item.issue_receipt()
    item.save()
    return item


def fresh(item):
    return DisclosureRequest.objects.get(pk=item.pk)


@pytest.fixture
def unit():
    return UnitFactory()


@pytest.fixture
def head(unit):
    return member(unit, "head")


@pytest.fixture
def officer(unit):
    return member(unit, "info_officer")


@pytest.mark.parametrize(
    ("received", "supplement_due", "answer_due"),
    [
        # Friday before the Spring Festival: the make-up Saturday 14 Feb counts, 15-23 Feb do not.
        (date(2026, 2, 13), date(2026, 3, 2), date(2026, 3, 19)),
        # Received on a holiday: counting starts from the next working day (24 Feb) as the receipt date.
        (date(2026, 2, 15), date(2026, 3, 4), date(2026, 3, 23)),
        # Before 中秋 and National Day; the make-up Saturday 10 Oct counts.
        (date(2026, 9, 23), date(2026, 10, 10), date(2026, 10, 28)),
    ],
)
def test_deadlines_across_2026_holidays(received, supplement_due, answer_due):
    clock = request_clock(make_request(received), today=received)
    assert clock.supplement_due.due == supplement_due
    assert clock.due.due == answer_due
    assert not clock.provisional


def test_deadline_into_2027_is_provisional():
    # 2027 has no official data: 1 Jan 2027 (a Friday) counts as a working day, and the due date is flagged.
    clock = request_clock(make_request(date(2026, 12, 14)), today=date(2026, 12, 14))
    assert clock.due.due == date(2027, 1, 11)
    assert clock.provisional
    assert clock.due.provisional_years == (2027,)


def test_deadline_inside_2026_is_not_provisional():
    clock = request_clock(make_request(date(2026, 11, 2)), today=date(2026, 11, 2))
    assert clock.due.due == date(2026, 11, 30)
    assert not clock.provisional


def test_supplement_stops_then_restarts_the_clock(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    assert request_clock(item, today=date(2026, 3, 2)).due.due == date(2026, 3, 30)
    services.request_supplement(item, officer, date(2026, 3, 5), "请写明所需文件的名称或文号。")
    item = fresh(item)
    assert item.status == Status.SUPPLEMENT
    assert request_clock(item).due is None  # no answer clock while waiting for the applicant
    # The supplement arrives on a Saturday: the 20 days count afresh from Monday 16 March.
    services.receive_supplement(item, officer, date(2026, 3, 14))
    item = fresh(item)
    assert item.status == Status.RECEIVED
    assert item.clock_start == date(2026, 3, 16)
    assert request_clock(item, today=date(2026, 3, 16)).due.due == date(2026, 4, 14)
    assert [e.action for e in item.events.all()] == ["supplement_requested", "supplement_received"]
    assert item.events.last().actor == officer


def test_supplement_notice_after_seven_working_days_is_refused(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    with pytest.raises(RequestError, match="7个工作日内"):
        services.request_supplement(item, officer, date(2026, 3, 12), "请补正。")
    services.request_supplement(item, officer, date(2026, 3, 11), "请补正。")  # the 7th working day is fine


def test_supplement_only_once(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    services.request_supplement(item, officer, date(2026, 3, 3), "请补正。")
    services.receive_supplement(fresh(item), officer, date(2026, 3, 4))
    with pytest.raises(RequestError, match="一次性告知"):
        services.request_supplement(fresh(item), officer, date(2026, 3, 5), "请再补正。")


def test_extension_by_head_adds_up_to_twenty_working_days(unit, head):
    item = make_request(date(2026, 3, 2), unit)
    services.approve_extension(item, head, date(2026, 3, 20), 20, "需调取档案。")
    item = fresh(item)
    # 40 working days after 2 March, skipping 清明 (4-6 April).
    assert request_clock(item, today=date(2026, 3, 20)).due.due == date(2026, 4, 28)
    assert item.extension_approved_by == head
    assert item.events.last().action == "extended"


@pytest.mark.parametrize("role", ["deputy_head", "info_officer", "section_chief"])
def test_extension_refused_for_anyone_but_the_head(unit, role):
    item = make_request(date(2026, 3, 2), unit)
    with pytest.raises(RequestError, match="主要负责人"):
        services.approve_extension(item, member(unit, role), date(2026, 3, 20), 10, "理由")


def test_extension_refused_for_superuser_and_for_another_units_head(unit):
    item = make_request(date(2026, 3, 2), unit)
    with pytest.raises(RequestError, match="主要负责人"):
        services.approve_extension(item, UserFactory(is_superuser=True), date(2026, 3, 20), 10, "理由")
    with pytest.raises(RequestError, match="主要负责人"):
        services.approve_extension(item, member(UnitFactory(), "head"), date(2026, 3, 20), 10, "理由")


def test_extension_once_within_limits_and_before_due(unit, head):
    item = make_request(date(2026, 3, 2), unit)
    with pytest.raises(RequestError, match="1至20"):
        services.approve_extension(item, head, date(2026, 3, 20), 21, "理由")
    with pytest.raises(RequestError, match="届满"):
        services.approve_extension(item, head, date(2026, 3, 31), 10, "理由")
    services.approve_extension(item, head, date(2026, 3, 30), 5, "理由")  # on the due date itself
    with pytest.raises(RequestError, match="只能延长一次"):
        services.approve_extension(fresh(item), head, date(2026, 3, 30), 5, "理由")


def test_consultation_time_is_not_counted(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    services.start_consultation(item, officer, date(2026, 3, 9), "某建筑公司")
    item = fresh(item)
    assert item.status == Status.CONSULTING
    paused = request_clock(item, today=date(2026, 3, 11))
    assert paused.paused and not paused.overdue
    services.end_consultation(item, officer, date(2026, 3, 13))
    item = fresh(item)
    clock = request_clock(item, today=date(2026, 3, 13))
    assert clock.paused_days == 4  # 10-13 March
    assert clock.due.due == date(2026, 4, 3)


def test_consultation_beyond_fifteen_working_days_counts_again(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    services.start_consultation(item, officer, date(2026, 3, 2), "某建筑公司")
    services.end_consultation(fresh(item), officer, date(2026, 5, 29))
    assert request_clock(fresh(item)).paused_days == 15


def test_overdue_flag(unit):
    item = make_request(date(2026, 3, 2), unit)
    assert not request_clock(item, today=date(2026, 3, 30)).overdue
    late = request_clock(item, today=date(2026, 3, 31))
    assert late.overdue and late.days_left == -1


def reply():
    return SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_answer_records_outcome_and_archive(unit, officer):
    item = make_request(date(2026, 3, 2), unit)
    services.answer(item, officer, date(2026, 3, 25), Outcome.UNABLE, reply(), outcome_reason=OutcomeReason.NOT_HELD)
    item = fresh(item)
    assert item.status == Status.ANSWERED and item.answered_on == date(2026, 3, 25)
    assert not request_clock(item).overdue
    services.archive(item, officer)
    assert fresh(item).status == Status.ARCHIVED
    assert [e.action for e in item.events.all()][-2:] == ["answered", "archived"]


@pytest.mark.parametrize(
    ("outcome", "withholding", "reason", "message"),
    [
        (Outcome.WITHHELD, "", "", "不予公开理由"),
        (Outcome.UNABLE, "", "", "具体情形"),
        (Outcome.NOT_PROCESSED, "", OutcomeReason.NOT_HELD, "具体情形"),
        (Outcome.DISCLOSED, "state_secret", "", "只有“不予公开”"),
        (Outcome.DISCLOSED, "", OutcomeReason.REPEATED, "不需要"),
        (Outcome.OTHER, "", OutcomeReason.NO_SUPPLEMENT, "逾期不补正"),
    ],
)
def test_answer_refuses_inconsistent_reasons(unit, officer, outcome, withholding, reason, message):
    item = make_request(date(2026, 3, 2), unit)
    with pytest.raises(RequestError, match=message):
        services.answer(item, officer, date(2026, 3, 5), outcome, reply(), withholding, reason)


def test_answer_requires_unit_and_document(unit, officer):
    with pytest.raises(RequestError, match="分办"):
        services.answer(make_request(date(2026, 3, 2)), officer, date(2026, 3, 5), Outcome.DISCLOSED, reply())
    with pytest.raises(RequestError, match="答复书"):
        services.answer(make_request(date(2026, 3, 2), unit), officer, date(2026, 3, 5), Outcome.DISCLOSED, None)


def test_receipt_numbers_are_sequential_per_year():
    first, second = make_request(date(2026, 3, 2)), make_request(date(2026, 3, 3))
    assert first.receipt_number.startswith("YSQ2026-")
    assert int(second.receipt_number[-5:]) == int(first.receipt_number[-5:]) + 1
