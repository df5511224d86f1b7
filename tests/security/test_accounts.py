"""Accounts (issue 5 §1): password policy, expiry and forced change, lockout and unlock, two-factor
authentication, idle timeout. Everything goes through the admin's real login and forms."""

import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.security import login as security_login
from cms.security.models import AuditEntry, PasswordHistory, PasswordState
from cms.security.roles import AUDIT_ADMIN, SECURITY_ADMIN
from tests.factories import PASSWORD, UserFactory, log_in, member

pytestmark = pytest.mark.usefixtures("shared_portal")

LOGIN = "/admin/login/"
User = get_user_model()


def entries(action, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def login(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def unthrottle(device):
    """After a wrong code django-otp makes the next attempt wait; the tests do not sleep through it."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def superuser_verified(db):
    """A superuser whose session the test opens directly (force_login), as after a full sign-in."""
    return UserFactory(username="chaoguan", is_superuser=True)


@pytest.fixture
def editor(township_a):
    return member(township_a, "info_officer", username="xinxiyuan")


@pytest.fixture
def head(township_a):
    return member(township_a, "head", username="zhuyao")


# --- Password policy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!xyz", "太短"),
        ("abcdefghijk", "至少 3 类"),
        ("abcdefgh12345", "至少 3 类"),
        ("Xinxiyuan-2026", "不能包含用户名"),
        ("Password123", "太常见"),
        ("1234567890123", "至少 3 类"),
    ],
)
def test_each_strength_rule_is_refused_in_chinese(editor, password, fragment):
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=editor)
    assert any(fragment in message for message in error.value.messages), error.value.messages


def test_a_strong_password_passes(editor):
    validate_password("Qing-Shan-77lu", user=editor)


def test_none_of_the_last_five_passwords_may_be_reused(editor):
    chosen = [f"Anyue-Lemon-{n}x" for n in range(6)]
    for password in chosen:
        validate_password(password, user=editor)
        editor.set_password(password)
        editor.save()
    assert PasswordHistory.objects.filter(user=editor).count() == 5
    for recent in chosen[1:]:
        with pytest.raises(ValidationError) as error:
            validate_password(recent, user=editor)
        assert "最近 5 次" in error.value.messages[0]
    # The sixth-newest has left the history.
    validate_password(chosen[0], user=editor)


def test_accounts_older_than_the_history_cannot_keep_their_password(editor):
    PasswordHistory.objects.filter(user=editor).delete()
    with pytest.raises(ValidationError):
        validate_password(PASSWORD, user=editor)


def test_wagtail_user_forms_apply_the_policy_on_the_server(client, editor, superuser_verified):
    log_in(client, superuser_verified)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "xinren",
            "email": "xinren@example.invalid",
            "first_name": "新",
            "last_name": "人",
            "password1": "xinren2026",
            "password2": "xinren2026",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="xinren").exists()
    assert "至少 3 类" in response.content.decode() or "用户名" in response.content.decode()


def test_the_own_password_change_applies_the_policy(client, editor):
    log_in(client, editor)
    url = reverse("security_password_change")
    response = client.post(url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "太短" in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "最近 5 次" in response.content.decode()
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Ling-Jiao-2026", "new_password2": "Ling-Jiao-2026"}
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Ling-Jiao-2026")
    assert entries("password.change", user=editor).exists()


# --- Expiry and forced change ----------------------------------------------------------------------


def age_password(user, days):
    PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now() - timedelta(days=days)})


def test_an_expired_password_must_be_changed_before_any_admin_page(client, editor):
    age_password(editor, 91)
    log_in(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("security_password_change"))
    page = client.get(response["Location"])
    assert "超过 90 天" in page.content.decode()
    client.post(
        response["Location"],
        {"old_password": PASSWORD, "new_password1": "Hong-Qiao-2026", "new_password2": "Hong-Qiao-2026"},
    )
    assert client.get("/admin/").status_code == 200


def test_reminder_from_fifteen_days_before_expiry(client, editor):
    age_password(editor, 80)
    response = login(client, editor.username)
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert "过期（还剩 9 天）" in page.content.decode()


def test_no_reminder_long_before_expiry(client, editor):
    age_password(editor, 30)
    response = login(client, editor.username)
    page = client.get(response["Location"], follow=True)
    assert "过期" not in page.content.decode()


def test_expiry_reminder_command_mails_once(editor, mailoutbox):
    age_password(editor, 80)
    call_command("remind_password_expiry", stdout=io.StringIO())
    call_command("remind_password_expiry", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [editor.email]
    assert "密码将于" in mailoutbox[0].body


def test_account_created_by_an_administrator_changes_its_password_at_first_login(client, superuser_verified):
    log_in(client, superuser_verified)
    group = Group.objects.create(name="新账号组")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "chuci",
            "email": "chuci@example.invalid",
            "first_name": "初",
            "last_name": "次",
            "password1": "Chu-Ci-Deng-Lu-1",
            "password2": "Chu-Ci-Deng-Lu-1",
            "groups": [group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new_user = User.objects.get(username="chuci")
    assert PasswordState.objects.get(user=new_user).must_change

    client.logout()
    response = login(client, "chuci", "Chu-Ci-Deng-Lu-1")
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("security_password_change"))
    page = client.get(response["Location"])
    assert "由管理员设置" in page.content.decode()
    client.post(
        reverse("security_password_change"),
        {"old_password": "Chu-Ci-Deng-Lu-1", "new_password1": "Zi-Ji-De-Mi-Ma-2", "new_password2": "Zi-Ji-De-Mi-Ma-2"},
    )
    assert not PasswordState.objects.get(user=new_user).must_change
    assert client.get("/admin/").status_code == 200


def test_administrator_reset_forces_a_change_and_is_audited(client, editor, superuser_verified):
    log_in(client, superuser_verified)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        {
            "username": editor.username,
            "email": editor.email,
            "first_name": "信",
            "last_name": "息员",
            "password1": "Chong-Zhi-Mi-Ma-9",
            "password2": "Chong-Zhi-Mi-Ma-9",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PasswordState.objects.get(user=editor).must_change
    entry = entries("password.admin_reset").get()
    assert entry.user == superuser_verified
    assert entry.object_id == str(editor.pk)


# --- Lockout and unlock ----------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_with_the_right_password(client, editor):
    for _attempt in range(5):
        assert login(client, editor.username, "Wrong-pass-123").status_code in (200, 429)
    response = login(client, editor.username, address="10.0.0.99")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    lockout = entries("lockout").latest("pk")
    assert lockout.username == editor.username
    assert lockout.result == AuditEntry.Result.FAILURE


def test_four_failures_do_not_lock(client, editor):
    for _attempt in range(4):
        login(client, editor.username, "Wrong-pass-123")
    assert login(client, editor.username).status_code == 302


def test_five_failures_from_one_address_lock_the_address(client, editor):
    for n in range(5):
        login(client, f"guess{n}", "Wrong-pass-123", address="198.51.100.7")
    assert login(client, editor.username, address="198.51.100.7").status_code == 429
    assert login(client, editor.username, address="198.51.100.8").status_code == 302


@pytest.fixture
def security_admin(db):
    return in_group(UserFactory(username="anquan"), SECURITY_ADMIN)


def test_security_administrator_unlocks_and_it_is_audited(client, editor, security_admin):
    for _attempt in range(5):
        login(client, editor.username, "Wrong-pass-123")
    assert login(client, editor.username).status_code == 429

    admin_client = type(client)()
    log_in(admin_client, security_admin)
    page = admin_client.get(reverse("security_login_protection"))
    assert page.status_code == 200
    assert editor.username in page.content.decode()
    response = admin_client.post(
        reverse("security_login_protection"), {"action": "unlock_user", "value": editor.username}
    )
    assert response.status_code == 302
    assert entries("unlock", user=security_admin).exists()
    assert login(client, editor.username).status_code == 302


def test_unlocking_nothing_says_so(client, security_admin):
    log_in(client, security_admin)
    response = client.post(
        reverse("security_login_protection"), {"action": "unlock_address", "value": "192.0.2.1"}, follow=True
    )
    assert "当前没有被锁定" in response.content.decode()
    assert not entries("unlock").exists()


def test_auditor_and_editor_cannot_unlock(client, editor):
    auditor = in_group(UserFactory(username="shenji"), AUDIT_ADMIN)
    for user in (auditor, editor):
        log_in(client, user)
        assert client.get(reverse("security_login_protection")).status_code in (302, 403)
        response = client.post(reverse("security_login_protection"), {"action": "unlock_user", "value": "x"})
        assert response.status_code in (302, 403)
        assert not entries("unlock").exists()


# --- Two-factor authentication ---------------------------------------------------------------------


def test_a_reviewer_cannot_sign_in_with_a_password_alone(client, head):
    response = login(client, head.username)
    assert response["Location"] == reverse("security_otp_enrol")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(LOGIN)


def test_enrolment_issues_recovery_codes_and_signs_in(client, head):
    login(client, head.username)
    page = client.get(reverse("security_otp_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "绑定身份验证器" in html and "data:image/svg+xml" in html
    device = TOTPDevice.objects.get(user=head, confirmed=False)

    response = client.post(reverse("security_otp_enrol"), {"token": "000000" if code(device) != "000000" else "1"})
    assert "验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session

    unthrottle(device)
    response = client.post(reverse("security_otp_enrol"), {"token": code(device)})
    assert response["Location"] == reverse("security_recovery_codes")
    page = client.get(response["Location"])
    codes = StaticToken.objects.filter(device__user=head).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(token in page.content.decode() for token in codes)
    # Shown once only.
    assert client.get(reverse("security_recovery_codes")).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert entries("otp.enrol", user=head).exists()


def test_enrolled_reviewer_signs_in_with_a_code(client, head):
    device = enrolled(head)
    response = login(client, head.username)
    assert response["Location"] == reverse("security_otp_verify")
    response = client.post(reverse("security_otp_verify"), {"token": "12345"})
    assert "_auth_user_id" not in client.session
    assert entries("otp.failed", user=head).exists()
    unthrottle(device)
    response = client.post(reverse("security_otp_verify"), {"token": code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(head.pk)
    assert client.get("/admin/").status_code == 200


def test_recovery_code_works_once(client, head):
    enrolled(head)
    from cms.security.twofactor import new_recovery_codes

    first = new_recovery_codes(head)[0]
    login(client, head.username)
    response = client.post(reverse("security_otp_verify"), {"token": first.upper()})
    assert response.status_code == 302
    assert entries("otp.recovery_code", user=head).exists()
    client.logout()
    login(client, head.username)
    client.post(reverse("security_otp_verify"), {"token": first})
    assert "_auth_user_id" not in client.session


def test_superusers_and_the_three_administrators_need_two_factors(client, db):
    for user in (
        UserFactory(username="chaoji", is_superuser=True),
        in_group(UserFactory(username="xitong"), "系统管理员"),
        in_group(UserFactory(username="shenji2"), AUDIT_ADMIN),
    ):
        client.logout()
        assert login(client, user.username)["Location"] == reverse("security_otp_enrol")


def test_an_editor_signs_in_with_a_password(client, editor):
    response = login(client, editor.username)
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_password_only_session_ends_when_its_user_becomes_a_reviewer(client, editor, township_a):
    login(client, editor.username)
    assert client.get("/admin/").status_code == 200
    member_role = editor.memberships.get()
    member_role.role = "head"
    member_role.save()
    response = client.get("/admin/")
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_pending_login_expires(client, head):
    enrolled(head)
    login(client, head.username)
    session = client.session
    session[security_login.PENDING_KEY]["at"] -= security_login.PENDING_SECONDS + 1
    session.save()
    response = client.get(reverse("security_otp_verify"))
    assert response["Location"] == LOGIN


def test_security_administrator_resets_a_lost_authenticator(client, head, security_admin):
    enrolled(head)
    log_in(client, security_admin)
    response = client.post(reverse("security_login_protection"), {"action": "reset_two_factor", "user": head.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=head).exists()
    assert entries("otp.reset", user=security_admin, object_id=str(head.pk)).exists()
    client.logout()
    assert login(client, head.username)["Location"] == reverse("security_otp_enrol")


def test_account_page_shows_status_and_regenerates_codes(client, head):
    enrolled(head)
    log_in(client, head)
    page = client.get(reverse("security_account"))
    assert 'data-otp-status="on"' in page.content.decode()
    response = client.post(reverse("security_recovery_codes"))
    assert response["Location"] == reverse("security_recovery_codes")
    assert StaticToken.objects.filter(device__user=head).count() == 10


# --- Idle timeout ----------------------------------------------------------------------------------


def test_idle_session_is_closed_after_thirty_minutes(client, editor):
    login(client, editor.username)
    assert client.get("/admin/").status_code == 200
    set_last_activity(client, 30 * 60 + 5)
    response = client.get("/admin/")
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert entries("session.timeout", user=editor).exists()


def set_last_activity(client, seconds_ago):
    session = client.session
    session[security_login.LAST_ACTIVITY_KEY] = time.time() - seconds_ago
    session.save()


def test_activity_keeps_the_session_and_the_timeout_is_configurable(client, editor, settings):
    settings.SECURITY_SESSION_IDLE_TIMEOUT = 300
    login(client, editor.username)
    set_last_activity(client, 200)
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[security_login.LAST_ACTIVITY_KEY] < 5
    set_last_activity(client, 301)
    assert client.get("/admin/").status_code == 302


def test_recent_activity_does_not_rewrite_the_session(client, editor):
    login(client, editor.username)
    set_last_activity(client, 10)
    before = client.session[security_login.LAST_ACTIVITY_KEY]
    response = client.get("/admin/")
    assert response.status_code == 200
    assert client.session[security_login.LAST_ACTIVITY_KEY] == before
    assert "sessionid" not in response.cookies


def test_demo_code_command_only_in_the_demo(head, settings):
    device = enrolled(head)
    out = io.StringIO()
    call_command("demo_otp_code", head.username, stdout=out)
    assert out.getvalue().strip() == code(device)
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("demo_otp_code", head.username, stdout=io.StringIO())


# --- 三员 separation in the user admin ------------------------------------------------------------------


def user_form_data(user, groups):
    return {
        "username": user.username,
        "email": user.email or f"{user.username}@example.invalid",
        "first_name": "测",
        "last_name": "试",
        "is_active": "on",
        "groups": [group.pk for group in groups],
    }


def test_one_person_holds_at_most_one_administrator_role(client, editor, superuser_verified):
    log_in(client, superuser_verified)
    roles = Group.objects.filter(name__in=[SECURITY_ADMIN, AUDIT_ADMIN])
    response = client.post(reverse("wagtailusers_users:edit", args=[editor.pk]), user_form_data(editor, roles))
    assert response.status_code == 200
    assert "不得由同一人兼任" in response.content.decode()
    assert not editor.groups.filter(name__in=[SECURITY_ADMIN, AUDIT_ADMIN]).exists()


def test_a_system_administrator_cannot_change_their_own_roles(client, db):
    system_admin = in_group(UserFactory(username="xitong2"), "系统管理员")
    log_in(client, system_admin)
    groups = Group.objects.filter(name__in=["系统管理员", AUDIT_ADMIN])
    response = client.post(
        reverse("wagtailusers_users:edit", args=[system_admin.pk]),
        user_form_data(system_admin, Group.objects.filter(name=AUDIT_ADMIN)),
    )
    assert response.status_code == 200
    assert "不能修改自己的管理员角色" in response.content.decode()
    assert set(system_admin.groups.values_list("name", flat=True)) == {"系统管理员"}
    assert groups.count() == 2


def test_a_superuser_assigns_an_administrator_role_to_someone_else(client, editor, superuser_verified):
    # A system administrator may not (tests/security/test_escalation.py).
    log_in(client, superuser_verified)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_form_data(editor, Group.objects.filter(name=AUDIT_ADMIN)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert editor.groups.filter(name=AUDIT_ADMIN).exists()


def test_resetting_a_user_without_an_authenticator_is_refused(client, editor, security_admin):
    log_in(client, security_admin)
    response = client.post(reverse("security_login_protection"), {"action": "reset_two_factor", "user": editor.pk})
    assert response.status_code == 200
    assert "没有绑定身份验证器" in response.content.decode()
    assert not entries("otp.reset").exists()
