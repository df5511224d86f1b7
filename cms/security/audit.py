"""The audit log (安全审计): one append-only table for every security-relevant event.

Other apps call ``record(...)``, e.g. ``record("personal_data.export", request=request, obj=request_obj,
detail="导出申请人信息")``. Signal handlers in ``audit_signals`` write the events the project does not call
explicitly: logins, permission changes, settings saves, and copies of Wagtail's publish, unpublish and
workflow log entries.

Why copy Wagtail's entries instead of extending Wagtail's log registry: Wagtail's PageLogEntry and
ModelLogEntry have no address or result, can be updated and deleted through the ORM like any model, and are
split over two tables; the audit report, the immutability guard, the retention rule and the archive command
all need one table with those columns. The Wagtail entries stay where they are (the page history still uses
them); each copy keeps the id of its source in ``data["wagtail_log"]``.
"""

import contextvars

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .client_ip import client_ip
from .models import AuditEntry

# Every action the log knows, with its Chinese label. record() refuses anything else, so a typo in a
# caller is found by its tests instead of writing entries nobody can filter for.
ACTIONS = {
    "login": _("登录"),
    "login_failed": _("登录失败"),
    "logout": _("退出登录"),
    # Written by the login protection (lockout after repeated failures) and its unlock screen.
    "lockout": _("账号锁定"),
    "unlock": _("解除锁定"),
    "password.change": _("修改密码"),
    "password.admin_reset": _("管理员设置密码"),
    "otp.enrol": _("启用两步验证"),
    "otp.failed": _("两步验证失败"),
    "otp.recovery_code": _("使用恢复码登录"),
    "otp.reset": _("重置两步验证"),
    "session.timeout": _("闲置超时退出"),
    "user.create": _("创建用户"),
    "user.delete": _("删除用户"),
    "permission.user_flags": _("账号状态变更"),
    "permission.group_membership": _("用户组成员变更"),
    "permission.group_permissions": _("用户组权限变更"),
    "permission.user_permissions": _("用户权限变更"),
    "permission.membership": _("人员角色变更"),
    "permission.page": _("页面权限变更"),
    # Written by cms.security.escalation when a change of rights is refused.
    "permission.refused": _("越权操作被拒绝"),
    "permission.collection": _("媒体库权限变更"),
    "settings.change": _("设置变更"),
    "personal_data.view": _("查看个人信息"),
    "personal_data.export": _("导出个人信息"),
    "personal_data.purge": _("清除个人信息"),
    "handover": _("人员调离交接"),
    "audit.archive": _("审计记录归档"),
    "wagtail.publish": _("发布"),
    "wagtail.publish.scheduled": _("定时发布"),
    "wagtail.unpublish": _("撤销发布"),
    "wagtail.unpublish.scheduled": _("定时撤销发布"),
    "wagtail.workflow.start": _("提交审核"),
    "wagtail.workflow.approve": _("审核通过"),
    "wagtail.workflow.reject": _("审核退回"),
    "wagtail.workflow.resume": _("重新提交审核"),
    "wagtail.workflow.cancel": _("撤回审核"),
}
# Wagtail log actions copied into the audit log.
MIRRORED_WAGTAIL_ACTIONS = frozenset(action for action in ACTIONS if action.startswith("wagtail."))

_current_request = contextvars.ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    """Remembers the request being handled so signal handlers can log its user and address.

    It changes nothing about the request or the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def action_label(action):
    return ACTIONS.get(action, action)


def _request_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def write(
    action,
    *,
    user=None,
    username="",
    request=None,
    content_type=None,
    object_id="",
    object_repr="",
    result=AuditEntry.Result.SUCCESS,
    detail="",
    data=None,
    timestamp=None,
):
    """Write one entry; ``record`` is the public form of this for callers holding an object."""
    if action not in ACTIONS:
        raise ValueError(gettext("未登记的审计事件类型：%(action)s。") % {"action": action})
    if result not in AuditEntry.Result.values:
        raise ValueError(gettext("无效的审计结果：%(result)s（只能是 success 或 failure）。") % {"result": result})
    request = request if request is not None else current_request()
    if user is None:
        user = _request_user(request)
    fields = {"timestamp": timestamp} if timestamp is not None else {}
    return AuditEntry.objects.create(
        action=action,
        result=result,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        ip_address=client_ip(request),
        content_type=content_type,
        object_id=str(object_id or "")[:255],
        object_repr=str(object_repr or "")[:255],
        detail=str(detail or ""),
        data=data or {},
        **fields,
    )


def record(action, *, user=None, request=None, obj=None, result=AuditEntry.Result.SUCCESS, detail="", data=None):
    """Log an event. ``user`` and the address default to the current request's; ``obj`` is any model instance.

    Raises ValueError (Chinese message) for an unknown action or result.
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None
    return write(
        action,
        user=user,
        request=request,
        content_type=content_type,
        object_id=getattr(obj, "pk", "") if obj is not None else "",
        object_repr=str(obj) if obj is not None else "",
        result=result,
        detail=detail,
        data=data,
    )
