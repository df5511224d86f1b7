"""Review independence: who may not review content they wrote, and the sign-off every publication needs.

No workflow variant can undo these: the reviewer's rules (`api.refusal`), the final approval, the finish
action that publishes and the workflow editor all ask this module.
"""

from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState

from .models import Stage, UnitRoleTask, UnitTaskState

# The stages that sign content off for publication: every workflow needs one, approved by an independent reviewer.
SIGN_OFF_STAGES = (Stage.REVIEW_3, Stage.GRADED)
# Stages that neither the submitter nor anyone who wrote the content since it last went live may perform.
INDEPENDENT_STAGES = (Stage.REVIEW_2, *SIGN_OFF_STAGES)


def authors_since_publication(obj):
    """Ids of everyone who saved a revision since the content last went live (or since it was created)."""
    revisions = Revision.objects.filter(base_content_type=obj.get_base_content_type(), object_id=str(obj.pk))
    published_at = getattr(obj, "last_published_at", None)
    if published_at is not None:
        revisions = revisions.filter(created_at__gte=published_at)
    return set(revisions.exclude(user=None).values_list("user_id", flat=True))


def dependence(user_id, workflow_state, obj):
    """Why this person is not independent of the content under review (a Chinese sentence), or None."""
    if user_id == workflow_state.requested_by_id:
        return _("不能审核本人提交的内容")
    if user_id in authors_since_publication(obj):
        return _("不能审核本人撰写或修改过的内容（自上次发布以来）")
    return None


def independence_refusal(state, user, obj):
    """Why `user` may not act on an independent stage of this task state, or None."""
    if state.stage not in INDEPENDENT_STAGES:
        return None
    reason = dependence(user.pk, state.workflow_state, obj)
    if reason:
        return _("%(reason)s：“%(stage)s”须由提交人和撰稿、修改人以外的人员办理。") % {
            "reason": reason,
            "stage": state.get_stage_display(),
        }
    others = SIGN_OFF_STAGES if state.stage == Stage.REVIEW_2 else (Stage.REVIEW_2,)
    if UnitTaskState.objects.filter(
        workflow_state=state.workflow_state,
        revision=state.revision,
        stage__in=others,
        status=TaskState.STATUS_APPROVED,
        finished_by=user,
    ).exists():
        return _("同一人不能既二审又三审同一版本。")
    return None


def sign_off_refusal():
    return _(
        "该内容未经独立审核人在“三审（签发）”或“分级审核”环节审核通过，不能发布。"
        "请管理员在“设置 › 工作流”中检查审核流程配置。"
    )


def signed_off(workflow_state, revision, obj):
    """Whether an independent reviewer approved this revision at a sign-off stage of this workflow run."""
    approvers = (
        UnitTaskState.objects.filter(
            workflow_state=workflow_state,
            revision=revision,
            stage__in=SIGN_OFF_STAGES,
            status=TaskState.STATUS_APPROVED,
        )
        .exclude(finished_by=None)
        .values_list("finished_by_id", flat=True)
    )
    return any(dependence(user_id, workflow_state, obj) is None for user_id in approvers)


def is_sign_off_task(task):
    task = task.specific
    return task.active and isinstance(task, UnitRoleTask) and task.stage in SIGN_OFF_STAGES


def workflow_tasks_refusal(tasks):
    """Why a workflow of these tasks may not be saved (a Chinese sentence), or None."""
    if any(is_sign_off_task(task) for task in tasks):
        return None
    return _(
        "审核流程须包含由独立审核人办理的“三审（签发）”或“分级审核”环节（单位角色审核任务），"
        "否则提交人可以独自完成审核并发布。请添加该环节后再保存。"
    )
