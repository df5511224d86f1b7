from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..api import latest_check_run, missing_consents, specific
from ..models import ACKNOWLEDGE_KEY, CHECKLISTS, RejectionReason, UnitTaskState, checklist_labels

register = template.Library()


@register.simple_tag
def review_context(task_state):
    """What the approve/reject modal shows: stage, checklist, findings, preview (排版出样)."""
    obj = specific(task_state.workflow_state.content_object)
    run = latest_check_run(obj, task_state.revision)
    items = []
    is_proof = False
    if isinstance(task_state, UnitTaskState):
        task = task_state.task.specific
        items = list(CHECKLISTS.get(task.stage, []))
        is_proof = task.is_proof
        if run is not None and run.warnings() and run.acknowledged_by_id is None:
            items.append((ACKNOWLEDGE_KEY, checklist_labels()[ACKNOWLEDGE_KEY]))
    preview_url = None
    if getattr(obj, "is_previewable", lambda: False)():
        preview_url = reverse("workflows:proof_preview", args=[task_state.pk])
    return {
        "object": obj,
        "items": items,
        "is_proof": is_proof,
        "preview_url": preview_url,
        "run": run,
        "missing_consents": missing_consents(obj, task_state.revision),
        "reasons": RejectionReason.choices,
    }


@register.simple_tag
def highlighted(finding):
    """The finding's text in context with the hit marked, as the editor and reviewers see it."""
    matched = finding.get("matched") or finding.get("term") or ""
    return format_html(
        "{}<mark>{}</mark>{}", finding.get("context_before", ""), matched, finding.get("context_after", "")
    )
