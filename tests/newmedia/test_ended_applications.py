"""Applications that end before the account opens: refused by 资阳市政府办公室 or withdrawn; final, filed, and no
obstacle to a new application of the unit."""

import datetime

import pytest
from django.urls import reverse

from newmedia import checks, filings, lifecycle
from newmedia.lifecycle import LifecycleError
from newmedia.models import AccountStatus, ChangeStatus, EventKind, NewMediaAccount, Platform
from tests.factories import log_in

from .conftest import active, applied, submitted

pytestmark = pytest.mark.usefixtures("shared_portal")

REFUSAL_NUMBER = "资府办函〔2026〕30号"


def refused(message, function, *args, **kwargs):
    with pytest.raises(LifecycleError) as error:
        function(*args, **kwargs)
    assert message in str(error.value)


def rejected(township, people):
    account = submitted(applied(township, people["officer"]), people)
    return lifecycle.reject_application(
        account, people["supervisor"], REFUSAL_NUMBER, datetime.date(2026, 4, 1), "功能定位与已有账号重复"
    )


def withdrawn(township, people):
    return lifecycle.withdraw_application(applied(township, people["officer"]), people["head"], "并入已有账号")


def test_the_refusal_ends_the_application_and_is_filed_to_both_offices(township_a, people):
    account = rejected(township_a, people)
    account.refresh_from_db()
    assert account.status == AccountStatus.REJECTED
    event = account.events.get(kind=EventKind.REJECTED)
    assert (event.from_status, event.to_status, event.user) == (
        AccountStatus.APPLIED,
        AccountStatus.REJECTED,
        people["supervisor"],
    )
    assert (event.document_number, event.comment, event.details) == (
        REFUSAL_NUMBER,
        "功能定位与已有账号重复",
        {"rejected_on": "2026-04-01"},
    )
    assert event.filed
    assert event in filings.inbox(people["supervisor"]) and event in filings.inbox(people["cyberspace"])


def test_the_refusal_is_recorded_only_by_the_offices_after_the_submission(township_a, people):
    account = applied(township_a, people["officer"])
    args = (REFUSAL_NUMBER, datetime.date(2026, 4, 1), "理由")
    refused(
        "方可登记资阳市政府办公室的不予批准决定", lifecycle.reject_application, account, people["supervisor"], *args
    )
    submitted(account, people)
    for who in ("officer", "head", "cyberspace"):
        refused("只能由县政府办或电子政务外网管理办公室登记", lifecycle.reject_application, account, people[who], *args)
    supervisor = people["supervisor"]
    refused(
        "不予批准决定的文号", lifecycle.reject_application, account, supervisor, " ", datetime.date(2026, 4, 1), "理由"
    )
    refused("不予批准决定的日期", lifecycle.reject_application, account, supervisor, REFUSAL_NUMBER, None, "理由")
    refused(
        "不予批准的理由",
        lifecycle.reject_application,
        account,
        supervisor,
        REFUSAL_NUMBER,
        datetime.date(2026, 4, 1),
        "",
    )
    account.refresh_from_db()
    assert (account.status, account.events.filter(kind=EventKind.REJECTED).count()) == (AccountStatus.APPLIED, 0)
    lifecycle.record_approval(account, supervisor, "资府办函〔2026〕12号", datetime.date(2026, 3, 2))
    refused("已获批复”，不能登记不予批准决定", lifecycle.reject_application, account, supervisor, *args)


def test_the_head_or_an_office_withdraws_before_the_account_opens(township_a, people):
    account = withdrawn(township_a, people)
    account.refresh_from_db()
    event = account.events.get(kind=EventKind.WITHDRAWN)
    assert (account.status, event.comment, event.user, event.filed) == (
        AccountStatus.WITHDRAWN,
        "并入已有账号",
        people["head"],
        True,
    )
    registered = submitted(applied(township_a, people["officer"], Platform.WEIBO, "石羊镇发布"), people)
    lifecycle.record_approval(registered, people["supervisor"], "资府办函〔2026〕13号", datetime.date(2026, 3, 2))
    lifecycle.record_national_registration(registered, people["operator"], datetime.date(2026, 3, 5))
    for who in ("officer", "outsider", "cyberspace"):
        refused("主要负责人", lifecycle.withdraw_application, registered, people[who], "不再需要")
    refused("请填写撤回开设申请的理由", lifecycle.withdraw_application, registered, people["operator"], "  ")
    lifecycle.withdraw_application(registered, people["operator"], "单位撤并")
    assert registered.status == AccountStatus.WITHDRAWN


def test_a_running_account_is_closed_not_withdrawn(township_a, people):
    account = active(township_a, people)
    refused("只有开通前的开设申请可以撤回", lifecycle.withdraw_application, account, people["head"], "不再需要")
    assert NewMediaAccount.objects.get(pk=account.pk).status == AccountStatus.ACTIVE


ENDINGS = [(rejected, AccountStatus.REJECTED), (withdrawn, AccountStatus.WITHDRAWN)]


@pytest.mark.parametrize(("end", "final"), ENDINGS)
def test_an_ended_application_takes_no_further_step(township_a, people, end, final):
    account = end(township_a, people)
    status = account.get_status_display()
    day = datetime.date(2026, 5, 1)
    steps = [
        (lifecycle.review_application, (people["operator"],)),
        (lifecycle.submit_for_approval, (people["supervisor"],)),
        (lifecycle.record_approval, (people["supervisor"], "资府办函〔2026〕40号", day)),
        (lifecycle.reject_application, (people["supervisor"], "资府办函〔2026〕40号", day, "理由")),
        (lifecycle.withdraw_application, (people["head"], "理由")),
        (lifecycle.record_national_registration, (people["operator"], day)),
        (lifecycle.activate, (people["supervisor"], day)),
        (lifecycle.start_closure, (people["head"], "low_attention", day, day)),
        (lifecycle.deregister, (people["supervisor"], day)),
        (lifecycle.record_notice, (people["operator"], day, None, "川办通〔2026〕1号")),
    ]
    events = account.events.count()
    for function, args in steps:
        with pytest.raises(LifecycleError) as error:
            function(account, *args)
        assert status in str(error.value) or "严禁先开设账号后报批" in str(error.value), function.__name__
    refused(
        f"账号当前状态为“{status}”，不能申请变更", lifecycle.request_change, account, people["officer"], name="石羊镇"
    )
    account.refresh_from_db()
    assert (account.events.count(), account.status) == (events, final)


def test_a_pending_change_lapses_with_the_application(township_a, people):
    account = applied(township_a, people["officer"])
    change = lifecycle.request_change(account, people["officer"], name="石羊镇政务")
    lifecycle.withdraw_application(account, people["supervisor"], "单位不再开设")
    refused("已撤回”，不能批准变更", lifecycle.approve_change, change, people["supervisor"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    assert NewMediaAccount.objects.get(pk=account.pk).name == "石羊镇人民政府"


@pytest.mark.parametrize(("end", "final"), ENDINGS)
def test_the_unit_applies_again_under_the_same_name_on_the_same_platform(township_a, people, end, final):
    ended = end(township_a, people)
    again = applied(township_a, people["officer"])
    assert (again.pk != ended.pk, again.status, again.name, again.platform) == (
        True,
        AccountStatus.APPLIED,
        ended.name,
        ended.platform,
    )
    assert checks.duplicate_accounts() == []
    assert NewMediaAccount.objects.get(pk=ended.pk).status == final


def action(client, account, name, data):
    return client.post(reverse("newmedia_accounts:action", args=[account.pk, name]), data)


def page(client, account):
    response = client.get(reverse("newmedia_accounts:inspect", args=[account.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_refusal_through_the_view_for_the_offices_only(client, township_a, people):
    account = submitted(applied(township_a, people["officer"]), people)
    refusal = {"document_number": REFUSAL_NUMBER, "rejected_on": "2026-04-01", "comment": "功能定位重复"}
    reject_url = reverse("newmedia_accounts:action", args=[account.pk, "reject"])
    log_in(client, people["officer"])
    assert reject_url not in page(client, account)
    response = action(client, account, "reject", refusal)
    assert response.status_code == 200
    assert "不予批准决定只能由县政府办或电子政务外网管理办公室登记" in response.content.decode()
    log_in(client, people["supervisor"])
    assert reject_url in page(client, account)
    response = action(client, account, "reject", {**refusal, "comment": ""})
    assert response.status_code == 200 and "请填写不予批准的理由" in response.content.decode()
    assert NewMediaAccount.objects.get(pk=account.pk).status == AccountStatus.APPLIED
    assert action(client, account, "reject", refusal).status_code == 302
    assert NewMediaAccount.objects.get(pk=account.pk).status == AccountStatus.REJECTED
    html = page(client, account)
    assert "该开设申请未获批准，已经终止" in html and "不予批准登记" in html and REFUSAL_NUMBER in html
    response = action(client, account, "reject", refusal)
    assert response.status_code == 200 and "账号当前状态为“未获批准”，不能登记不予批准决定" in response.content.decode()


def test_the_withdrawal_through_the_view_for_the_head_and_the_offices(client, township_a, people):
    account = applied(township_a, people["officer"])
    withdraw_url = reverse("newmedia_accounts:action", args=[account.pk, "withdraw"])
    log_in(client, people["officer"])
    assert withdraw_url not in page(client, account)
    response = action(client, account, "withdraw", {"reason": "不再需要"})
    assert response.status_code == 200 and "撤回开设申请须由本单位主要负责人办理" in response.content.decode()
    log_in(client, people["head"])
    response = action(client, account, "withdraw", {"reason": ""})
    assert response.status_code == 200 and "请填写撤回开设申请的理由" in response.content.decode()
    log_in(client, people["outsider"])
    assert action(client, account, "withdraw", {"reason": "不再需要"}).status_code == 404
    log_in(client, people["head"])
    assert withdraw_url in page(client, account)
    assert action(client, account, "withdraw", {"reason": "并入已有账号"}).status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.WITHDRAWN
    assert withdraw_url not in page(client, account)
    response = action(client, account, "withdraw", {"reason": "再次撤回"})
    assert response.status_code == 200 and "只有开通前的开设申请可以撤回" in response.content.decode()
    log_in(client, people["officer"])
    html = page(client, account)
    assert "该开设申请已撤回，已经终止" in html and reverse("newmedia_accounts:add") in html


def test_a_running_account_is_not_withdrawn_through_the_view(client, township_a, people):
    account = active(township_a, people)
    log_in(client, people["supervisor"])
    response = action(client, account, "withdraw", {"reason": "不再需要"})
    assert response.status_code == 200 and "只有开通前的开设申请可以撤回" in response.content.decode()
    assert NewMediaAccount.objects.get(pk=account.pk).status == AccountStatus.ACTIVE
