"""Who may use 检查考核 in the admin.

The supervising county office (units of kind ``supervisor``, 县政府办公室) inspects every unit: each of its
members is an inspector and may run an inspection, mark findings false positive and record accountability
cases. The deduction table changes every unit's score, so only the office's leaders (分管负责人, 主要负责人)
edit it. Superusers may do everything. Units under inspection see none of it here: their own warnings
reach them by the daily digest and the dashboard.
"""

from cms.organisation.models import Membership, Role, UnitKind

INSPECTING_UNIT_KINDS = (UnitKind.SUPERVISOR,)
RULE_EDITING_ROLES = (Role.DEPUTY_HEAD, Role.HEAD)


def _office_memberships(user):
    return Membership.objects.active().filter(user=user, unit__kind__in=INSPECTING_UNIT_KINDS)


def is_inspector(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _office_memberships(user).exists()


def can_edit_rules(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _office_memberships(user).filter(role__in=RULE_EDITING_ROLES).exists()
