"""Admin screens of 安全运维.

Tamper findings are written by check_tamper; the admin only reads them and marks them as dealt
with, so nobody can add, copy or forge a finding here. Hand-overs are run from their add form and
never edited; the audit report is read-only (audit_admin).
"""

from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import audit_urls, escalation, login
from .accounts_admin import RESET_PERMISSION, UNLOCK_PERMISSION, LoginProtectionView
from .audit_admin import AuditMenuItem
from .handover_admin import HandoverViewSet
from .models import TamperFinding


class FindingPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, except that findings are never added by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action != "add"])


register_permission_policy(TamperFinding, FindingPermissionPolicy(TamperFinding))


class TamperFindingViewSet(ModelViewSet):
    model = TamperFinding
    icon = "warning"
    menu_label = _("篡改监测发现")
    list_display = ["url", "kind", "detail", "detected_at", "last_seen_at", "resolved"]
    list_filter = ["kind", "resolved"]
    search_fields = ["url", "detail"]
    form_fields = ["resolved"]
    inspect_view_enabled = True
    copy_view_enabled = False


class SecurityViewSetGroup(ModelViewSetGroup):
    menu_label = _("安全运维")
    menu_icon = "warning"
    menu_order = 260
    items = (TamperFindingViewSet("tamper_findings"), HandoverViewSet("handovers"))


@hooks.register("register_admin_viewset")
def register_security_viewsets():
    return SecurityViewSetGroup()


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include(audit_urls))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(
        _("安全审计"), reverse("security_audit:index"), name="security-audit", icon_name="history", order=270
    )


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path("security/account/", login.AccountSecurityView.as_view(), name="security_account"),
        path("security/password/", login.ChangePasswordView.as_view(), name="security_password_change"),
        path("security/recovery-codes/", login.RecoveryCodesView.as_view(), name="security_recovery_codes"),
        path("security/login-protection/", LoginProtectionView.as_view(), name="security_login_protection"),
    ]


@hooks.register("register_admin_menu_item")
def register_account_menu_item():
    return MenuItem(_("账号安全"), reverse("security_account"), name="account-security", icon_name="key", order=9000)


class LoginProtectionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(UNLOCK_PERMISSION) or request.user.has_perm(RESET_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_login_protection_menu_item():
    return LoginProtectionMenuItem(
        _("登录保护"), reverse("security_login_protection"), name="login-protection", icon_name="lock", order=265
    )


@hooks.register("before_bulk_action")
def refuse_escalating_bulk_actions(request, action_type, objects, action):
    """Bulk actions on users (set active, assign role, delete, and any added later) follow the user form's rules."""
    if action.model is not get_user_model():
        return None
    form_data = action.cleaned_form.cleaned_data if action.cleaned_form is not None else {}
    message = escalation.bulk_refusal(request.user, objects, group=form_data.get("role"))
    if message is None:
        return None
    escalation.refuse(message, request=request)
    messages.error(request, message)
    return redirect(action.next_url)
