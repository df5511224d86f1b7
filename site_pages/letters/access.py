"""Who may see and handle letters in the admin.

Letters carry the writer's name and mobile, so access is narrow:

* superusers see everything;
* supervisors: members of a unit of kind 县政府办公室 see every letter and may 督办 (supervise);
* the intake of a board (its default unit) sees the board's letters, accepts, refuses and transfers them;
* the handling unit's members see and handle the letters transferred to it; its 主要负责人 approves replies;
* everyone else sees nothing, and is told "not found" rather than "forbidden" so receipt numbers leak nothing.
"""

from django.db.models import Q

from cms.organisation.models import Membership, Role, UnitKind, user_has_role

SUPERVISOR_KINDS = (UnitKind.SUPERVISOR,)


def unit_ids(user):
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(Membership.objects.active().filter(user=user).values_list("unit_id", flat=True))


def is_supervisor(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (
        Membership.objects.active().filter(user=user, unit__kind__in=SUPERVISOR_KINDS).exists()
    )


def letters_for(user, queryset=None):
    from ..models import Message

    queryset = Message.objects.all() if queryset is None else queryset
    if is_supervisor(user):
        return queryset
    units = unit_ids(user)
    if not units:
        return queryset.none()
    return queryset.filter(Q(board__default_unit_id__in=units) | Q(handling_unit_id__in=units))


def has_any_access(user):
    return is_supervisor(user) or bool(unit_ids(user))


def can_see(user, message):
    return letters_for(user).filter(pk=message.pk).exists()


def is_intake(user, message):
    """The board's default unit (or a superuser) accepts, refuses and transfers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or message.board.default_unit_id in unit_ids(user)


def is_handler(user, message):
    """A member of the handling unit (any role) drafts the reply."""
    if not user.is_authenticated or not user.is_active or not message.handling_unit_id:
        return False
    return user.is_superuser or message.handling_unit_id in unit_ids(user)


def is_head(user, message):
    """Only the handling unit's 主要负责人 approves a reply; a superuser cannot stand in for the head."""
    return bool(message.handling_unit_id) and user_has_role(user, message.handling_unit_id, Role.HEAD)


def may_view_contact(user, message):
    """The writer's contact details: the intake and the handling unit, not the supervisors' read-only view."""
    return is_intake(user, message) or is_handler(user, message)
