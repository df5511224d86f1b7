"""Who sees and who keeps which new-media accounts.

A unit's members see and edit their own unit's accounts; members of the supervisor (县政府办公室) and of the
operator (电子政务外网管理办公室) see and edit all; members of the cyberspace office (县委网信办) read all.
Superusers and holders of the model's Django permissions (the 系统管理员) keep the whole registry. Rights
follow memberships in active units, so a new colleague of an office needs no extra grant.
"""

from django.db.models import Q

from cms.organisation.models import Membership, Role, UnitKind

from .models import NewMediaAccount

KEEPING_OFFICES = (UnitKind.SUPERVISOR, UnitKind.OPERATOR)


def _kinds(user):
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = user.__dict__.get("_newmedia_unit_kinds")
    if cached is None:
        cached = set(Membership.objects.active().filter(user=user).values_list("unit__kind", flat=True))
        user.__dict__["_newmedia_unit_kinds"] = cached
    return cached


def _unit_ids(user):
    return set(Membership.objects.active().filter(user=user).values_list("unit_id", flat=True))


def keeps_all(user):
    """Superuser, a registry keeper by permission, or a member of the supervisor or the operator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("newmedia.change_newmediaaccount")
        or bool(_kinds(user) & set(KEEPING_OFFICES))
    )


def reads_all(user):
    return keeps_all(user) or UnitKind.CYBERSPACE in _kinds(user) or user.has_perm("newmedia.view_newmediaaccount")


def is_member(user):
    return bool(_kinds(user))


def keeps_own(user):
    """A member of a unit other than the cyberspace office, which only reads."""
    return bool(_kinds(user) - {UnitKind.CYBERSPACE})


def in_office(user, kind):
    return kind in _kinds(user)


def is_supervisor(user):
    return user.is_superuser or in_office(user, UnitKind.SUPERVISOR)


def is_keeping_office(user):
    """A member of the supervisor or the operator: the offices that record approvals and notices."""
    return user.is_superuser or bool(_kinds(user) & set(KEEPING_OFFICES))


def visible_accounts(user):
    accounts = NewMediaAccount.objects.all()
    if reads_all(user):
        return accounts
    if not is_member(user):
        return accounts.none()
    return accounts.filter(unit_id__in=_unit_ids(user))


def editable_accounts(user):
    accounts = NewMediaAccount.objects.all()
    if keeps_all(user):
        return accounts
    if not is_member(user):
        return accounts.none()
    return accounts.filter(unit_id__in=_unit_ids(user))


def can_edit(user, account):
    return editable_accounts(user).filter(pk=account.pk).exists()


def can_act_for_unit(user, unit):
    """Members of the unit, or the keeping offices."""
    return keeps_all(user) or (unit is not None and unit.pk in _unit_ids(user))


def is_unit_head(user, unit):
    if user.is_superuser:
        return True
    return Membership.objects.active().filter(user=user, unit=unit, role=Role.HEAD).exists()


def office_members(kind):
    """Active users of active offices of this kind (for alerts)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(Q(memberships__unit__kind=kind, memberships__unit__active=True), is_active=True)
        .distinct()
    )
