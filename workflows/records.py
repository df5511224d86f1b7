"""The publication record (信息发布审核单): who approved what, when, with which findings, overrides and consents."""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState

from cms.organisation.models import Role, Unit
from cms.organisation.people import person_name

from .lookups import specific
from .models import CheckRun, Consent, Override, PublicationRecord, Stage, checklist_labels


def record_publication(obj, revision, workflow_state, user, *, emergency=False, reason=""):
    obj = specific(type(obj)._default_manager.get(pk=obj.pk))
    labels = checklist_labels()
    stages = []
    if workflow_state is not None:
        states = (
            TaskState.objects.filter(workflow_state=workflow_state, revision=revision, status=TaskState.STATUS_APPROVED)
            .select_related("task", "finished_by")
            .order_by("finished_at", "pk")
            .specific()
        )
        for state in states:
            entry = {
                "task": state.task.name,
                "stage": getattr(state, "stage", ""),
                "stage_label": str(Stage(state.stage).label) if getattr(state, "stage", "") else str(_("自动检查")),
                "role": getattr(state, "role", ""),
                "role_label": str(Role(state.role).label) if getattr(state, "role", "") else "",
                "unit": state.unit.name if getattr(state, "unit", None) else "",
                "user_id": state.finished_by_id,
                "user": person_name(state.finished_by) or str(_("系统")),
                "finished_at": state.finished_at.isoformat() if state.finished_at else "",
                "checked": list(getattr(state, "checked", [])),
                "checked_labels": [str(labels.get(k, k)) for k in getattr(state, "checked", [])],
                "comment": state.comment,
            }
            stages.append(entry)
    runs = list(CheckRun.for_object(obj).filter(revision=revision).select_related("acknowledged_by"))
    findings = runs[0].findings if runs else []
    acknowledgements = [
        {"user": person_name(r.acknowledged_by), "at": r.acknowledged_at.isoformat(), "phase": r.phase}
        for r in runs
        if r.acknowledged_by_id
    ]
    overrides = [
        {
            "kind": o.kind,
            "kind_label": str(o.get_kind_display()),
            "legal_basis": str(o.get_legal_basis_display()) if o.legal_basis else "",
            "reason": o.reason,
            "user": person_name(o.user),
            "at": o.created_at.isoformat(),
        }
        for o in Override.for_object(obj).select_related("user").order_by("created_at")
    ]
    consents = [
        {"unit": c.unit.name, "user": person_name(c.user), "at": c.created_at.isoformat(), "comment": c.comment}
        for c in Consent.for_object(obj).filter(revision=revision).select_related("unit", "user")
    ]
    unit = Unit.objects.filter(pk=getattr(obj, "owning_unit_id", None)).first()
    column = obj.get_parent() if isinstance(obj, Page) else None
    url = obj.get_url() if isinstance(obj, Page) else ""
    return PublicationRecord.objects.create(
        base_content_type=obj.get_base_content_type(),
        object_id=str(obj.pk),
        revision=revision,
        title=str(obj)[:255],
        content_kind=str(type(obj)._meta.verbose_name),
        unit=unit,
        unit_name=unit.name if unit else "",
        column=column,
        column_title=column.title if column else "",
        url=url or "",
        published_at=timezone.now(),
        published_by=user,
        workflow_state=workflow_state,
        workflow_name=workflow_state.workflow.name if workflow_state else "",
        emergency=emergency,
        emergency_reason=reason,
        submitted_by_name=person_name(workflow_state.requested_by) if workflow_state else "",
        submitted_at=workflow_state.created_at if workflow_state else None,
        stages=stages,
        findings=findings,
        acknowledgements=acknowledgements,
        overrides=overrides,
        consents=consents,
    )
