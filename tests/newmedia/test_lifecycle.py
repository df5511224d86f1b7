"""The lifecycle through its functions: every allowed step, each refusal with its Chinese message."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from newmedia import filings, lifecycle
from newmedia.lifecycle import LifecycleError
from newmedia.models import (
    AccountStatus,
    ChangeStatus,
    EventKind,
    NewMediaAccount,
    Platform,
    PlatformException,
    PlatformOption,
)

from .conftest import active, applied, submitted

pytestmark = pytest.mark.usefixtures("shared_portal")


def refused(message, function, *args, **kwargs):
    with pytest.raises(LifecycleError) as error:
        function(*args, **kwargs)
    assert message in str(error.value)


def test_opening_approval_registration_activation(township_a, people):
    account = applied(township_a, people["officer"])
    assert account.status == AccountStatus.APPLIED
    lifecycle.review_application(account, people["operator"], "名称、主体符合要求")
    lifecycle.submit_for_approval(account, people["supervisor"])
    assert account.status == AccountStatus.APPLIED
    lifecycle.record_approval(account, people["supervisor"], "资府办函〔2026〕12号", datetime.date(2026, 3, 2))
    assert account.status == AccountStatus.APPROVED
    lifecycle.record_national_registration(account, people["operator"], datetime.date(2026, 3, 5))
    assert account.status == AccountStatus.REGISTERED
    lifecycle.activate(account, people["officer"], opened_on=datetime.date(2026, 3, 6))
    account.refresh_from_db()
    assert (account.status, account.opened_on) == (AccountStatus.ACTIVE, datetime.date(2026, 3, 6))
    kinds = list(account.events.order_by("created_at", "pk").values_list("kind", "user__username", "filed"))
    assert kinds == [
        (EventKind.APPLIED, "sy_nm_xxy", True),
        (EventKind.REVIEWED, "dzzw_nm", False),
        (EventKind.SUBMITTED, "xzfb_nm", False),
        (EventKind.APPROVED, "xzfb_nm", False),
        (EventKind.REGISTERED, "dzzw_nm", False),
        (EventKind.ACTIVATED, "sy_nm_xxy", True),
    ]
    approval = account.events.get(kind=EventKind.APPROVED)
    assert approval.document_number == "资府办函〔2026〕12号"
    assert (approval.from_status, approval.to_status) == (AccountStatus.APPLIED, AccountStatus.APPROVED)


def test_activation_before_approval_or_registration_is_refused(township_a, people):
    account = applied(township_a, people["officer"])
    refused("严禁先开设账号后报批", lifecycle.activate, account, people["officer"])
    refused("须先登记资阳市政府办公室批复", lifecycle.record_national_registration, account, people["operator"], None)
    submitted(account, people)
    lifecycle.record_approval(account, people["supervisor"], "资府办函〔2026〕12号", datetime.date(2026, 3, 2))
    refused(
        "严禁先开设账号后报批：尚未登记全国政务新媒体信息报送系统报送", lifecycle.activate, account, people["officer"]
    )
    assert account.status == AccountStatus.APPROVED


def test_the_operator_reviews_and_the_supervisor_submits_before_an_approval(township_a, people):
    account = applied(township_a, people["officer"])
    approve = (
        lifecycle.record_approval,
        account,
        people["supervisor"],
        "资府办函〔2026〕3号",
        datetime.date(2026, 3, 2),
    )
    refused("须经电子政务外网管理办公室审核、县政府办报批", *approve)
    refused("须先经电子政务外网管理办公室审核", lifecycle.submit_for_approval, account, people["supervisor"])
    for who in ("officer", "supervisor", "cyberspace"):
        refused("由电子政务外网管理办公室审核", lifecycle.review_application, account, people[who])
    lifecycle.review_application(account, people["operator"])
    refused("已审核", lifecycle.review_application, account, people["operator"])
    refused("须经电子政务外网管理办公室审核、县政府办报批", *approve)
    for who in ("officer", "operator", "cyberspace"):
        refused("由县政府办报资阳市政府办公室审批", lifecycle.submit_for_approval, account, people[who])
    lifecycle.submit_for_approval(account, people["supervisor"])
    refused("已报批", lifecycle.submit_for_approval, account, people["supervisor"])
    approve[0](*approve[1:])
    assert account.status == AccountStatus.APPROVED
    refused("不能审核开设申请", lifecycle.review_application, account, people["operator"])


def test_only_the_offices_record_approvals_and_notices(township_a, people):
    account = applied(township_a, people["officer"])
    refused("批复只能由", lifecycle.record_approval, account, people["officer"], "文号", datetime.date(2026, 1, 1))
    refused("通报只能由", lifecycle.record_notice, account, people["officer"], datetime.date(2026, 1, 1), None, "文号")


def test_another_unit_may_not_apply_for_a_unit(township_a, people):
    refused("只有本单位人员", applied, township_a, people["outsider"])


def test_second_account_on_a_platform_needs_an_exception(township_a, people):
    applied(township_a, people["officer"])
    refused("同一单位在同一平台只能开设一个账号", applied, township_a, people["officer"], name="石羊镇发布")
    PlatformException.objects.create(
        unit=township_a,
        platform=Platform.WECHAT,
        document_number="安府办〔2026〕3号",
        approved_on=datetime.date(2026, 1, 5),
    )
    assert applied(township_a, people["officer"], name="石羊镇发布").status == AccountStatus.APPLIED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("石羊镇张书记说事", "不得使用个人名字或私人称谓"),
        ("石羊镇小编", "不得使用个人名字或私人称谓"),
        ("石羊镇招商活动", "临时性、活动性、专项性"),
        ("石羊镇专项整治", "临时性、活动性、专项性"),
        ("石羊镇临时发布", "临时性、活动性、专项性"),
        ("龙台发布", "须与开设单位相关"),
        ("石羊镇公安", "不得仿冒其他机关"),
        ("石羊镇龙台镇联合", "不得仿冒其他机关"),
    ],
)
def test_unacceptable_names_are_refused(township_a, township_b, people, name, message):
    refused(message, applied, township_a, people["officer"], name=name)


def test_a_staff_members_name_is_personal(township_a, people):
    people["officer"].last_name, people["officer"].first_name = "陈", "晓梅"
    people["officer"].save()
    refused("不得使用个人名字", applied, township_a, people["officer"], name="石羊镇陈晓梅")


@pytest.mark.parametrize("entity", ["张三", "陈晓梅", "石羊镇王某某"])
def test_a_person_as_verified_entity_is_refused(township_a, people, entity):
    refused(
        "必须是机关或单位，不得以个人身份认证",
        lifecycle.apply_for_opening,
        township_a,
        Platform.DOUYIN,
        "石羊镇人民政府",
        people["officer"],
        "需要",
        verified_entity=entity,
    )


def test_campaign_justification_is_not_enough_without_reason(township_a, people):
    refused("请说明开设理由", lifecycle.apply_for_opening, township_a, Platform.WEIBO, "石羊镇", people["officer"], " ")


def test_change_waits_for_approval_and_reruns_checks(township_a, people):
    account = active(township_a, people)
    refused("不得使用个人名字", lifecycle.request_change, account, people["officer"], name="石羊镇李镇长")
    refused("不得以个人身份认证", lifecycle.request_change, account, people["officer"], verified_entity="李四")
    change = lifecycle.request_change(account, people["officer"], name="石羊镇发布", responsible=people["head"])
    account.refresh_from_db()
    assert account.name == "石羊镇人民政府"
    refused("已有待批准的变更申请", lifecycle.request_change, account, people["officer"], account_id="gh_1")
    refused("变更只能由", lifecycle.approve_change, change, people["officer"])
    lifecycle.approve_change(change, people["supervisor"], document_number="安府办〔2026〕8号")
    account.refresh_from_db()
    assert (account.name, account.responsible) == ("石羊镇发布", people["head"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    filing = account.events.get(kind=EventKind.CHANGE_APPROVED)
    assert filing.filed and filing.details["before"]["name"] == "石羊镇人民政府"
    refused("该变更申请已经处理", lifecycle.approve_change, change, people["supervisor"])


def test_closure_by_the_head_then_deregistration_after_the_notice(township_a, people, monkeypatch):
    account = active(township_a, people)
    start, end = datetime.date(2026, 11, 20), datetime.date(2026, 12, 10)
    refused("主要负责人", lifecycle.start_closure, account, people["officer"], "low_attention", start, end)
    refused("第九条", lifecycle.start_closure, account, people["head"], "bored", start, end)
    lifecycle.start_closure(account, people["head"], "low_attention", start, end)
    assert account.status == AccountStatus.CLOSING
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2026, 12, 10))
    refused("公示期内不得注销", lifecycle.deregister, account, people["officer"], datetime.date(2026, 12, 10))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2026, 12, 11))
    lifecycle.deregister(account, people["officer"], datetime.date(2026, 12, 11))
    account.refresh_from_db()
    assert (account.status, account.deregistered_on) == (AccountStatus.DEREGISTERED, datetime.date(2026, 12, 11))
    refused("须先经关停公示", lifecycle.deregister, account, people["officer"], datetime.date(2026, 12, 11))


def test_deregistration_without_closure_is_refused(township_a, people):
    account = active(township_a, people)
    refused("须先经关停公示", lifecycle.deregister, account, people["officer"], datetime.date(2026, 12, 1))


def test_third_notice_flags_forced_closure_and_alerts_the_supervisor(
    township_a, people, django_capture_on_commit_callbacks
):
    account = active(township_a, people)
    people["supervisor"].email = "xzfb@example.invalid"
    people["supervisor"].save()
    for day in (1, 2):
        lifecycle.record_notice(
            account, people["operator"], datetime.date(2026, 6, day), None, f"川办通〔2026〕{day}号"
        )
    assert (account.provincial_notice_count, account.forced_closure) == (2, False)
    refused("请上传通报文件", lifecycle.record_notice, account, people["operator"], datetime.date(2026, 6, 3), None)
    document = ContentFile(b"%PDF-1.4 notice", name="tongbao.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.record_notice(account, people["supervisor"], datetime.date(2026, 6, 3), document)
    account.refresh_from_db()
    assert (account.provincial_notice_count, account.forced_closure) == (3, True)
    flagged = account.events.filter(kind=EventKind.NOTICE).first()
    assert flagged.filed and flagged.document.name.endswith(".pdf")
    assert flagged in filings.inbox(people["supervisor"])
    assert [m.to for m in mail.outbox] == [["xzfb@example.invalid"]]
    assert "强制关停" in mail.outbox[0].subject


def test_platforms_from_the_offices_list(township_a, people):
    bilibili, rednote = PlatformOption.objects.create(name="哔哩哔哩"), PlatformOption.objects.create(name="小红书")

    def apply(name="石羊镇人民政府", **details):
        return lifecycle.apply_for_opening(
            township_a, Platform.OTHER, name, people["officer"], "本镇政务信息发布需要", **details
        )

    refused("平台选“其他”时，请从平台名录中选择平台", apply)
    on_bilibili = apply(other_platform=bilibili)
    assert str(on_bilibili) == "哔哩哔哩：石羊镇人民政府"
    # The same name on another listed platform is the consistency the checks ask for, not a clash.
    assert apply(other_platform=rednote).platform_label == "小红书"
    refused("同一单位在同一平台只能开设一个账号", apply, "石羊镇发布", other_platform=bilibili)
    retired = PlatformOption.objects.create(name="旧平台", active=False)
    refused("平台“旧平台”已在平台名录中停用", apply, other_platform=retired)


def test_approving_a_change_runs_the_checks_again(township_a, township_b, people):
    account = active(township_a, people)
    change = lifecycle.request_change(account, people["officer"], name="石羊镇发布")
    # Meanwhile another account took the name on the platform: the approval is refused and nothing changes.
    NewMediaAccount.objects.create(unit=township_b, platform=Platform.WECHAT, name="石羊镇发布", status="applied")
    refused("该平台已登记同名的政务新媒体账号", lifecycle.approve_change, change, people["supervisor"])
    account.refresh_from_db()
    change.refresh_from_db()
    assert (account.name, change.status) == ("石羊镇人民政府", ChangeStatus.PENDING)
