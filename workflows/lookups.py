"""Where an object stands in its review: its workflow, current task and stage, newest revision and last check run.

Read-only lookups shared by the review rules (workflows.api), the automated checks and the publication record.
"""

from dataclasses import dataclass

from wagtail.models import Page, Revision, TaskState, WorkflowState

from cms.organisation.models import Role, Unit

from .models import CheckRun, Stage, UnitTaskState

ACTIVE_STATUSES = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


@dataclass(frozen=True)
class StageInfo:
    name: str
    stage: str
    role: str
    unit: Unit | None
    task_state: TaskState

    @property
    def label(self):
        return Stage(self.stage).label if self.stage in Stage.values else self.name

    @property
    def role_label(self):
        return Role(self.role).label if self.role in Role.values else ""


def specific(obj):
    return obj.specific if isinstance(obj, Page) else obj


def active_workflow_state(obj):
    return (
        WorkflowState.objects.filter(
            base_content_type=obj.get_base_content_type(), object_id=str(obj.pk), status__in=ACTIVE_STATUSES
        )
        .select_related("workflow", "requested_by")
        .first()
    )


def current_task_state(obj, *, for_update=False):
    """The in-progress task state of the object's workflow (specific), or None."""
    states = TaskState.objects.filter(
        workflow_state__base_content_type=obj.get_base_content_type(),
        workflow_state__object_id=str(obj.pk),
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        status=TaskState.STATUS_IN_PROGRESS,
    )
    if for_update:
        states = states.select_for_update()
    state = states.order_by("-pk").first()
    return state.specific if state else None


def current_stage(obj):
    """Where the object stands: None when no workflow is in progress."""
    state = current_task_state(obj)
    if state is None:
        return None
    if isinstance(state, UnitTaskState):
        return StageInfo(state.task.name, state.stage, state.role, state.unit, state)
    return StageInfo(state.task.name, "", "", None, state)


def latest_check_run(obj, revision=None):
    runs = CheckRun.for_object(obj)
    if revision is not None:
        runs = runs.filter(revision=revision)
    return runs.first()


def newest_revision(obj):
    """Read from the revisions table: during save_revision the object's own pointer is not updated yet."""
    return (
        Revision.objects.filter(base_content_type=obj.get_base_content_type(), object_id=str(obj.pk))
        .order_by("-created_at", "-pk")
        .first()
    )
