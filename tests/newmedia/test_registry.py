"""The new-media registry's admin: the system administrator keeps it; duplicates are refused in Chinese."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cms.security.roles import SYSTEM_ADMIN
from newmedia.models import NewMediaAccount
from tests.factories import UserFactory, log_in


@pytest.fixture
def system_admin(db):
    user = UserFactory(username="xitong_nm")
    user.groups.add(Group.objects.get(name=SYSTEM_ADMIN))
    return user


def form(unit, **fields):
    return {"platform": "wechat", "name": "安岳发布", "account_id": "", "unit": unit.pk, "status": "active", **fields}


def test_system_administrator_registers_an_account(client, system_admin, township_a):
    log_in(client, system_admin)
    response = client.post(reverse("newmedia_accounts:add"), form(township_a))
    assert response.status_code == 302
    account = NewMediaAccount.objects.get()
    assert str(account) == "微信公众号：安岳发布"
    listing = client.get(reverse("newmedia_accounts:index"))
    assert "安岳发布" in listing.content.decode()


def test_the_same_name_on_one_platform_is_refused(client, system_admin, township_a):
    NewMediaAccount.objects.create(platform="wechat", name="安岳发布", unit=township_a)
    log_in(client, system_admin)
    response = client.post(reverse("newmedia_accounts:add"), form(township_a))
    assert response.status_code == 200
    assert "已登记同名" in response.content.decode()
    assert NewMediaAccount.objects.count() == 1


def test_an_editor_cannot_open_the_registry(client, editor_a):
    log_in(client, editor_a)
    assert client.get(reverse("newmedia_accounts:index")).status_code in (302, 403)


def test_recording_the_password_change_clears_the_mark(client, system_admin, township_a):
    account = NewMediaAccount.objects.create(
        platform="douyin", name="石羊镇", unit=township_a, password_change_required=True
    )
    log_in(client, system_admin)
    response = client.post(
        reverse("newmedia_accounts:edit", args=[account.pk]),
        form(township_a, platform="douyin", name="石羊镇", last_updated_at=""),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert not account.password_change_required
    assert account.password_changed_at is not None


def test_demo_registry_is_seeded_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    accounts = NewMediaAccount.objects.select_related("responsible", "deputy")
    assert accounts.count() == 4
    wechat = accounts.get(name="石羊镇人民政府")
    assert (wechat.responsible.username, wechat.deputy.username) == ("sy_info_officer", "sy_deputy_head")
