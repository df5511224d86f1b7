"""The one place where the 三审三校 rules live.

Admin views, Wagtail's own workflow actions, the other apps and the tests all go through these
functions; a refused action raises `WorkflowError` carrying the Chinese message for the user.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Task, TaskState, WorkflowState
from wagtail.signals import task_submitted

from cms.organisation.models import Membership, Role

from .automated import collect_findings, precheck, run_checks, summarise
from .independence import (
    INDEPENDENT_STAGES,
    SIGN_OFF_STAGES,
    independence_refusal,
    sign_off_refusal,
    signed_off,
)
from .lookups import (
    ACTIVE_STATUSES,
    StageInfo,
    active_workflow_state,
    current_stage,
    current_task_state,
    latest_check_run,
    newest_revision,
    specific,
)
from .models import (
    ACKNOWLEDGE_KEY,
    AutomatedCheckTask,
    AutomatedCheckTaskState,
    CheckRun,
    Consent,
    Override,
    RejectionReason,
    Stage,
    UnitTaskState,
    checklist_labels,
)
from .records import record_publication


class WorkflowError(PermissionDenied):
    """A refused workflow action; `message` is shown to the user as is."""

    def __init__(self, message, *, findings=()):
        super().__init__(str(message))
        self.message = str(message)
        self.findings = list(findings)

    def __str__(self):
        return self.message


def checklist_for(obj):
    """Keys the current approver must tick: the stage's checklist, plus acknowledging open warnings."""
    state = current_task_state(obj)
    if not isinstance(state, UnitTaskState):
        return []
    items = list(state.task.specific.checklist())
    if _unacknowledged_run(obj, state.revision) is not None:
        items.append(ACKNOWLEDGE_KEY)
    return items


def _unacknowledged_run(obj, revision):
    run = latest_check_run(obj, revision)
    if run is not None and run.warnings() and run.acknowledged_by_id is None:
        return run
    return None


def awaiting(user):
    """Task states waiting for this user: one query over the unit and role stored on each state."""
    if not user.is_authenticated or not user.is_active:
        return UnitTaskState.objects.none()
    holds_role = Membership.objects.active().filter(user=user, unit=OuterRef("unit"), role=OuterRef("role"))
    return (
        UnitTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
        .filter(Exists(holds_role))
        .exclude(stage__in=INDEPENDENT_STAGES, workflow_state__requested_by=user)
    )


# ---------------------------------------------------------------- who may act


def refusal(state, user):
    """Why `user` may not act on the task state (a Chinese sentence), or None."""
    if not user.is_authenticated or not user.is_active:
        return _("请先登录。")
    if not isinstance(state, UnitTaskState):
        return _("当前环节不需要人工审核。")
    if state.unit_id is None:
        return _("未能确定“%(stage)s”环节的审核单位，请管理员检查内容的所属单位。") % {
            "stage": state.get_stage_display()
        }
    if not Membership.objects.active().filter(user=user, unit_id=state.unit_id, role=state.role).exists():
        return _("只有%(unit)s的%(role)s可以办理“%(stage)s”环节。") % {
            "unit": state.unit.name,
            "role": state.get_role_display(),
            "stage": state.get_stage_display(),
        }
    return independence_refusal(state, user, specific(state.workflow_state.content_object))


def can_act(obj, user):
    state = current_task_state(obj)
    return state is not None and refusal(state, user) is None


def can_edit(obj, user):
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    opts = obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return False
    unit_id = getattr(obj, "owning_unit_id", None)
    return user.is_superuser or Membership.objects.active().filter(user=user, unit_id=unit_id).exists()


def first_pending_task(workflow_state, revision):
    """The earliest active task of the workflow not yet approved for this revision."""
    approved = TaskState.objects.filter(
        workflow_state=workflow_state,
        revision=revision,
        status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED),
    ).values("task_id")
    return (
        Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
        .exclude(pk__in=approved)
        .order_by("workflow_tasks__sort_order")
        .first()
    )


def start_task(task, workflow_state, user=None):
    """Start a task; after an edit, the workflow first goes back to the earliest stage not approved for it."""
    obj = specific(workflow_state.content_object)
    revision = newest_revision(obj)
    first_pending = first_pending_task(workflow_state, revision)
    if first_pending is not None and first_pending.pk != task.pk:
        return first_pending.specific.start(workflow_state, user=user)
    if isinstance(task, AutomatedCheckTask):
        state = AutomatedCheckTaskState.objects.create(
            workflow_state=workflow_state, task=task, revision=revision, status=TaskState.STATUS_IN_PROGRESS
        )
        run = run_checks(obj, revision, CheckRun.Phase.SUBMIT)
        state.check_run = run
        state.save(update_fields=["check_run"])
        task_submitted.send(sender=AutomatedCheckTaskState, instance=state, user=user)
        if run.blocking() or run.requirements:
            state.reject(user=None, update=False, comment=summarise(run))
        else:
            comment = _("自动检查通过。")
            if run.warnings():
                comment += _("有%(count)s条提示待审核人确认。") % {"count": len(run.warnings())}
            state.approve(user=None, update=False, comment=comment)
        return state
    state = UnitTaskState.objects.create(
        workflow_state=workflow_state,
        task=task,
        revision=revision,
        status=TaskState.STATUS_IN_PROGRESS,
        unit=task.resolve_unit(obj),
        role=task.role,
        stage=task.stage,
    )
    task_submitted.send(sender=UnitTaskState, instance=state, user=user)
    return state


# ---------------------------------------------------------------- actions


def submit(obj, user):
    """Send the object's latest revision into its workflow (or resume one sent back for changes)."""
    obj = specific(obj)
    if not can_edit(obj, user):
        raise WorkflowError(_("您没有编辑该内容的权限，不能提交审核。"))
    workflow = obj.get_workflow()
    if workflow is None:
        raise WorkflowError(_("该内容没有配置审核流程，请联系管理员。"))
    state = active_workflow_state(obj)
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise WorkflowError(_("该内容已在审核中，不能重复提交。"))
    if newest_revision(obj) is None:
        obj.save_revision(user=user)
    if state is not None:
        state.resume(user=user)
    else:
        state = workflow.start(obj, user)
    state.refresh_from_db()
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        run = latest_check_run(obj, newest_revision(obj))
        if run is not None and (run.blocking() or run.requirements):
            raise WorkflowError(summarise(run), findings=run.findings)
    return state


def approval_problems(state, obj, checked):
    """Everything that stops this approval regardless of who gives it (the form shows these too)."""
    problems = []
    labels = checklist_labels()
    required = list(state.task.specific.checklist())
    if _unacknowledged_run(obj, state.revision) is not None:
        required.append(ACKNOWLEDGE_KEY)
    missing = [key for key in required if key not in set(checked)]
    if missing:
        problems.append(_("请逐项确认审核要点：%(items)s。") % {"items": "、".join(str(labels[k]) for k in missing)})
    if state.stage == Stage.REVIEW_3:
        missing_units = missing_consents(obj, state.revision)
        if missing_units:
            problems.append(
                _("联合发文须经各联合发文单位主要负责人在系统中会签后才能签发，尚未会签：%(units)s。")
                % {"units": "、".join(u.name for u in missing_units)}
            )
    if not problems and state.workflow_state.is_at_final_task:
        # A final sign-off stage is checked for independence when approved; any other needs one behind it.
        if state.stage not in SIGN_OFF_STAGES and not signed_off(state.workflow_state, state.revision, obj):
            problems.append(sign_off_refusal())
        else:
            problems.extend(publish_problems(obj, state.revision))
    return problems


def publish_problems(obj, revision):
    """The pre-publication check, run again just before the final approval publishes."""
    run = run_checks(obj, revision, CheckRun.Phase.PUBLISH)
    problems = []
    if run.blocking():
        problems.append(summarise(run))
    content = revision.as_object()
    requirements = getattr(content, "publication_requirements", lambda phase: [])(CheckRun.Phase.PUBLISH)
    problems.extend(str(m) for m in requirements)
    if run.warnings() and run.acknowledged_by_id is None:
        label = checklist_labels()[ACKNOWLEDGE_KEY]
        problems.append(_("发布前检查发现新的提示，请勾选“%(label)s”后再通过。") % {"label": label})
    return problems


def co_issuing_units(content):
    units = getattr(content, "co_issuing_units", None)
    if units is None:
        return []
    owning = getattr(content, "owning_unit_id", None)
    return [u for u in units.all() if u.pk != owning]


def missing_consents(obj, revision):
    consented = set(Consent.for_object(obj).filter(revision=revision).values_list("unit_id", flat=True))
    return [u for u in co_issuing_units(revision.as_object()) if u.pk not in consented]


def approve(obj, user, *, comment="", checked=()):
    obj = specific(obj)
    checked = [str(key) for key in checked]
    with transaction.atomic():
        state = current_task_state(obj, for_update=True)
        if state is None:
            raise WorkflowError(_("该内容当前没有待办理的审核环节（可能已由他人处理）。"))
        reason = refusal(state, user)
        if reason:
            raise WorkflowError(reason)
        problems = approval_problems(state, obj, checked)
        if problems:
            raise WorkflowError(problems[0])
        allowed = set(state.task.specific.checklist()) | {ACKNOWLEDGE_KEY}
        state.checked = [key for key in checked if key in allowed]
        state.save(update_fields=["checked"])
        if ACKNOWLEDGE_KEY in checked:
            CheckRun.for_object(obj).filter(revision=state.revision, acknowledged_by__isnull=True).update(
                acknowledged_by=user, acknowledged_at=timezone.now()
            )
        state.approve(user=user, comment=comment)
    return state


def approval_message(state):
    """What an approval did and what comes next, for the approver: the next stage and who has it, or 已发布."""
    obj = specific(state.workflow_state.content_object)
    done = Stage(state.stage).label if state.stage in Stage.values else state.task.name
    following = current_stage(obj)
    if following is not None:
        if following.unit is None:
            return _("%(done)s已通过，已转%(next)s。") % {"done": done, "next": following.label}
        return _("%(done)s已通过，已转%(next)s（%(unit)s %(role)s）。") % {
            "done": done,
            "next": following.label,
            "unit": following.unit.name,
            "role": following.role_label,
        }
    state.workflow_state.refresh_from_db()
    if state.workflow_state.status == WorkflowState.STATUS_APPROVED and getattr(obj, "live", True):
        return _("%(done)s已通过，已发布。") % {"done": done}
    return _("%(done)s已通过。") % {"done": done}


def published_url(obj):
    """The public address of a published page, for the 已发布 message's link; "" for anything else."""
    obj = specific(obj)
    if isinstance(obj, Page) and obj.live:
        return obj.get_full_url() or ""
    return ""


def reject(obj, user, *, reasons, comment):
    obj = specific(obj)
    reasons = [str(r) for r in (reasons or ())]
    if not reasons:
        raise WorkflowError(_("退回须至少选择一项退回理由。"))
    unknown = [r for r in reasons if r not in RejectionReason.values]
    if unknown:
        raise WorkflowError(_("无效的退回理由：%(reasons)s。") % {"reasons": "、".join(unknown)})
    if not (comment or "").strip():
        raise WorkflowError(_("退回须填写具体修改意见。"))
    with transaction.atomic():
        state = current_task_state(obj, for_update=True)
        if state is None:
            raise WorkflowError(_("该内容当前没有待办理的审核环节（可能已由他人处理）。"))
        reason = refusal(state, user)
        if reason:
            raise WorkflowError(reason)
        state.reasons = list(dict.fromkeys(reasons))
        state.save(update_fields=["reasons"])
        state.reject(user=user, comment=comment.strip())
    return state


def consent(obj, user, *, comment=""):
    """Record the head of a co-issuing unit consenting to the current revision (会签)."""
    obj = specific(obj)
    revision = newest_revision(obj)
    if revision is None or active_workflow_state(obj) is None:
        raise WorkflowError(_("只有审核中的内容才能会签。"))
    units = [
        u
        for u in co_issuing_units(revision.as_object())
        if Membership.objects.active().filter(user=user, unit=u, role=Role.HEAD).exists()
    ]
    if not units:
        raise WorkflowError(_("只有联合发文单位的主要负责人可以会签。"))
    created = []
    for unit in units:
        record, _created = Consent.objects.get_or_create(
            base_content_type=obj.get_base_content_type(),
            object_id=str(obj.pk),
            revision=revision,
            unit=unit,
            defaults={"user": user, "comment": comment},
        )
        created.append(record)
    return created


def override(obj, user, *, kind, reason, legal_basis=""):
    """The owning unit's head decides to publish despite an unlisted source or unmasked personal data."""
    obj = specific(obj)
    if kind not in Override.Kind.values:
        raise WorkflowError(_("未知的放行类型。"))
    if not Membership.objects.active().filter(user=user, unit_id=obj.owning_unit_id, role=Role.HEAD).exists():
        raise WorkflowError(_("只有内容所属单位的主要负责人可以作出此决定。"))
    if not (reason or "").strip():
        raise WorkflowError(_("请写明理由。"))
    if kind == Override.Kind.PERSONAL_DATA and legal_basis not in Override.LegalBasis.values:
        raise WorkflowError(_("公开未脱敏的个人信息须选择法定依据（惩戒公示或强制性信息披露）。"))
    return Override.objects.create(
        base_content_type=obj.get_base_content_type(),
        object_id=str(obj.pk),
        kind=kind,
        legal_basis=legal_basis if kind == Override.Kind.PERSONAL_DATA else "",
        reason=reason.strip(),
        user=user,
    )


def emergency_publish(obj, user, *, reason):
    """A superuser publishes outside the workflow; the reason is required and the register flags it."""
    obj = specific(obj)
    if not (user.is_active and user.is_superuser):
        raise WorkflowError(_("只有系统管理员可以紧急发布。"))
    if len((reason or "").strip()) < 10:
        raise WorkflowError(_("紧急发布须书面说明理由（不少于10个字）。"))
    revision = newest_revision(obj) or obj.save_revision(user=user)
    with transaction.atomic():
        run = run_checks(obj, revision, CheckRun.Phase.PUBLISH)
        if run.blocking():
            raise WorkflowError(summarise(run))
        state = active_workflow_state(obj)
        if state is not None:
            state.cancel(user=user)
        revision.publish(user=user, skip_permission_checks=True)
        return record_publication(obj, revision, None, user, emergency=True, reason=reason.strip())


def publish_from_workflow(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish exactly the revision the stages approved, then register it."""
    obj = specific(workflow_state.content_object)
    last_state = workflow_state.current_task_state
    revision = last_state.revision if last_state else newest_revision(obj)
    if newest_revision(obj).pk != revision.pk:
        raise WorkflowError(_("内容在审核通过后又被修改，须重新审核。"))
    if not signed_off(workflow_state, revision, obj):
        # Whatever tasks a workflow has, the submitter or an author must never publish alone.
        raise WorkflowError(sign_off_refusal())
    if first_pending_task(workflow_state, revision) is not None:
        raise WorkflowError(_("未经人工审核的内容不能发布，请管理员检查审核流程配置。"))
    run = CheckRun.for_object(obj).filter(revision=revision, phase=CheckRun.Phase.PUBLISH).first()
    if run is None or run.created_at < last_state.started_at:
        problems = publish_problems(obj, revision)
        if problems:
            raise WorkflowError(problems[0])
    revision.publish(user=user, skip_permission_checks=True)
    record_publication(obj, revision, workflow_state, user)


def restart_after_edit(revision):
    """An edit while in review sends the content back to the first stage (re-approval on edit)."""
    state = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=revision.base_content_type_id,
            workflow_state__object_id=revision.object_id,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            status=TaskState.STATUS_IN_PROGRESS,
        )
        .exclude(revision=revision)
        .first()
    )
    if state is None:
        return None
    state.specific.cancel(user=revision.user, resume=True, comment=_("审核期间内容被修改，重新从第一环节审核。"))
    return state


__all__ = [
    "WorkflowError",
    "StageInfo",
    "submit",
    "current_stage",
    "checklist_for",
    "approve",
    "reject",
    "consent",
    "override",
    "emergency_publish",
    "awaiting",
    "can_act",
    # Re-exported: the other apps and the tests reach them through this module.
    "ACTIVE_STATUSES",
    "active_workflow_state",
    "collect_findings",
    "current_task_state",
    "latest_check_run",
    "newest_revision",
    "precheck",
    "record_publication",
    "run_checks",
    "specific",
    "summarise",
]
