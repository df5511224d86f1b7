"""Signal handlers that feed the audit log.

Signals rather than view hooks: a permission or a setting changes the same way whether the Wagtail admin,
a management command or the shell changed it, and every path must leave a trace.
"""

from django.apps import apps
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, PageLogEntry

from cms.organisation.models import Membership

from . import audit
from .models import AuditEntry

USER_FLAGS = ("is_active", "is_staff", "is_superuser")
# Longest value text kept per changed setting; a setting can hold a long text block.
SETTING_VALUE_LIMIT = 200


def _names(model, pks):
    return "、".join(sorted(str(o) for o in model._default_manager.filter(pk__in=pks)))


def _permission_names(pks):
    return "、".join(
        sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.filter(pk__in=pks).select_related("content_type")
        )
    )


# Logins


def on_logged_in(sender, request, user, **kwargs):
    audit.record("login", user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name that was tried is kept: never a password or any other credential.
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""
    audit.write("login_failed", username=str(username), request=request, result=AuditEntry.Result.FAILURE)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("logout", user=user, request=request)


# Users: creation, deletion and the flags that grant or remove access


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(USER_FLAGS):
        return
    old = sender._default_manager.filter(pk=instance.pk).values(*USER_FLAGS).first()
    if old is not None:
        instance._audit_flag_changes = {
            f: (old[f], getattr(instance, f)) for f in USER_FLAGS if old[f] != getattr(instance, f)
        }


def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        flags = [str(sender._meta.get_field(f).verbose_name) for f in USER_FLAGS if getattr(instance, f)]
        audit.record("user.create", obj=instance, detail="、".join(flags))
        return
    changes = instance.__dict__.pop("_audit_flag_changes", None)
    if changes:
        detail = "；".join(
            f"{sender._meta.get_field(f).verbose_name}：{_yes_no(old)} → {_yes_no(new)}"
            for f, (old, new) in changes.items()
        )
        audit.record(
            "permission.user_flags", obj=instance, detail=detail, data={f: new for f, (_o, new) in changes.items()}
        )


def _yes_no(value):
    return gettext("是") if value else gettext("否")


def on_user_deleted(sender, instance, **kwargs):
    audit.record("user.delete", obj=instance)


# Group membership and permissions (both directions of each many-to-many relation)


def _m2m_handler(action_name, owner_model, target_model, describe):
    """Log adds, removes and clears of one many-to-many relation, one entry per owner object."""

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if instance.__dict__.get("_audit_raw_save"):
            return
        if action == "pre_clear":
            # Clear sends no pk_set afterwards, so what is about to go is read now.
            instance._audit_cleared = set(
                sender.objects.filter(**{_column(sender, instance): instance.pk}).values_list(
                    _other_column(sender, instance), flat=True
                )
            )
            return
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_audit_cleared", set())
            verb = "remove"
        elif action in ("post_add", "post_remove"):
            verb = action[5:]
        else:
            return
        if not pk_set:
            return
        label = gettext("增加") if verb == "add" else gettext("移除")
        if not reverse:
            audit.record(action_name, obj=instance, detail=f"{label}：{describe(pk_set)}", data={verb: sorted(pk_set)})
            return
        # Reverse side (e.g. group.user_set.add(user)): log against each owner so filtering by user works.
        for owner in owner_model._default_manager.filter(pk__in=pk_set):
            audit.record(action_name, obj=owner, detail=f"{label}：{instance}", data={verb: [instance.pk]})

    return handler


def on_owner_saved(sender, instance, raw=False, **kwargs):
    """loaddata (a restore) saves an object raw and then sets its many-to-many relations on the same instance:
    those relations are restored, not granted, and are not logged, as raw saves are not."""
    instance._audit_raw_save = raw


def _column(through, instance):
    """The through model's foreign key column that points at `instance`'s model."""
    for field in through._meta.fields:
        if field.is_relation and isinstance(instance, field.related_model):
            return field.attname
    raise LookupError(through)


def _other_column(through, instance):
    own = _column(through, instance)
    return next(f.attname for f in through._meta.fields if f.is_relation and f.attname != own)


# Unit memberships and Wagtail's page and collection grants


def on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        verb = gettext("设立") if created else gettext("修改")
        audit.record(
            "permission.membership", obj=instance, detail=f"{verb}：{instance}", data=_membership_data(instance)
        )


def on_membership_deleted(sender, instance, **kwargs):
    audit.record(
        "permission.membership",
        obj=instance,
        detail=gettext("撤销：%(m)s") % {"m": instance},
        data=_membership_data(instance),
    )


def _membership_data(membership):
    return {"user": membership.user_id, "unit": membership.unit_id, "role": membership.role}


def _grant_detail(instance, verb):
    target = getattr(instance, "page", None) or getattr(instance, "collection", None)
    return f"{verb}：{instance.group} · {instance.permission.codename} · {target}"


def on_grant_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        action = "permission.page" if sender is GroupPagePermission else "permission.collection"
        verb = gettext("授予") if created else gettext("修改")
        audit.record(action, obj=instance.group, detail=_grant_detail(instance, verb))


def on_grant_deleted(sender, instance, **kwargs):
    action = "permission.page" if sender is GroupPagePermission else "permission.collection"
    audit.record(action, obj=instance.group, detail=_grant_detail(instance, gettext("收回")))


# Site and generic settings (设置): which fields changed, with old and new values


def _setting_values(model, pk):
    return model._default_manager.filter(pk=pk).values().first() or {}


def on_setting_pre_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._audit_old_values = _setting_values(sender, instance.pk)


def on_setting_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = instance.__dict__.pop("_audit_old_values", {})
    new = _setting_values(sender, instance.pk)
    changed = {key: value for key, value in new.items() if created or old.get(key) != value}
    changed.pop("id", None)
    if not changed:
        return
    labels = []
    for attname in changed:
        field = next((f for f in sender._meta.concrete_fields if f.attname == attname), None)
        labels.append(str(field.verbose_name) if field is not None else attname)
    audit.record(
        "settings.change",
        obj=instance,
        detail=gettext("%(model)s：%(fields)s") % {"model": sender._meta.verbose_name, "fields": "、".join(labels)},
        data={
            key: {"old": str(old.get(key, ""))[:SETTING_VALUE_LIMIT], "new": str(value)[:SETTING_VALUE_LIMIT]}
            for key, value in changed.items()
        },
    )


# Copies of Wagtail's publish, unpublish and workflow log entries


def on_log_entry_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.action not in audit.MIRRORED_WAGTAIL_ACTIONS:
        return
    # Wagtail keeps a reviewer's comment at the top of the entry's data.
    comment = (instance.data or {}).get("comment", "")
    audit.write(
        instance.action,
        user=instance.user,
        content_type=instance.content_type,
        object_id=instance.object_id,
        object_repr=instance.label,
        detail=comment,
        data={"wagtail_log": {"model": sender._meta.label_lower, "id": instance.pk}, **(instance.data or {})},
        timestamp=instance.timestamp,
    )


def connect():
    user_model = get_user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="audit_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_logout")
    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid="audit_user_pre_save")
    post_save.connect(on_user_post_save, sender=user_model, dispatch_uid="audit_user_saved")
    post_delete.connect(on_user_deleted, sender=user_model, dispatch_uid="audit_user_deleted")
    m2m_changed.connect(
        _m2m_handler("permission.group_membership", user_model, Group, lambda pks: _names(Group, pks)),
        sender=user_model.groups.through,
        dispatch_uid="audit_user_groups",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_handler("permission.user_permissions", user_model, Permission, _permission_names),
        sender=user_model.user_permissions.through,
        dispatch_uid="audit_user_permissions",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_handler("permission.group_permissions", Group, Permission, _permission_names),
        sender=Group.permissions.through,
        dispatch_uid="audit_group_permissions",
        weak=False,
    )
    for owner in (user_model, Group):
        post_save.connect(on_owner_saved, sender=owner, dispatch_uid=f"audit_raw_save_{owner._meta.label_lower}")
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid="audit_membership_saved")
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid="audit_membership_deleted")
    for grant in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(on_grant_saved, sender=grant, dispatch_uid=f"audit_grant_saved_{grant.__name__}")
        post_delete.connect(on_grant_deleted, sender=grant, dispatch_uid=f"audit_grant_deleted_{grant.__name__}")
    for model in apps.get_models():
        if issubclass(model, BaseSiteSetting | BaseGenericSetting):
            pre_save.connect(on_setting_pre_save, sender=model, dispatch_uid=f"audit_setting_pre_{model._meta.label}")
            post_save.connect(on_setting_saved, sender=model, dispatch_uid=f"audit_setting_{model._meta.label}")
    for log_model in (PageLogEntry, ModelLogEntry):
        post_save.connect(on_log_entry_saved, sender=log_model, dispatch_uid=f"audit_mirror_{log_model.__name__}")
