"""人员调离: hand a departing user's roles, submissions and drafts to a successor, in one transaction.

Approvers of the review workflow are resolved from unit memberships, so moving the memberships is what
moves the pending review tasks; the submissions the user started (WorkflowState.requested_by) and the drafts
they own are reassigned explicitly. New-media accounts whose responsible person or deputy was the user are
listed so the unit changes their passwords (口令更换).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from wagtail.models import Page, WorkflowState

from cms.organisation.models import Membership, Role, Unit

from . import audit
from .models import Handover

OPEN_WORKFLOW_STATUSES = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


class HandoverError(Exception):
    """A refused hand-over; the message is the Chinese reason."""


def find_user(username, *, role_label):
    try:
        return get_user_model()._default_manager.get_by_natural_key(username)
    except get_user_model().DoesNotExist as error:
        raise HandoverError(
            gettext("找不到%(who)s“%(username)s”。") % {"who": role_label, "username": username}
        ) from error


def check(user, successor):
    """Every refusal that does not depend on the moved data, in the order an administrator fixes them."""
    if successor is None:
        raise HandoverError(gettext("请指定接替人员。"))
    if user.pk == successor.pk:
        raise HandoverError(gettext("接替人员不能是调离人员本人。"))
    if not successor.is_active:
        raise HandoverError(
            gettext("接替人员“%(username)s”的账号已停用，不能接替工作。") % {"username": successor.get_username()}
        )
    if Handover.objects.filter(user=user).exists() and not user.is_active:
        raise HandoverError(gettext("“%(username)s”已经办理过调离交接。") % {"username": user.get_username()})


def _newmedia_accounts(user):
    """Accounts where the user was responsible or deputy, now marked as needing a password change.

    The model is looked up by name: the registry app depends on cms, not the other way round.
    """
    model = apps.get_model("newmedia", "NewMediaAccount")
    accounts = []
    mine = model._default_manager.filter(Q(responsible=user) | Q(deputy=user)).order_by("pk")
    # The leaver knows these passwords: the unit must change them, and the registry shows it until done. Only
    # accounts open on a platform have one (not applications, ended applications or deregistered accounts).
    mine.filter(status__in=("active", "closing")).update(password_change_required=True)
    for account in mine:
        roles = []
        if account.responsible_id == user.pk:
            roles.append(gettext("责任人"))
        if account.deputy_id == user.pk:
            roles.append(gettext("副责任人"))
        accounts.append({"id": account.pk, "name": str(account), "roles": roles})
    return accounts


def _units_without_head(unit_ids):
    """Names of the active units among `unit_ids` that have no active 主要负责人."""
    heads = Membership.objects.active().filter(role=Role.HEAD).values("unit_id")
    return list(Unit.objects.filter(pk__in=unit_ids, active=True).exclude(pk__in=heads).values_list("name", flat=True))


@transaction.atomic
def hand_over(user, successor, *, performed_by=None, reason="", request=None):
    """Run the hand-over and return its Handover record; raises HandoverError with the reason in Chinese."""
    check(user, successor)
    user_model = type(user)
    # Lock both accounts: two administrators handing over the same person at once must not both succeed.
    user = user_model._default_manager.select_for_update().get(pk=user.pk)
    successor = user_model._default_manager.select_for_update().get(pk=successor.pk)
    check(user, successor)

    memberships = list(Membership.objects.filter(user=user).select_related("unit").order_by("unit__name", "role"))
    moved = []
    for membership in memberships:
        _kept, created = Membership.objects.get_or_create(user=successor, unit=membership.unit, role=membership.role)
        moved.append(
            {
                "unit_id": membership.unit_id,
                "unit": membership.unit.name,
                "role": membership.role,
                "role_label": str(membership.get_role_display()),
                "successor_already_held": not created,
            }
        )
        membership.delete()
    # The successor normally becomes the head; this catches the cases where that did not leave an
    # active head (e.g. the unit's other head was deactivated meanwhile), and rolls everything back.
    missing = _units_without_head([m.unit_id for m in memberships if m.role == Role.HEAD])
    if missing:
        raise HandoverError(
            gettext("调离后以下单位将没有在岗的主要负责人：%(units)s。请先指定接替的主要负责人。")
            % {"units": "、".join(missing)}
        )

    submissions = []
    for state in WorkflowState.objects.filter(requested_by=user, status__in=OPEN_WORKFLOW_STATUSES).order_by("pk"):
        submissions.append({"id": state.pk, "object": str(state.content_object or state.object_id)})
    WorkflowState.objects.filter(pk__in=[s["id"] for s in submissions]).update(requested_by=successor)

    # Unpublished pages and published pages with unpublished edits: both are work in progress.
    in_progress = Q(live=False) | Q(has_unpublished_changes=True)
    drafts = list(Page.objects.filter(in_progress, owner=user).order_by("pk").values("pk", "title"))
    Page.objects.filter(pk__in=[d["pk"] for d in drafts]).update(owner=successor)
    unlocked = list(Page.objects.filter(locked=True, locked_by=user).order_by("pk").values("pk", "title"))
    Page.objects.filter(pk__in=[p["pk"] for p in unlocked]).update(locked=False, locked_by=None, locked_at=None)

    accounts = _newmedia_accounts(user)
    if accounts:
        note = gettext("以上新媒体账号须由单位更换口令（口令更换），台账中已标记“须更换口令”。")
    else:
        note = gettext("该人员不是任何新媒体账号的责任人或副责任人。")
    newmedia = {"accounts": accounts, "note": note}

    user.is_active = False
    user.save(update_fields=["is_active"])

    summary = {
        "memberships": moved,
        "workflow_submissions": submissions,
        "drafts": [{"id": d["pk"], "title": d["title"]} for d in drafts],
        "unlocked_pages": [{"id": p["pk"], "title": p["title"]} for p in unlocked],
        "newmedia": newmedia,
    }
    handover = Handover.objects.create(
        user=user, successor=successor, performed_by=performed_by, reason=reason, summary=summary
    )
    audit.record(
        "handover",
        user=performed_by,
        request=request,
        obj=handover,
        detail=describe(handover),
        data=summary,
    )
    return handover


def describe(handover):
    """One Chinese sentence summarising a hand-over (audit detail, admin listing, command output)."""
    summary = handover.summary
    return gettext(
        "%(user)s 调离，由 %(successor)s 接替：角色%(roles)d项，审核中的提交%(submissions)d项，草稿%(drafts)d篇，"
        "解除锁定%(unlocked)d篇，需更换口令的新媒体账号%(accounts)d个。"
    ) % {
        "user": handover.user.get_username(),
        "successor": handover.successor.get_username(),
        "roles": len(summary.get("memberships", [])),
        "submissions": len(summary.get("workflow_submissions", [])),
        "drafts": len(summary.get("drafts", [])),
        "unlocked": len(summary.get("unlocked_pages", [])),
        "accounts": len(summary.get("newmedia", {}).get("accounts", [])),
    }
