"""Handling a letter (留言办理): every step checks the letter's state and the actor's right, runs in one
transaction on the locked letter, and is recorded as a ``MessageEvent`` (who, when, comment).

    待受理 → 已受理 (the intake keeps it) or 不予受理 (with the reason the writer sees)
    已受理 → 已转办 (to a unit; transferring again is 改派 and needs a reason) → 办理中
    办理中 → 答复待审核 (the reply goes into the workflow 「留言答复审核」)
    答复待审核 → 已办结 (the head's sign-off publishes the reply) or back to 办理中 (退回重办)

A leader's instruction (批示) and a supervisor's 督办 may be added at any point. The reply's review reuses the
workflow's tasks and rules (workflows.api); its publication and rejection come back here through signals
(site_pages.models.letter_replies), whichever screen the head used.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from cms.organisation.models import Membership, Role, Unit
from workflows import api as workflow_api
from workflows.models import CHECKLISTS, RejectionReason, Stage, UnitTaskState

from ..models.letter_replies import MessageReply
from ..models.letters import LetterStatus, Message, MessageAction, MessageEvent, RefusalReason
from . import access

REPLY_MAX_LENGTH = 5000
INSTRUCTION_ROLES = (Role.HEAD, Role.DEPUTY_HEAD)


def _locked(message):
    return Message.objects.select_for_update(of=("self",)).select_related("board", "handling_unit").get(pk=message.pk)


def _record(message, action, user, comment="", unit=None):
    return MessageEvent.objects.create(
        message=message, action=action, actor=user, comment=comment, unit=unit or message.handling_unit
    )


def _require_state(message, allowed, doing):
    if message.status not in allowed:
        raise ValidationError(
            _("该留言当前为“%(status)s”，不能%(doing)s。") % {"status": message.get_status_display(), "doing": doing}
        )


def _require(right, message):
    if not right:
        raise PermissionDenied(message)


def _text(value, label, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    return value


def _done(original, locked):
    """The caller's object follows the saved letter, so a view or a seed can go on using it."""
    original.refresh_from_db()
    return locked


@transaction.atomic
def accept(message, user, comment=""):
    locked = _locked(message)
    _require(access.is_intake(user, locked), _("只有信箱的受理单位可以受理留言。"))
    _require_state(locked, (LetterStatus.PENDING,), _("受理"))
    if locked.held_for_screening:
        locked.held_for_screening = False
        _record(locked, MessageAction.SCREENED, user, unit=locked.board.default_unit)
    locked.status = LetterStatus.ACCEPTED
    locked.accepted_at = timezone.now()
    # The intake handles the letter itself until it transfers it.
    locked.handling_unit = locked.board.default_unit
    locked.save(update_fields=["held_for_screening", "status", "accepted_at", "handling_unit"])
    _record(locked, MessageAction.ACCEPTED, user, _text(comment, "", required=False))
    return _done(message, locked)


@transaction.atomic
def refuse(message, user, reason, note=""):
    locked = _locked(message)
    _require(access.is_intake(user, locked), _("只有信箱的受理单位可以作出不予受理决定。"))
    _require_state(locked, (LetterStatus.PENDING, LetterStatus.ACCEPTED), _("不予受理"))
    if reason not in RefusalReason.values:
        raise ValidationError(_("请选择不予受理的理由。"))
    locked.status = LetterStatus.REFUSED
    locked.refusal_reason = reason
    locked.refusal_note = _text(note, "", required=False)
    locked.held_for_screening = False
    locked.save(update_fields=["status", "refusal_reason", "refusal_note", "held_for_screening"])
    _record(locked, MessageAction.REFUSED, user, f"{RefusalReason(reason).label} {locked.refusal_note}".strip())
    return _done(message, locked)


@transaction.atomic
def transfer(message, user, unit, comment):
    """Transfer to a unit; a second transfer is 改派 and its reason is required."""
    locked = _locked(message)
    _require(access.is_intake(user, locked), _("只有信箱的受理单位可以转办或改派留言。"))
    _require_state(locked, (LetterStatus.ACCEPTED, LetterStatus.TRANSFERRED, LetterStatus.IN_PROGRESS), _("转办"))
    if unit is None or not Unit.objects.active().filter(pk=unit.pk).exists():
        raise ValidationError(_("请选择一个启用中的办理单位。"))
    if unit.pk == locked.handling_unit_id:
        raise ValidationError(_("该留言已由%(unit)s办理，请选择其他单位。") % {"unit": unit.name})
    reassigned = locked.events.filter(action__in=(MessageAction.TRANSFERRED, MessageAction.REASSIGNED)).exists()
    comment = _text(comment, _("改派理由"), required=reassigned)
    locked.status = LetterStatus.TRANSFERRED
    locked.handling_unit = unit
    locked.save(update_fields=["status", "handling_unit"])
    _record(locked, MessageAction.REASSIGNED if reassigned else MessageAction.TRANSFERRED, user, comment, unit)
    return _done(message, locked)


@transaction.atomic
def start(message, user):
    locked = _locked(message)
    _require(access.is_handler(user, locked), _("只有办理单位的人员可以开始办理。"))
    _require_state(locked, (LetterStatus.ACCEPTED, LetterStatus.TRANSFERRED), _("开始办理"))
    locked.status = LetterStatus.IN_PROGRESS
    locked.save(update_fields=["status"])
    _record(locked, MessageAction.STARTED, user)
    return _done(message, locked)


@transaction.atomic
def draft_reply(message, user, text):
    """Save the reply as a new revision and send it into 「留言答复审核」 (its automated checks run now)."""
    locked = _locked(message)
    _require(access.is_handler(user, locked), _("只有办理单位的人员可以起草答复。"))
    _require_state(locked, (LetterStatus.IN_PROGRESS,), _("起草答复"))
    text = _text(text, _("答复内容"))
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(_("答复内容不能超过%(count)d字。") % {"count": REPLY_MAX_LENGTH})
    reply = MessageReply.objects.filter(message=locked).first() or MessageReply(message=locked, live=False)
    reply.text = text
    reply.save()
    reply.save_revision(user=user)
    workflow = reply.get_workflow()
    if workflow is None:
        raise ValidationError(_("未配置“留言答复审核”流程，请联系管理员。"))
    state = workflow_api.active_workflow_state(reply)
    state = workflow.start(reply, user) if state is None else (state.resume(user=user) or state)
    state.refresh_from_db()
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        run = workflow_api.latest_check_run(reply, workflow_api.newest_revision(reply))
        # Raising rolls the revision and the review back: the letter stays 办理中 with nothing half-done.
        raise ValidationError(workflow_api.summarise(run) if run else _("答复未通过自动检查，请修改后重新提交。"))
    locked.status = LetterStatus.REPLY_DRAFTED
    locked.save(update_fields=["status"])
    _record(locked, MessageAction.DRAFTED, user, text)
    return _done(message, locked)


def sign_off_checklist():
    """The points the head confirms when signing a reply off (the sign-off stage's checklist)."""
    return [key for key, _label in CHECKLISTS[Stage.REVIEW_3]]


def _reviewed_reply(locked, user, doing):
    _require(access.is_head(user, locked), _("只有办理单位的主要负责人可以审核答复。"))
    _require_state(locked, (LetterStatus.REPLY_DRAFTED,), doing)
    reply = MessageReply.objects.filter(message=locked).first()
    if reply is None or workflow_api.current_task_state(reply) is None:
        raise ValidationError(_("该答复当前没有待审核的环节（可能已由他人处理）。"))
    return reply


@transaction.atomic
def approve_reply(message, user, comment="", checked=None):
    """The head signs the reply off; the publication that follows closes the letter (close_after_approval).

    ``checked`` are the sign-off points the head confirmed; calling without them confirms every point.
    """
    locked = _locked(message)
    reply = _reviewed_reply(locked, user, _("审核答复"))
    try:
        workflow_api.approve(
            reply,
            user,
            comment=_text(comment, "", required=False),
            checked=sign_off_checklist() if checked is None else checked,
        )
    except workflow_api.WorkflowError as error:
        raise ValidationError(error.message) from error
    return _done(message, locked)


@transaction.atomic
def send_back(message, user, comment, reasons=(RejectionReason.INACCURATE,)):
    """退回重办: the head rejects the reply with the workflow's reasons; the letter goes back to 办理中."""
    locked = _locked(message)
    reply = _reviewed_reply(locked, user, _("退回重办"))
    try:
        workflow_api.reject(reply, user, reasons=reasons, comment=_text(comment, _("退回意见")))
    except workflow_api.WorkflowError as error:
        raise ValidationError(error.message) from error
    return _done(message, locked)


def may_instruct(user, message):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    units = {message.board.default_unit_id, message.handling_unit_id}
    leaders = Membership.objects.active().filter(user=user, role__in=INSTRUCTION_ROLES)
    return leaders.filter(unit_id__in=units).exists() or leaders.filter(unit__kind__in=access.SUPERVISOR_KINDS).exists()


@transaction.atomic
def add_instruction(message, user, text):
    locked = _locked(message)
    _require(may_instruct(user, locked), _("只有受理单位、办理单位或县政府办公室的负责人可以作出批示。"))
    _record(locked, MessageAction.INSTRUCTION, user, _text(text, _("批示内容")))
    return _done(message, locked)


@transaction.atomic
def add_supervision(message, user, text):
    locked = _locked(message)
    _require(access.is_supervisor(user), _("只有县政府办公室的人员可以督办。"))
    _record(locked, MessageAction.SUPERVISION, user, _text(text, _("督办意见")))
    return _done(message, locked)


# ---------------------------------------------------------------- called by the reply's workflow signals


def close_after_approval(reply, revision):
    """The reply was published by its final approval: the letter is 已办结, published if the writer agreed."""
    message = Message.objects.select_for_update(of=("self",)).select_related("board").get(pk=reply.message_id)
    if message.status == LetterStatus.CLOSED:
        return
    state = (
        TaskState.objects.filter(
            workflow_state__base_content_type=reply.get_base_content_type(),
            workflow_state__object_id=str(reply.pk),
            status=TaskState.STATUS_APPROVED,
        )
        .exclude(finished_by=None)
        .order_by("-finished_at", "-pk")
        .first()
    )
    approver = state.finished_by if state else None
    message.status = LetterStatus.CLOSED
    message.reply_text = (revision.as_object() if revision else reply).text
    message.reply_unit_id = message.handling_unit_id
    message.replied_at = timezone.now()
    message.published = message.board.publish_letters and message.consent_to_publish
    message.save(update_fields=["status", "reply_text", "reply_unit", "replied_at", "published"])
    _record(message, MessageAction.APPROVED, approver, state.comment if state else "")
    _record(message, MessageAction.CLOSED, approver)


def reopen_after_rejection(reply, workflow_state, user):
    """A reviewer rejected the reply: 退回重办. An automated rejection leaves the letter where it is."""
    state = workflow_state.current_task_state
    if state is None or not isinstance(state.specific, UnitTaskState):
        return
    message = Message.objects.select_for_update().get(pk=reply.message_id)
    if message.status != LetterStatus.REPLY_DRAFTED:
        return
    message.status = LetterStatus.IN_PROGRESS
    message.save(update_fields=["status"])
    _record(message, MessageAction.SENT_BACK, user, state.specific.get_comment())
