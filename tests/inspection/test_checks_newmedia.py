"""New-media checks of the quarterly inspection, each at its boundaries."""

import datetime

import pytest
from django.utils import timezone

from cms.inspection.checks import newmedia
from cms.inspection.findings import InspectionContext
from newmedia.models import AccountEvent, AccountStatus, EventKind, NewMediaAccount, Platform, PlatformException

pytestmark = pytest.mark.usefixtures("shared_portal")

AS_OF = datetime.date(2026, 12, 3)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def account(unit, name, platform=Platform.WECHAT, status=AccountStatus.ACTIVE, **fields):
    return NewMediaAccount.objects.create(unit=unit, platform=platform, name=name, status=status, **fields)


def run(function, unit_code=None):
    return list(function(InspectionContext(as_of=AS_OF, unit_code=unit_code)))


@pytest.mark.parametrize(
    "days, severity",
    [(9, None), (10, "warning"), (13, "warning"), (14, "finding"), (15, "finding")],
)
def test_stale_at_fourteen_days_warning_from_ten(township_a, days, severity):
    account(township_a, "石羊镇发布", last_updated_at=at(AS_OF - datetime.timedelta(days=days)))
    found = run(newmedia.newmedia_stale)
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity:
        assert found[0].kind == "newmedia_stale"
        assert found[0].unit == township_a.organisation_code
        assert f"已 {days} 天未更新" in found[0].detail
        assert (AS_OF - datetime.timedelta(days=days)).isoformat() in found[0].detail


def test_stale_counts_from_opening_and_skips_closed_accounts_and_other_units(township_a, township_b):
    account(township_a, "石羊镇发布", opened_on=AS_OF - datetime.timedelta(days=20))
    account(township_a, "石羊镇", platform=Platform.WEIBO, status=AccountStatus.CLOSING)
    account(township_b, "龙台镇发布", last_updated_at=at(AS_OF - datetime.timedelta(days=30)))
    found = run(newmedia.newmedia_stale, township_a.organisation_code)
    assert len(found) == 1
    assert "开通（2026-11-13）以来未发文" in found[0].detail


def test_filing_unacknowledged_after_five_working_days(township_a):
    subject = account(township_a, "石羊镇发布")
    # 2026-11-25 (Wednesday) + 5 working days = 2026-12-02: late on the 3rd, not on the 2nd.
    late = AccountEvent.objects.create(
        account=subject, kind=EventKind.CHANGE_APPROVED, filed=True, created_at=at(datetime.date(2026, 11, 25))
    )
    AccountEvent.objects.create(
        account=subject, kind=EventKind.ACTIVATED, filed=True, created_at=at(datetime.date(2026, 11, 26))
    )
    AccountEvent.objects.create(
        account=subject,
        kind=EventKind.APPLIED,
        filed=True,
        created_at=at(datetime.date(2026, 11, 1)),
        supervisor_ack_at=at(datetime.date(2026, 11, 2)),
        cyberspace_ack_at=at(datetime.date(2026, 11, 2)),
    )
    found = run(newmedia.newmedia_unfiled)
    assert [f.data["event"] for f in found] == [late.pk]
    assert "变更批准" in found[0].detail and "2026-11-25" in found[0].detail
    assert "县政府办（备案）、县委网信办（抄送）未签收" in found[0].detail


def test_duplicates_unless_excepted(township_a, township_b):
    account(township_a, "石羊镇发布")
    account(township_a, "石羊镇政务")
    account(township_a, "石羊镇", platform=Platform.WEIBO)
    account(township_b, "龙台镇发布")
    account(township_b, "龙台镇政务")
    PlatformException.objects.create(
        unit=township_b, platform=Platform.WECHAT, document_number="安府办〔2026〕1号", approved_on=AS_OF
    )
    found = run(newmedia.newmedia_duplicate)
    assert len(found) == 1
    assert found[0].unit == township_a.organisation_code
    assert "2 个账号" in found[0].detail and "“石羊镇发布”" in found[0].detail


def test_three_notices_and_closure_notice_past_its_end(township_a):
    account(township_a, "石羊镇发布", provincial_notice_count=2)
    three = account(township_a, "石羊镇", platform=Platform.WEIBO, provincial_notice_count=3)
    account(
        township_a,
        "石羊镇抖音",
        platform=Platform.DOUYIN,
        status=AccountStatus.CLOSING,
        notice_start=datetime.date(2026, 11, 1),
        notice_end=AS_OF,
    )
    past = account(
        township_a,
        "石羊镇快手",
        platform=Platform.KUAISHOU,
        status=AccountStatus.CLOSING,
        notice_start=datetime.date(2026, 11, 1),
        notice_end=AS_OF - datetime.timedelta(days=1),
    )
    found = run(newmedia.newmedia_notices)
    assert [f.object.split("/")[-2] for f in found] == [str(three.pk), str(past.pk)]
    assert "通报 3 次" in found[0].detail
    assert "2026-12-02" in found[1].detail and found[1].object.endswith("#closure")
    assert len({f.key for f in found}) == 2
