"""Admin screens of 安全运维.

Tamper findings are written by check_tamper; the admin only reads them and marks them as dealt
with, so nobody can add, copy or forge a finding here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

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
    items = (TamperFindingViewSet("tamper_findings"),)


@hooks.register("register_admin_viewset")
def register_security_viewsets():
    return SecurityViewSetGroup()
