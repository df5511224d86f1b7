"""登录保护 in the admin: locked accounts and addresses with their unlock, and two-factor resets.

The security administrator (安全管理员) holds ``axes.delete_accessattempt`` (unlock) and
``otp_totp.delete_totpdevice`` (reset a lost authenticator; an administrator's only by a superuser, as
for any change of an administrator's account). Every unlock and reset is audited; lockouts
themselves are audited when django-axes signals them (``on_locked_out``).
"""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages

from . import escalation, twofactor
from .audit import record, write

UNLOCK_PERMISSION = "axes.delete_accessattempt"
RESET_PERMISSION = "otp_totp.delete_totpdevice"


def failure_limit():
    return settings.AXES_FAILURE_LIMIT


def locked(field):
    """(value, failures, last attempt) for each username or address at or over the failure limit."""
    return list(
        AccessAttempt.objects.exclude(**{field: None})
        .exclude(**{field: ""})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=failure_limit())
        .order_by("-last")
        .values_list(field, "failures", "last")
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    write(
        "lockout",
        request=request,
        username=username or "",
        result="failure",
        detail=_("连续 %(count)d 次登录失败，账号 %(username)s / 地址 %(ip)s 被锁定")
        % {"count": failure_limit(), "username": username or "-", "ip": ip_address or "-"},
        data={"username": username, "ip_address": ip_address},
    )


class ResetTwoFactorForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("用户"),
        # Only users who have something to reset.
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(totpdevice__isnull=False) | Q(staticdevice__isnull=False))
        .distinct()
        .order_by("username"),
        empty_label=gettext_lazy("请选择已绑定身份验证器的用户"),
        error_messages={
            "required": gettext_lazy("请选择用户。"),
            "invalid_choice": gettext_lazy("该用户不存在、已停用或没有绑定身份验证器。"),
        },
    )


class LoginProtectionView(View):
    """Lists what is locked, unlocks on request, and resets a user's two-factor devices."""

    def dispatch(self, request, *args, **kwargs):
        self.can_unlock = request.user.has_perm(UNLOCK_PERMISSION)
        self.can_reset = request.user.has_perm(RESET_PERMISSION)
        if not (self.can_unlock or self.can_reset):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, reset_form=None):
        return TemplateResponse(
            self.request,
            "security/login_protection.html",
            {
                "locked_users": locked("username") if self.can_unlock else [],
                "locked_addresses": locked("ip_address") if self.can_unlock else [],
                "can_unlock": self.can_unlock,
                "can_reset": self.can_reset,
                "reset_form": reset_form or ResetTwoFactorForm(),
                "limit": failure_limit(),
            },
        )

    def get(self, request):
        return self.render()

    def post(self, request):
        action = request.POST.get("action")
        if action in ("unlock_user", "unlock_address"):
            if not self.can_unlock:
                raise PermissionDenied
            value = request.POST.get("value", "").strip()
            if not value:
                messages.error(request, _("没有指定要解锁的账号或地址。"))
                return redirect("security_login_protection")
            if action == "unlock_user":
                removed = axes_reset(username=value)
                detail = _("解除账号 %(value)s 的锁定") % {"value": value}
            else:
                removed = axes_reset(ip=value)
                detail = _("解除地址 %(value)s 的锁定") % {"value": value}
            if not removed:
                messages.warning(request, _("%(value)s 当前没有被锁定。") % {"value": value})
                return redirect("security_login_protection")
            record("unlock", detail=detail, data={"action": action, "value": value})
            messages.success(request, detail)
            return redirect("security_login_protection")
        if action == "reset_two_factor":
            if not self.can_reset:
                raise PermissionDenied
            form = ResetTwoFactorForm(request.POST)
            if not form.is_valid():
                return self.render(reset_form=form)
            user = form.cleaned_data["user"]
            # A reset lets whoever knows the password enrol a new authenticator: for an administrator's
            # account that is the same escalation as changing the account, so the same rule applies.
            refusal = escalation.account_refusal(request.user, user)
            if refusal is not None:
                escalation.refuse(refusal, obj=user, request=request)
                form.add_error("user", refusal)
                return self.render(reset_form=form)
            twofactor.reset(user)
            record("otp.reset", obj=user, detail=_("已清除 %(user)s 的身份验证器和恢复码") % {"user": user})
            messages.success(
                request, _("已重置 %(user)s 的两步验证，该用户下次登录时须重新绑定身份验证器。") % {"user": user}
            )
            return redirect("security_login_protection")
        messages.error(request, _("无法识别的操作。"))
        return redirect("security_login_protection")
