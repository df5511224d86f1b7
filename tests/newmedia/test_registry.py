"""The new-media registry's admin for the system administrator: applications, duplicates, the 口令更换 mark."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.security.roles import SYSTEM_ADMIN
from newmedia.models import AccountStatus, NewMediaAccount
from tests.factories import UserFactory, log_in

from .conftest import active


@pytest.fixture
def system_admin(db):
    user = UserFactory(username="xitong_nm")
    user.groups.add(Group.objects.get(name=SYSTEM_ADMIN))
    return user


def form(unit, **fields):
    return {
        "platform": "wechat",
        "name": "石羊镇人民政府",
        "account_id": "",
        "unit": unit.pk,
        "justification": "镇政务公开需要",
        **fields,
    }


def test_system_administrator_registers_an_application(client, system_admin, township_a):
    log_in(client, system_admin)
    response = client.post(reverse("newmedia_accounts:add"), form(township_a))
    assert response.status_code == 302
    account = NewMediaAccount.objects.get()
    assert (str(account), account.status) == ("微信公众号：石羊镇人民政府", AccountStatus.APPLIED)
    listing = client.get(reverse("newmedia_accounts:index"))
    assert "石羊镇人民政府" in listing.content.decode()


def test_the_same_name_on_one_platform_is_refused(client, system_admin, township_a, township_b):
    NewMediaAccount.objects.create(platform="wechat", name="石羊镇人民政府", unit=township_b)
    log_in(client, system_admin)
    response = client.post(reverse("newmedia_accounts:add"), form(township_a))
    assert response.status_code == 200
    assert "已登记同名" in response.content.decode()
    assert NewMediaAccount.objects.count() == 1


def test_recording_the_password_change_clears_the_mark(client, system_admin, township_a):
    account = NewMediaAccount.objects.create(
        platform="douyin", name="石羊镇", unit=township_a, status="active", password_change_required=True
    )
    log_in(client, system_admin)
    response = client.post(
        reverse("newmedia_accounts:edit", args=[account.pk]),
        {"name": "石羊镇", "account_id": "", "verified_entity": "", "purpose": "", "last_updated_at": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert not account.password_change_required
    assert account.password_changed_at is not None


def test_only_an_entry_without_records_can_be_deleted(client, system_admin, township_a, people):
    account = active(township_a, people)
    events = account.events.count()
    mistaken = NewMediaAccount.objects.create(platform="weibo", name="石羊镇误录", unit=township_a)
    log_in(client, system_admin)
    delete = reverse("newmedia_accounts:delete", args=[account.pk])
    assert delete not in client.get(reverse("newmedia_accounts:edit", args=[account.pk])).content.decode()
    for response in (client.get(delete), client.post(delete)):
        assert response.status_code == 302
        assert response["Location"] == reverse("newmedia_accounts:inspect", args=[account.pk])
    page = client.get(reverse("newmedia_accounts:inspect", args=[account.pk])).content.decode()
    assert "已有办理记录或发文，不能删除" in page
    assert account.events.count() == events
    mistaken_delete = reverse("newmedia_accounts:delete", args=[mistaken.pk])
    assert mistaken_delete in client.get(reverse("newmedia_accounts:edit", args=[mistaken.pk])).content.decode()
    assert client.post(mistaken_delete).status_code == 302
    assert not NewMediaAccount.objects.filter(pk=mistaken.pk).exists()
