"""No escalation past the 三员 separation (hardening issue §2), through the admin's HTTP views.

The admin routes that act on accounts, groups or unit roles are found by walking the URL resolver and
Wagtail's bulk-action registry: each one must have an escalation attempt below (or be read-only), so a
route added later fails ``test_every_route_acting_on_rights_has_an_attempt`` until it is covered.
Every attempt leaves the rights untouched; the same request by a superuser succeeds, which shows that
the attempt is a well-formed request refused for its rights, not a malformed one.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from modelcluster.fields import ParentalKey
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.organisation.models import Membership, Unit
from cms.security.models import AuditEntry, Handover
from cms.security.roles import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN
from tests.factories import UnitFactory, UserFactory, log_in, member

pytestmark = pytest.mark.usefixtures("shared_portal")

User = get_user_model()
ROLE_MODELS = (User, Group, Membership, Handover)


def rights_models():
    """The models above, and every model whose admin form edits one of them inline (a unit's 人员与角色)."""
    parents = {
        relation.related_model
        for model in ROLE_MODELS
        for relation in model._meta.get_fields()
        if isinstance(relation, ParentalKey)
    }
    return {*ROLE_MODELS, *parents}


# Views that only show things; a POST to them must change nothing either.
READ_ONLY_SUFFIXES = (":index", ":index_results", ":history", ":history_results", ":usage", ":inspect")


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern


def view_model(pattern):
    initkwargs = getattr(pattern.callback, "view_initkwargs", {}) or {}
    return initkwargs.get("model") or getattr(getattr(pattern.callback, "view_class", None), "model", None)


def rights_routes():
    """Names of the admin routes acting on accounts, groups or unit roles, and of the bulk actions on them."""
    names = set()
    for route, name, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or name == "wagtail_bulk_action":
            continue
        if view_model(pattern) in rights_models() or name.startswith(("wagtailusers_users:", "wagtailusers_groups:")):
            names.add(name)
    for model in rights_models():
        for action in bulk_action_registry.get_bulk_actions_for_model(model._meta.app_label, model._meta.model_name):
            names.add(f"bulk:{model._meta.label_lower}:{action.action_type}")
    return sorted(names)


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


def snapshot():
    """Everything that makes up somebody's rights."""
    return {
        "users": set(User.objects.values_list("pk", "is_superuser", "is_active", "email")),
        "members": set(User.groups.through.objects.values_list("user_id", "group_id")),
        "groups": set(Group.objects.values_list("pk", "name")),
        "group_permissions": set(Group.permissions.through.objects.values_list("group_id", "permission_id")),
        "unit_roles": set(Membership.objects.values_list("user_id", "unit_id", "role")),
        "units": set(Unit.objects.values_list("pk", flat=True)),
        "handovers": set(Handover.objects.values_list("pk", flat=True)),
    }


def user_data(user=None, groups=(), **extra):
    data = {
        "username": user.username if user else "xinzhanghao",
        "email": user.email if user else "xinzhanghao@example.invalid",
        "first_name": "测",
        "last_name": "试",
        "is_active": "on",
        "groups": [group.pk for group in groups],
    }
    if user is None:
        data.update(password1="Qw-7821-lanTian!", password2="Qw-7821-lanTian!")
    data.update(extra)
    return data


def current_groups(user):
    return list(user.groups.all())


def group_data(group, permissions):
    data = {"name": group.name, "permissions": [permission.pk for permission in permissions]}
    for prefix in ("page_permissions", "document_permissions", "image_permissions", "collection_permissions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def unit_data(unit, memberships, new_memberships=()):
    rows = [{"id": m.pk, "user": m.user_id, "role": m.role} for m in memberships]
    rows += list(new_memberships)
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "organisation_code": unit.organisation_code,
        "parent": unit.parent_id or "",
        "active": "on",
        "memberships": inline_formset(rows, initial=len(memberships)),
    }
    return nested_form_data(data)


def bulk(client, action, targets, data=None):
    ids = "&".join(f"id={target.pk}" for target in targets)
    return client.post(f"/admin/bulk/auth/user/{action}/?{ids}&next=/admin/users/", data or {})


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def people(township_a):
    change_user = Permission.objects.get(content_type__app_label="auth", codename="change_user")
    change_group = Permission.objects.get(content_type__app_label="auth", codename="change_group")
    user_managers = Group.objects.create(name="用户管理组")
    user_managers.permissions.add(change_user)
    group_managers = Group.objects.create(name="用户组管理组")
    group_managers.permissions.add(
        change_group,
        Permission.objects.get(content_type__app_label="auth", codename="add_group"),
        Permission.objects.get(content_type__app_label="auth", codename="delete_group"),
        Permission.objects.get(codename="access_admin"),
    )
    editors = Group.objects.create(name="编辑组")
    editor = member(township_a, "info_officer", username="bianji")
    auditor = in_group(UserFactory(username="shenji"), AUDIT_ADMIN)
    editors.user_set.add(auditor)
    return {
        "system_admin": in_group(UserFactory(username="xitong"), SYSTEM_ADMIN),
        "group_admin": in_group(UserFactory(username="zuguan"), "用户组管理组"),
        "superuser": UserFactory(username="chaoguan", is_superuser=True),
        "root": UserFactory(username="root", is_superuser=True),
        "auditor": auditor,
        "security_admin": in_group(UserFactory(username="anquan"), SECURITY_ADMIN),
        "editor": editor,
        "successor": member(township_a, "info_officer", username="jieti"),
        "unit": township_a,
        "editors": editors,
        "user_managers": user_managers,
        "change_user": change_user,
        "change_group": change_group,
    }


# Each attempt: (acting user, request). The superuser "root" repeating the request must succeed.
def _users_add(client, p):
    return client.post(reverse("wagtailusers_users:add"), user_data(is_superuser="on"))


def _users_edit(client, p):
    return client.post(
        reverse("wagtailusers_users:edit", args=[p["editor"].pk]),
        user_data(p["editor"], [*current_groups(p["editor"]), Group.objects.get(name=SECURITY_ADMIN)]),
    )


def _users_delete(client, p):
    return client.post(reverse("wagtailusers_users:delete", args=[p["auditor"].pk]))


def _groups_add(client, p):
    return client.post(reverse("wagtailusers_groups:add"), group_data(Group(name="新建管理组"), [p["change_user"]]))


def _groups_edit(client, p):
    # Permissions outside the form's choices (e.g. reading the audit log) are kept by Wagtail's form.
    group = Group.objects.get(name=AUDIT_ADMIN)
    return client.post(reverse("wagtailusers_groups:edit", args=[group.pk]), group_data(group, [p["change_user"]]))


def _groups_delete(client, p):
    return client.post(reverse("wagtailusers_groups:delete", args=[Group.objects.get(name=SECURITY_ADMIN).pk]))


def _memberships_add(client, p):
    return client.post(reverse("memberships:add"), {"user": p["auditor"].pk, "unit": p["unit"].pk, "role": "head"})


def _memberships_edit(client, p):
    theirs = Membership.objects.create(user=p["auditor"], unit=p["unit"], role="info_officer")
    p["setup"] = snapshot()
    return client.post(
        reverse("memberships:edit", args=[theirs.pk]), {"user": theirs.user_id, "unit": p["unit"].pk, "role": "head"}
    )


def _memberships_delete(client, p):
    theirs = Membership.objects.create(user=p["auditor"], unit=p["unit"], role="info_officer")
    p["setup"] = snapshot()
    return client.post(reverse("memberships:delete", args=[theirs.pk]))


def _units_add(client, p):
    unit = UnitFactory.build()
    return client.post(reverse("units:add"), unit_data(unit, [], [{"user": p["auditor"].pk, "role": "head"}]))


def _units_edit(client, p):
    unit = p["unit"]
    existing = list(unit.memberships.all())
    return client.post(
        reverse("units:edit", args=[unit.pk]),
        unit_data(unit, existing, [{"user": p["auditor"].pk, "role": "deputy_head"}]),
    )


def _units_delete(client, p):
    unit = UnitFactory()
    Membership.objects.create(user=p["auditor"], unit=unit, role="info_officer")
    p["setup"] = snapshot()
    return client.post(reverse("units:delete", args=[unit.pk]))


def _handovers_add(client, p):
    return client.post(
        reverse("handovers:add"), {"user": p["auditor"].pk, "successor": p["successor"].pk, "reason": "调任"}
    )


def _bulk_set_active_state(client, p):
    return bulk(client, "set_active_state", [p["superuser"], p["auditor"]], {"mark_as_active": "False"})


def _bulk_assign_role(client, p):
    return bulk(client, "assign_role", [p["editor"]], {"role": Group.objects.get(name=AUDIT_ADMIN).pk})


def _bulk_delete(client, p):
    return bulk(client, "delete", [p["auditor"]])


ATTEMPTS = {
    "wagtailusers_users:add": ("system_admin", _users_add),
    "wagtailusers_users:edit": ("system_admin", _users_edit),
    "wagtailusers_users:delete": ("system_admin", _users_delete),
    "wagtailusers_groups:add": ("group_admin", _groups_add),
    "wagtailusers_groups:edit": ("group_admin", _groups_edit),
    "wagtailusers_groups:delete": ("group_admin", _groups_delete),
    "memberships:add": ("system_admin", _memberships_add),
    "memberships:edit": ("system_admin", _memberships_edit),
    "memberships:delete": ("system_admin", _memberships_delete),
    "units:add": ("system_admin", _units_add),
    "units:edit": ("system_admin", _units_edit),
    "units:delete": ("system_admin", _units_delete),
    "handovers:add": ("system_admin", _handovers_add),
    "bulk:auth.user:set_active_state": ("system_admin", _bulk_set_active_state),
    "bulk:auth.user:assign_role": ("system_admin", _bulk_assign_role),
    "bulk:auth.user:delete": ("system_admin", _bulk_delete),
}
# Routes with no escalation to attempt: a Handover record is never edited or deleted, even by a superuser.
NEVER_ALLOWED = {"handovers:edit", "handovers:delete"}


def refusal_shown(response):
    """The Chinese reason in the form, or in a message after a redirect, or Wagtail's permission refusal."""
    if response.status_code == 403:
        return True
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    if response.status_code == 200:
        texts.append(response.content.decode())
    return any(word in text for text in texts for word in ("超级管理员", "不能", "权限"))


def test_every_route_acting_on_rights_has_an_attempt(db):
    routes = rights_routes()
    assert "wagtailusers_users:edit" in routes and "bulk:auth.user:assign_role" in routes
    uncovered = [
        name
        for name in routes
        if name not in ATTEMPTS and name not in NEVER_ALLOWED and not name.endswith(READ_ONLY_SUFFIXES)
    ]
    assert uncovered == []


@pytest.mark.parametrize("name", rights_routes())
def test_no_route_lets_a_non_superuser_escalate(client, people, name):
    if name in ATTEMPTS:
        actor, attempt = ATTEMPTS[name]
        people["actor"] = people[actor]
        log_in(client, people[actor])
        before = snapshot()
        response = attempt(client, people)
        before = people.pop("setup", before)
        assert refusal_shown(response), (name, response.status_code)
        assert snapshot() == before, name
        return
    # Read-only and never-allowed routes: a system administrator posting escalation data changes nothing.
    route = next(route for route, found, _pattern in walk(get_resolver().url_patterns) if found == name)
    url = "/" + route.replace("<int:pk>", str(people["auditor"].pk))
    log_in(client, people["system_admin"])
    before = snapshot()
    client.post(url, {"is_superuser": "on", "groups": [Group.objects.get(name=AUDIT_ADMIN).pk], "is_active": ""})
    assert snapshot() == before, name


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_the_same_request_by_a_superuser_succeeds(client, people, name):
    _actor, attempt = ATTEMPTS[name]
    people["actor"] = people["root"]
    log_in(client, people["root"])
    before = snapshot()
    response = attempt(client, people)
    before = people.pop("setup", before)
    assert response.status_code == 302, (name, response.content.decode()[:2000])
    assert snapshot() != before, name


# --- The rules one by one, with their Chinese reasons and audit entries ---------------------------------


def refused_with(response, text):
    body = response.content.decode() if response.status_code == 200 else ""
    messages = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert text in body + messages, (response.status_code, body[:3000], messages)
    entry = AuditEntry.objects.filter(action="permission.refused").latest("pk")
    assert entry.result == "failure"
    assert text in entry.detail


def test_a_system_administrator_cannot_create_a_superuser(client, people):
    log_in(client, people["system_admin"])
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' not in form
    response = client.post(reverse("wagtailusers_users:add"), user_data(is_superuser="on"))
    refused_with(response, "只有超级管理员可以设置超级管理员")
    assert not User.objects.filter(username="xinzhanghao").exists()


def test_a_system_administrator_creates_an_ordinary_account(client, people):
    log_in(client, people["system_admin"])
    response = client.post(reverse("wagtailusers_users:add"), user_data(groups=[people["editors"]]))
    assert response.status_code == 302
    created = User.objects.get(username="xinzhanghao")
    assert not created.is_superuser
    assert list(created.groups.all()) == [people["editors"]]


def test_a_system_administrator_cannot_make_someone_a_superuser(client, people):
    log_in(client, people["system_admin"])
    editor = people["editor"]
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_data(editor, current_groups(editor), is_superuser="on"),
    )
    refused_with(response, "只有超级管理员可以设置超级管理员")
    editor.refresh_from_db()
    assert not editor.is_superuser


@pytest.mark.parametrize(
    ("target", "text"),
    [
        ("superuser", "超级管理员账号"),
        ("auditor", "审计管理员的账号只能由超级管理员修改"),
        ("security_admin", "管理员账号"),
    ],
)
def test_a_system_administrator_cannot_edit_or_deactivate_an_administrator(client, people, target, text):
    log_in(client, people["system_admin"])
    account = people[target]
    data = user_data(account, current_groups(account))
    del data["is_active"]
    response = client.post(reverse("wagtailusers_users:edit", args=[account.pk]), data)
    refused_with(response, text)
    account.refresh_from_db()
    assert account.is_active
    response = client.post(reverse("wagtailusers_users:delete", args=[account.pk]))
    refused_with(response, text)
    assert User.objects.filter(pk=account.pk).exists()


@pytest.mark.parametrize("group", [SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN, "用户管理组"])
def test_only_a_superuser_changes_who_holds_rights(client, people, group):
    log_in(client, people["system_admin"])
    editor = people["editor"]
    response = client.post(
        reverse("wagtailusers_users:edit", args=[editor.pk]),
        user_data(editor, [*current_groups(editor), Group.objects.get(name=group)]),
    )
    refused_with(response, "只有超级管理员可以调整以下用户组的成员")
    assert not editor.groups.filter(name=group).exists()


def test_a_system_administrator_puts_an_editor_in_an_ordinary_group(client, people):
    log_in(client, people["system_admin"])
    editor = people["editor"]
    response = client.post(reverse("wagtailusers_users:edit", args=[editor.pk]), user_data(editor, [people["editors"]]))
    assert response.status_code == 302
    assert editor.groups.filter(pk=people["editors"].pk).exists()


@pytest.mark.parametrize("actor", ["system_admin", "root"])
def test_nobody_changes_their_own_groups(client, people, actor):
    user = people[actor]
    log_in(client, user)
    before = current_groups(user)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]), user_data(user, [*before, people["editors"]])
    )
    refused_with(response, "不能修改自己的管理员角色或所属用户组")
    assert current_groups(user) == before


def test_bulk_actions_cannot_escalate(client, people):
    log_in(client, people["system_admin"])
    refused_with(bulk(client, "set_active_state", [people["superuser"]], {"mark_as_active": "False"}), "超级管理员账号")
    refused_with(_bulk_set_active_state(client, people), "只能由超级管理员修改")
    assert User.objects.get(pk=people["superuser"].pk).is_active
    refused_with(_bulk_assign_role(client, people), "只有超级管理员可以调整以下用户组的成员")
    refused_with(bulk(client, "assign_role", [people["system_admin"]], {"role": people["editors"].pk}), "不能修改自己")
    refused_with(_bulk_delete(client, people), "审计管理员的账号只能由超级管理员修改")
    assert User.objects.filter(pk=people["auditor"].pk).exists()
    # Ordinary accounts still work in bulk.
    response = bulk(client, "set_active_state", [people["editor"]], {"mark_as_active": "False"})
    assert response.status_code == 302
    assert not User.objects.get(pk=people["editor"].pk).is_active


def test_a_group_manager_cannot_widen_rights(client, people):
    log_in(client, people["group_admin"])
    own = Group.objects.get(name="用户组管理组")
    response = client.post(
        reverse("wagtailusers_groups:edit", args=[own.pk]),
        group_data(own, [*own.permissions.all(), people["change_user"]]),
    )
    refused_with(response, "不能修改自己所在用户组的权限")
    refused_with(_groups_edit(client, people), "只能由超级管理员修改")
    refused_with(_groups_add(client, people), "只有超级管理员可以授予用户、用户组或权限的管理权限")
    assert not Group.objects.filter(name="新建管理组").exists()
    # A group an administrator belongs to: widening it would widen the administrator's rights.
    editors = people["editors"]
    response = client.post(reverse("wagtailusers_groups:edit", args=[editors.pk]), group_data(editors, []))
    refused_with(response, "只能由超级管理员修改")
    refused_with(_groups_delete(client, people), "只能由超级管理员修改")
    assert Group.objects.filter(name=SECURITY_ADMIN).exists()


def test_unit_roles_of_oneself_and_of_administrators_are_refused(client, people):
    log_in(client, people["system_admin"])
    response = client.post(
        reverse("memberships:add"), {"user": people["system_admin"].pk, "unit": people["unit"].pk, "role": "head"}
    )
    refused_with(response, "不能给自己分配、修改或撤销单位角色")
    refused_with(_memberships_add(client, people), "审计管理员的账号只能由超级管理员修改")
    assert not Membership.objects.filter(user__in=[people["system_admin"], people["auditor"]]).exists()
    response = client.post(
        reverse("memberships:add"), {"user": people["successor"].pk, "unit": people["unit"].pk, "role": "head"}
    )
    assert response.status_code == 302


def test_hand_over_cannot_escalate(client, people):
    log_in(client, people["system_admin"])
    url = reverse("handovers:add")
    refused_with(_handovers_add(client, people), "审计管理员的账号只能由超级管理员修改")
    response = client.post(url, {"user": people["editor"].pk, "successor": people["system_admin"].pk, "reason": ""})
    refused_with(response, "不能把调离人员的角色交接给自己")
    response = client.post(url, {"user": people["system_admin"].pk, "successor": people["successor"].pk, "reason": ""})
    refused_with(response, "不能为自己办理调离交接")
    response = client.post(url, {"user": people["superuser"].pk, "successor": people["successor"].pk, "reason": ""})
    refused_with(response, "超级管理员账号")
    assert not Handover.objects.exists()
    assert User.objects.get(pk=people["superuser"].pk).is_active


def test_a_unit_form_cannot_give_oneself_a_role(client, people):
    log_in(client, people["system_admin"])
    unit = people["unit"]
    existing = list(unit.memberships.all())
    response = client.post(
        reverse("units:edit", args=[unit.pk]),
        unit_data(unit, existing, [{"user": people["system_admin"].pk, "role": "head"}]),
    )
    refused_with(response, "不能给自己分配、修改或撤销单位角色")
    assert not Membership.objects.filter(user=people["system_admin"]).exists()
    response = client.post(
        reverse("units:edit", args=[unit.pk]),
        unit_data(unit, existing, [{"user": people["successor"].pk, "role": "deputy_head"}]),
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=people["successor"], role="deputy_head").exists()


@pytest.mark.parametrize(
    ("target", "reason"),
    [("superuser", "超级管理员账号"), ("auditor", "审计管理员的账号"), ("system_admin", "管理员账号")],
)
def test_a_security_administrator_cannot_reset_an_administrators_second_factor(client, people, target, reason):
    """Resetting someone's authenticator lets whoever knows their password enrol a new one: a way into that account."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    victim = people[target]
    TOTPDevice.objects.create(user=victim, name="身份验证器", confirmed=True)
    log_in(client, people["security_admin"])
    response = client.post(reverse("security_login_protection"), {"action": "reset_two_factor", "user": victim.pk})
    refused_with(response, reason)
    assert TOTPDevice.objects.filter(user=victim).exists()
    # A superuser may, for anyone.
    log_in(client, people["root"])
    response = client.post(reverse("security_login_protection"), {"action": "reset_two_factor", "user": victim.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
