"""三员: each administrator group reaches its own screens and is refused the others' (through the admin views)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.security.models import AuditEntry
from cms.security.roles import AUDIT_ADMIN, ROLE_PERMISSIONS, SECURITY_ADMIN, SYSTEM_ADMIN
from tests.factories import UserFactory, log_in, make_content


def in_group(name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=name))
    return user


def refused(response):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")
    )


@pytest.fixture
def screens(portal):
    target = UserFactory(username="target")
    article = make_content(portal["a"], title="一篇信息")
    site = portal["home"].get_site()
    return {
        "audit": reverse("security_audit:index"),
        "register": reverse("workflows_register:index"),
        "user_edit": reverse("wagtailusers_users:edit", args=[target.pk]),
        "group_edit": reverse("wagtailusers_groups:edit", args=[Group.objects.get(name=AUDIT_ADMIN).pk]),
        "page_edit": reverse("wagtailadmin_pages:edit", args=[article.pk]),
        "settings": reverse("wagtailsettings:edit", args=["site_pages", "portalsettings", site.pk]),
        "units": reverse("units:index"),
        "tamper": reverse("tamper_findings:index"),
    }


def test_groups_hold_exactly_the_documented_permissions(db):
    for name, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")}
        assert held == set(perms), name


def test_audit_administrator(client, screens):
    log_in(client, in_group(AUDIT_ADMIN, "shenji"))
    assert client.get(screens["audit"]).status_code == 200
    assert client.get(screens["register"]).status_code == 200
    for name in ("user_edit", "group_edit", "page_edit", "settings", "units", "tamper"):
        assert refused(client.get(screens[name])), name
    assert refused(client.post(screens["group_edit"], {"name": "审计管理员"}))


def test_system_administrator(client, screens):
    log_in(client, in_group(SYSTEM_ADMIN, "xitong"))
    for name in ("user_edit", "settings", "units"):
        assert client.get(screens[name]).status_code == 200, name
    for name in ("audit", "group_edit", "page_edit", "tamper"):
        assert refused(client.get(screens[name])), name


def test_security_administrator(client, screens):
    log_in(client, in_group(SECURITY_ADMIN, "anquan"))
    assert client.get(screens["tamper"]).status_code == 200
    for name in ("audit", "user_edit", "group_edit", "page_edit", "settings", "units"):
        assert refused(client.get(screens[name])), name


def test_joining_an_administrator_group_is_audited(db):
    someone = UserFactory(username="someone")
    group = Group.objects.get(name=AUDIT_ADMIN)
    someone.groups.add(group)
    entry = AuditEntry.objects.filter(action="permission.group_membership", object_id=str(someone.pk)).latest("pk")
    assert AUDIT_ADMIN in entry.detail
