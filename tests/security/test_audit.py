"""The audit log: what is written, that it cannot be changed, the report and the archive command."""

import datetime
import gzip
import hashlib
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from cms.security import audit
from cms.security.models import AuditEntry, AuditImmutableError
from cms.security.roles import AUDIT_ADMIN, SYSTEM_ADMIN
from site_pages.models import PortalSettings
from tests.factories import PASSWORD, MembershipFactory, UserFactory, log_in, make_content, member
from workflows import api


@pytest.fixture
def reviewers(township_a):
    return {
        "info_officer": member(township_a, "info_officer", username="sy_xinxiyuan"),
        "deputy_head": member(township_a, "deputy_head", username="sy_fenguan"),
    }


@pytest.fixture
def draft(portal, reviewers):
    page = make_content(portal["a"], title="石羊镇召开春耕生产工作会", text="会议部署了春耕备耕工作。", publish=False)
    page.save_revision(user=reviewers["info_officer"])
    return page


def entries(action, **filters):
    return AuditEntry.objects.filter(action=action, **filters)


@pytest.fixture
def auditor(db):
    user = UserFactory(username="shenji")
    user.groups.add(Group.objects.get(name=AUDIT_ADMIN))
    return user


# What is written


def test_login_is_logged_with_address(client, db):
    user = UserFactory(username="zhangsan")
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    entry = entries("login").get()
    assert entry.user == user
    assert entry.username == "zhangsan"
    assert entry.ip_address == "10.1.2.3"
    assert entry.result == AuditEntry.Result.SUCCESS


def test_failed_login_keeps_the_name_but_never_the_password(client, db):
    UserFactory(username="lisi")
    client.post(
        reverse("wagtailadmin_login"), {"username": "lisi", "password": "wrong-Secret-77"}, REMOTE_ADDR="10.9.9.9"
    )
    entry = entries("login_failed").get()
    assert entry.username == "lisi"
    assert entry.user is None
    assert entry.result == AuditEntry.Result.FAILURE
    assert entry.ip_address == "10.9.9.9"
    stored = json.dumps([entry.detail, entry.data, entry.object_repr], ensure_ascii=False)
    assert "wrong-Secret-77" not in stored


def test_group_membership_and_permission_changes_are_logged(db):
    user = UserFactory(username="wangwu")
    group = Group.objects.get(name=SYSTEM_ADMIN)
    user.groups.add(group)
    entry = entries("permission.group_membership", object_id=str(user.pk)).latest("pk")
    assert SYSTEM_ADMIN in entry.detail and "增加" in entry.detail
    group.user_set.remove(user)
    entry = entries("permission.group_membership", object_id=str(user.pk)).latest("pk")
    assert "移除" in entry.detail
    perm = Permission.objects.get(codename="view_auditentry")
    group.permissions.add(perm)
    assert "security.view_auditentry" in entries("permission.group_permissions").latest("pk").detail
    user.user_permissions.add(perm)
    assert entries("permission.user_permissions", object_id=str(user.pk)).exists()
    user.is_superuser = True
    user.save()
    flags = entries("permission.user_flags", object_id=str(user.pk)).get()
    assert flags.data == {"is_superuser": True}


def test_a_fixture_load_restores_relations_without_logging_them_as_changes(db, tmp_path):
    """loaddata saves raw and then sets each object's relations: like its raw saves, that is no permission change."""
    user = UserFactory(username="zhaoliu")
    group = Group.objects.create(name="恢复测试组")
    perm = Permission.objects.get(codename="view_auditentry")
    group.permissions.add(perm)
    user.groups.add(group)
    user.user_permissions.add(perm)
    fixture = tmp_path / "restore.json"
    fixture.write_text(serializers.serialize("json", [group, user]), encoding="utf-8")
    group.permissions.clear()
    user.groups.clear()
    user.user_permissions.clear()
    relations = ("permission.group_permissions", "permission.group_membership", "permission.user_permissions")
    logged = AuditEntry.objects.filter(action__in=relations).count()
    call_command("loaddata", str(fixture), verbosity=0)
    assert list(user.groups.all()) == [group] and list(group.permissions.all()) == [perm]
    assert list(user.user_permissions.all()) == [perm]
    assert AuditEntry.objects.filter(action__in=relations).count() == logged
    # The same objects changed afterwards are logged again.
    restored = type(user).objects.get(pk=user.pk)
    restored.groups.remove(group)
    assert entries("permission.group_membership", object_id=str(user.pk)).latest("pk").detail.startswith("移除")


def test_membership_and_page_grants_are_logged(portal, township_a):
    membership = MembershipFactory(unit=township_a, role="head")
    created = entries("permission.membership").latest("pk")
    assert created.detail.startswith("设立")
    assert created.data["role"] == "head"
    membership.delete()
    assert entries("permission.membership").latest("pk").detail.startswith("撤销")
    grant = GroupPagePermission.objects.filter(page=portal["a"]).first()
    grant.delete()
    assert entries("permission.page").latest("pk").detail.startswith("收回")


def test_publish_and_workflow_approve_are_copied_from_wagtail(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    assert entries("wagtail.workflow.start", object_id=str(draft.pk)).get().user == reviewers["info_officer"]
    api.approve(draft, reviewers["info_officer"], comment="同意", checked=api.checklist_for(draft))
    approve = entries("wagtail.workflow.approve", object_id=str(draft.pk), user=reviewers["info_officer"]).get()
    assert approve.user == reviewers["info_officer"]
    assert approve.detail == "同意"
    assert approve.data["wagtail_log"]["model"] == "wagtailcore.pagelogentry"
    article = make_content(draft.get_parent(), title="直接发布")
    assert entries("wagtail.publish", object_id=str(article.pk)).exists()
    article.unpublish()
    assert entries("wagtail.unpublish", object_id=str(article.pk)).exists()


def test_settings_change_through_the_admin_is_logged(client, home):
    admin = UserFactory(username="xitong", is_superuser=True)
    log_in(client, admin)
    settings_obj = PortalSettings.for_site(home.get_site())
    url = reverse("wagtailsettings:edit", args=["site_pages", "portalsettings", home.get_site().pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    field = "icp_number"
    data[field] = "川ICP备00000000号-9"
    data["site_name"] = "安岳县人民政府"
    response = client.post(url, data, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    entry = entries("settings.change", object_id=str(settings_obj.pk)).latest("pk")
    assert entry.user == admin
    assert entry.ip_address == "10.0.0.8"
    assert entry.data[field]["new"] == "川ICP备00000000号-9"


def test_record_api_for_other_apps(db):
    user = UserFactory(username="zhaoliu")
    request = RequestFactory().get("/admin/", REMOTE_ADDR="192.0.2.5")
    request.user = user
    entry = audit.record("personal_data.export", request=request, obj=user, detail="导出申请人信息")
    assert (entry.user, entry.ip_address, entry.object_id, entry.detail) == (
        user,
        "192.0.2.5",
        str(user.pk),
        "导出申请人信息",
    )
    with pytest.raises(ValueError, match="未登记的审计事件类型"):
        audit.record("export_everything")
    with pytest.raises(ValueError, match="无效的审计结果"):
        audit.record("lockout", result="maybe")


# Immutability


def test_entries_cannot_be_changed_or_deleted_through_the_orm(db):
    entry = audit.record("lockout", detail="连续5次失败")
    entry.detail = "改写"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="改写")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.bulk_update([entry], ["detail"])
    assert AuditEntry.objects.get(pk=entry.pk).detail == "连续5次失败"


def test_no_permission_to_change_or_delete_exists(db):
    assert not Permission.objects.filter(
        content_type__app_label="security", codename__in=["add_auditentry", "change_auditentry", "delete_auditentry"]
    ).exists()


def test_admin_has_no_edit_or_delete_urls_and_refuses_posts(client, auditor, db):
    entry = audit.record("lockout")
    superuser = UserFactory(username="root", is_superuser=True)
    for user in (auditor, superuser):
        log_in(client, user)
        for path in (f"/admin/audit/{entry.pk}/", f"/admin/audit/{entry.pk}/edit/", f"/admin/audit/{entry.pk}/delete/"):
            assert client.get(path).status_code == 404
            assert client.post(path, {"detail": "x"}).status_code == 404
        assert client.post(reverse("security_audit:index"), {"detail": "x"}).status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


# The report


def test_report_filters_searches_and_exports(client, auditor):
    audit.write("login_failed", username="guest1", result="failure")
    audit.write("login_failed", username="guest2", result="failure")
    audit.record("lockout", detail="锁定 guest1")
    log_in(client, auditor)
    url = reverse("security_audit:index")
    response = client.get(url, {"action": "login_failed", "username": "guest1"})
    assert response.status_code == 200
    listed = list(response.context["object_list"])
    assert [e.username for e in listed] == ["guest1"]
    response = client.get(url, {"q": "锁定"})
    assert [e.action for e in response.context["object_list"]] == ["lockout"]
    response = client.get(url, {"result": "failure", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "guest2" in body and "登录失败" in body and "锁定 guest1" not in body
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_time_range_filter(client, auditor):
    old = audit.write("lockout", timestamp=timezone.now() - datetime.timedelta(days=10))
    audit.write("unlock")
    log_in(client, auditor)
    day = timezone.localdate() - datetime.timedelta(days=10)
    response = client.get(
        reverse("security_audit:index"), {"timestamp_from": day.isoformat(), "timestamp_to": day.isoformat()}
    )
    assert [e.pk for e in response.context["object_list"]] == [old.pk]


# Archive


def test_archive_round_trip(tmp_path, db):
    now = timezone.now()
    old = [
        audit.write("login_failed", username=f"old{i}", timestamp=now - datetime.timedelta(days=200 + i))
        for i in range(3)
    ]
    young = audit.write("login_failed", username="young", timestamp=now - datetime.timedelta(days=100))
    call_command("archive_audit", "--output", str(tmp_path))
    manifests = list(tmp_path.glob("*.manifest.json"))
    assert len(manifests) == 1
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    archive_file = tmp_path / manifest["file"]
    assert hashlib.sha256(archive_file.read_bytes()).hexdigest() == manifest["sha256"]
    with gzip.open(archive_file, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert sorted(r["username"] for r in rows) == ["old0", "old1", "old2"]
    assert manifest["count"] == 3
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEntry.objects.filter(pk=young.pk).exists()
    archived = entries("audit.archive").get()
    assert manifest["sha256"] in archived.detail


def test_archive_refuses_entries_inside_retention(tmp_path, db):
    recent = audit.write("lockout", timestamp=timezone.now() - datetime.timedelta(days=30))
    too_late = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    with pytest.raises(CommandError, match="至少保存180天"):
        call_command("archive_audit", "--before", too_late, "--output", str(tmp_path))
    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("archive_audit", "--before", "2025/01/01", "--output", str(tmp_path))
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert list(tmp_path.iterdir()) == []
