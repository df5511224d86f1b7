"""The registry's listings and checks: duplicates, inconsistent names, verified entities, password rotation."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.organisation.models import Unit
from cms.security.handover import hand_over
from newmedia import checks, passwords
from newmedia.models import AccountStatus, NewMediaAccount, Platform, PlatformException
from tests.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("shared_portal")


def account(unit, platform, name, status=AccountStatus.ACTIVE, **fields):
    return NewMediaAccount.objects.create(unit=unit, platform=platform, name=name, status=status, **fields)


def test_duplicates_are_listed_unless_approved_or_deregistered(township_a, township_b):
    first = account(township_a, Platform.WECHAT, "石羊镇人民政府")
    second = account(township_a, Platform.WECHAT, "石羊镇发布")
    account(township_a, Platform.WEIBO, "石羊镇人民政府")
    account(township_b, Platform.WECHAT, "龙台镇人民政府")
    account(township_b, Platform.WECHAT, "龙台镇旧号", status=AccountStatus.DEREGISTERED)
    assert checks.duplicate_accounts() == [[first, second]]
    PlatformException.objects.create(
        unit=township_a,
        platform=Platform.WECHAT,
        document_number="安府办〔2026〕3号",
        approved_on=datetime.date(2026, 1, 1),
    )
    assert checks.duplicate_accounts() == []


def test_names_inconsistent_across_a_units_platforms(township_a, township_b):
    wechat = account(township_a, Platform.WECHAT, "石羊镇人民政府")
    douyin = account(township_a, Platform.DOUYIN, "石羊印象")
    account(township_b, Platform.WECHAT, "龙台镇人民政府")
    account(township_b, Platform.WEIBO, "龙台镇人民政府")
    assert checks.inconsistent_names() == [(township_a, [douyin, wechat])]


def test_registered_accounts_failing_the_checks_are_listed(township_a):
    account(township_a, Platform.WECHAT, "石羊镇人民政府", verified_entity="安岳县石羊镇人民政府")
    campaign = account(township_a, Platform.DOUYIN, "石羊镇专项行动", verified_entity="张三")
    account(township_a, Platform.WEIBO, "石羊小编", status=AccountStatus.DEREGISTERED)
    [(found, reasons)] = checks.registered_problems()
    assert found == campaign
    assert any("临时性" in reason for reason in reasons) and any("不得以个人身份认证" in r for r in reasons)


def test_county_units_may_use_the_county_name(county_office, township_a):
    assert checks.name_problems(county_office, "安岳发布") == []
    party_office = Unit(name="中共安岳县委网络安全和信息化委员会办公室", short_name="县委网信办", kind="cyberspace")
    assert checks.county_name(party_office) == "安岳"
    assert "须与开设单位相关" in checks.name_problems(township_a, "安岳发布")[0]


@pytest.mark.parametrize("entity", ["安岳县石羊镇人民政府", "安岳县卫生健康局", "安岳县融媒体中心", ""])
def test_organisations_are_accepted_as_verified_entity(db, entity):
    checks.check_verified_entity(entity)


def test_password_rotation_after_the_period(township_a, editor_a):
    now = timezone.now()
    old = account(
        township_a,
        Platform.WECHAT,
        "石羊镇人民政府",
        responsible=editor_a,
        password_changed_at=now - datetime.timedelta(days=91),
    )
    account(township_a, Platform.WEIBO, "石羊镇", password_changed_at=now - datetime.timedelta(days=89))
    marked = account(township_a, Platform.DOUYIN, "石羊镇政务", password_change_required=True)
    account(township_a, Platform.TOUTIAO, "石羊镇头条", status=AccountStatus.APPLIED)
    assert list(passwords.due_for_change(now)) == [marked, old]
    assert list(passwords.due_for_change(now, days=30)) == [marked, old, NewMediaAccount.objects.get(name="石羊镇")]
    out = io.StringIO()
    call_command("remind_newmedia_passwords", stdout=out)
    assert [m.to for m in mail.outbox] == [[editor_a.email]]
    assert "石羊镇人民政府" in mail.outbox[0].body
    assert "已发送 1 封口令更换提醒，1 个账号无法提醒" in out.getvalue()


def test_when_the_responsible_leaves_the_deputy_then_the_head_is_reminded(township_a):
    responsible = member(township_a, "info_officer", username="sy_nm_leaver")
    deputy = member(township_a, "deputy_head", username="sy_nm_deputy")
    head = member(township_a, "head", username="sy_nm_head")
    account(
        township_a,
        Platform.WECHAT,
        "石羊镇人民政府",
        responsible=responsible,
        deputy=deputy,
        password_changed_at=timezone.now() - datetime.timedelta(days=1),
    )
    hand_over(responsible, UserFactory(username="sy_nm_heir"), reason="调任")
    call_command("remind_newmedia_passwords", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[deputy.email]]
    assert "石羊镇人民政府" in mail.outbox[0].body and "请尽快申请变更责任人" in mail.outbox[0].body
    mail.outbox.clear()
    hand_over(deputy, UserFactory(username="sy_nm_heir2"), reason="退休")
    out = io.StringIO()
    call_command("remind_newmedia_passwords", stdout=out)
    assert [m.to for m in mail.outbox] == [[head.email]]
    assert "已发送 1 封口令更换提醒，0 个账号无法提醒" in out.getvalue()


def test_the_rotation_period_is_a_setting(township_a, settings):
    changed = account(
        township_a, Platform.WECHAT, "石羊镇人民政府", password_changed_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert not passwords.due_for_change().exists()
    settings.NEWMEDIA_PASSWORD_MAX_AGE_DAYS = 30
    assert list(passwords.due_for_change()) == [changed]
