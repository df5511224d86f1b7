"""Filing (备案, 抄送): both offices see each filed step, acknowledge it, and late ones are listed."""

import datetime

import pytest
from django.utils import timezone

from newmedia import filings, lifecycle
from newmedia.models import AccountEvent, EventKind

from .conftest import active


def test_filed_steps_reach_both_offices_until_each_acknowledges(township_a, people):
    account = active(township_a, people)
    filed = set(account.events.filter(filed=True).values_list("kind", flat=True))
    assert filed == {EventKind.APPLIED, EventKind.ACTIVATED}
    for office in ("supervisor", "cyberspace"):
        assert set(filings.inbox(people[office]).values_list("kind", flat=True)) == filed
    assert not filings.inbox(people["officer"]).exists()
    opening = account.events.get(kind=EventKind.ACTIVATED)
    filings.acknowledge(opening, people["supervisor"])
    assert opening not in filings.inbox(people["supervisor"])
    assert opening in filings.inbox(people["cyberspace"])
    filings.acknowledge(opening, people["cyberspace"])
    opening.refresh_from_db()
    assert opening.acknowledged
    assert (opening.supervisor_ack_by, opening.cyberspace_ack_by) == (people["supervisor"], people["cyberspace"])


def test_acknowledgement_refusals(township_a, people):
    account = active(township_a, people)
    opening = account.events.get(kind=EventKind.ACTIVATED)
    with pytest.raises(filings.FilingError, match="只有县政府办（备案）和县委网信办（抄送）"):
        filings.acknowledge(opening, people["operator"])
    filings.acknowledge(opening, people["supervisor"])
    with pytest.raises(filings.FilingError, match="本单位已签收"):
        filings.acknowledge(opening, people["supervisor"])
    with pytest.raises(filings.FilingError, match="无须备案"):
        filings.acknowledge(account.events.get(kind=EventKind.APPROVED), people["supervisor"])


def test_every_opening_change_closure_and_deregistration_is_filed(township_a, people, monkeypatch):
    account = active(township_a, people)
    change = lifecycle.request_change(account, people["officer"], account_id="gh_shiyang")
    lifecycle.approve_change(change, people["operator"])
    lifecycle.start_closure(
        account, people["head"], "no_original", datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    )
    lifecycle.deregister(account, people["officer"], datetime.date(2026, 12, 1))
    filed = list(account.events.filter(filed=True).order_by("created_at", "pk").values_list("kind", flat=True))
    assert filed == [
        EventKind.APPLIED,
        EventKind.ACTIVATED,
        EventKind.CHANGE_APPROVED,
        EventKind.CLOSURE_STARTED,
        EventKind.DEREGISTERED,
    ]


def test_unacknowledged_filings_older_than_five_working_days(township_a, people):
    account = active(township_a, people)
    opening = account.events.get(kind=EventKind.ACTIVATED)
    # Friday 2026-09-25 is the Mid-Autumn holiday; National Day closes 1-7 October; Saturday 10 October is worked.
    AccountEvent.objects.filter(pk=opening.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 9, 25, 10, 0))
    )
    AccountEvent.objects.filter(account=account).exclude(pk=opening.pk).update(filed=False)
    assert filings.overdue(datetime.date(2026, 10, 7)) == []  # 28, 29, 30 September: 3 working days
    assert filings.overdue(datetime.date(2026, 10, 9)) == []  # 8 and 9 October: the 5th working day
    assert filings.overdue(datetime.date(2026, 10, 10)) == [opening]  # the 6th, a Saturday worked
    filings.acknowledge(opening, people["supervisor"])
    assert filings.overdue(datetime.date(2026, 10, 12)) == [opening]
    filings.acknowledge(opening, people["cyberspace"])
    assert filings.overdue(datetime.date(2026, 10, 12)) == []
