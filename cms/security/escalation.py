"""Who may change whose rights: the 三员 separation held against escalation.

Wagtail lets whoever holds ``auth.change_user`` tick any group, and the superuser flag, for any user, and
whoever holds ``auth.change_group`` give any permission to any group. The rules below are applied by every
admin path that changes an account, a group or a unit role: the user forms, the user delete view and bulk
actions (``users``, ``wagtail_hooks``), the group views, 人员角色 and the memberships inside 单位
(``cms.organisation.forms``), and 人员调离 (``handover_admin``). Each answers with the Chinese reason or None;
the caller shows the reason and ``refuse`` writes it to the audit log.

- Only a superuser sets the superuser flag, or changes a *protected* account: a superuser, or a member of a
  *privileged* group (one of the three administrator groups, or a group holding a permission on users,
  groups or permissions). So a 系统管理员 can neither edit, deactivate nor delete a 审计管理员 or a superuser,
  nor take over a 安全管理员's account.
- Only a superuser changes who belongs to a privileged group, changes a privileged group or a group with a
  protected member, or gives a group a permission on users, groups or permissions.
- Nobody changes their own groups, their own groups' permissions or their own unit roles.
"""

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext as _

from .audit import record
from .roles import AUDIT_ADMIN, ROLE_PERMISSIONS

# Permissions on these auth models are rights over rights.
RIGHTS_MODELS = ("user", "group", "permission")


def _rights(prefix=""):
    return Q(**{f"{prefix}content_type__app_label": "auth", f"{prefix}content_type__model__in": RIGHTS_MODELS})


def privileged_groups():
    return Group.objects.filter(Q(name__in=list(ROLE_PERMISSIONS)) | _rights("permissions__")).distinct()


def is_protected(user):
    if user.is_superuser:
        return True
    return user.pk is not None and user.groups.filter(pk__in=privileged_groups().values("pk")).exists()


def account_refusal(actor, target):
    """Why ``actor`` may not change, deactivate or delete ``target``'s account (someone else's), or None."""
    if actor.is_superuser or target is None or target.pk is None or target.pk == actor.pk:
        return None
    if target.is_superuser:
        return _("只有超级管理员可以修改、停用或删除超级管理员账号。")
    if target.groups.filter(name=AUDIT_ADMIN).exists():
        return _("审计管理员的账号只能由超级管理员修改。")
    if is_protected(target):
        return _("管理员账号（三员或拥有用户、用户组、权限管理权限的账号）只能由超级管理员修改。")
    return None


def superuser_flag_refusal(actor, requested):
    if requested and not actor.is_superuser:
        return _("只有超级管理员可以设置超级管理员。")
    return None


def groups_refusal(actor, target, groups):
    """Why ``actor`` may not leave ``target`` in exactly ``groups``, or None."""
    before = set(target.groups.all()) if target.pk is not None else set()
    changed = before ^ set(groups)
    if not changed:
        return None
    if target.pk is not None and target.pk == actor.pk:
        return _("不能修改自己的管理员角色或所属用户组，请由其他管理员办理。")
    if actor.is_superuser:
        return None
    privileged = changed & set(privileged_groups())
    if privileged:
        return _("只有超级管理员可以调整以下用户组的成员：%(groups)s。") % {
            "groups": "、".join(sorted(group.name for group in privileged))
        }
    return None


def group_refusal(actor, group, permissions=()):
    """Why ``actor`` may not change (or delete) ``group``, giving it ``permissions``, or None."""
    if group.pk is not None and actor.groups.filter(pk=group.pk).exists():
        return _("不能修改自己所在用户组的权限，请由其他管理员办理。")
    if actor.is_superuser:
        return None
    if group.pk is not None and (
        privileged_groups().filter(pk=group.pk).exists() or any(is_protected(user) for user in group.user_set.all())
    ):
        return _("三员用户组、拥有用户、用户组或权限管理权限的用户组以及有管理员成员的用户组只能由超级管理员修改。")
    if any(
        permission.content_type.app_label == "auth" and permission.content_type.model in RIGHTS_MODELS
        for permission in permissions
    ):
        return _("只有超级管理员可以授予用户、用户组或权限的管理权限。")
    return None


def unit_role_refusal(actor, target):
    """Why ``actor`` may not give, change or withdraw a unit role (人员角色) of ``target``, or None."""
    if target is not None and target.pk == actor.pk:
        return _("不能给自己分配、修改或撤销单位角色，请由其他管理员办理。")
    return account_refusal(actor, target)


def handover_refusal(actor, leaver, successor):
    """Why ``actor`` may not hand ``leaver``'s roles to ``successor`` (and deactivate ``leaver``), or None."""
    if leaver is not None and leaver.pk == actor.pk:
        return _("不能为自己办理调离交接，请由其他管理员办理。")
    if successor is not None and successor.pk == actor.pk:
        return _("不能把调离人员的角色交接给自己，请由其他管理员办理。")
    return account_refusal(actor, leaver) or account_refusal(actor, successor)


def bulk_refusal(actor, targets, group=None):
    """Why ``actor`` may not act on ``targets`` at once (adding them to ``group`` if given), or None.

    The first refused account by id gives the reason, so the same request always gets the same answer.
    """
    for target in sorted(targets, key=lambda user: user.pk):
        message = account_refusal(actor, target)
        if message is None and group is not None:
            message = groups_refusal(actor, target, {*target.groups.all(), group})
        if message is not None:
            return message
    return None


def refuse(message, *, obj=None, request=None):
    """Audits a refused change of rights (the caller shows ``message``)."""
    record("permission.refused", request=request, obj=obj, result="failure", detail=message)
