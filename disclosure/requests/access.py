"""Who may see and handle requests for disclosure in the admin.

Requests carry personal data, so access is narrow:

* superusers see everything;
* intake staff (受理): members of a unit whose kind is in ``DISCLOSURE_REQUEST_INTAKE_UNIT_KINDS``
  (default: the county government office, which is the 政府信息公开工作机构) holding a role in
  ``DISCLOSURE_REQUEST_INTAKE_ROLES``. They see all requests, because they must assign new ones;
* everyone else sees only the requests assigned to a unit they are an active member of.

Approving an extension is reserved to the handling unit's 主要负责人 (条例 第三十三条:
"经政府信息公开工作机构负责人同意"); a superuser cannot stand in for the head.
"""

from django.conf import settings

from cms.organisation.models import Membership, Role, UnitKind, user_has_role

DEFAULT_INTAKE_UNIT_KINDS = [UnitKind.SUPERVISOR]
DEFAULT_INTAKE_ROLES = [Role.HEAD, Role.DEPUTY_HEAD, Role.SECTION_CHIEF, Role.INFO_OFFICER]


def _memberships(user):
    return Membership.objects.active().filter(user=user)


def is_intake(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    kinds = getattr(settings, "DISCLOSURE_REQUEST_INTAKE_UNIT_KINDS", DEFAULT_INTAKE_UNIT_KINDS)
    roles = getattr(settings, "DISCLOSURE_REQUEST_INTAKE_ROLES", DEFAULT_INTAKE_ROLES)
    return _memberships(user).filter(unit__kind__in=kinds, role__in=roles).exists()


def handling_unit_ids(user):
    return set(_memberships(user).values_list("unit_id", flat=True))


def requests_for(user, queryset=None):
    from .models import DisclosureRequest

    queryset = DisclosureRequest.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_intake(user):
        return queryset
    return queryset.filter(handling_unit_id__in=handling_unit_ids(user))


def can_access(user, request):
    return requests_for(user).filter(pk=request.pk).exists()


def can_approve_extension(user, request):
    return bool(request.handling_unit_id) and user_has_role(user, request.handling_unit_id, Role.HEAD)


def has_any_access(user):
    return is_intake(user) or bool(handling_unit_ids(user))
