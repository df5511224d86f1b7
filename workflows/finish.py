"""WAGTAIL_FINISH_WORKFLOW_ACTION target.

Wagtail imports this while its own models load, so the real work is imported lazily.
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish the revision the final stage approved; the approver needs no publish permission."""
    from .api import publish_from_workflow

    publish_from_workflow(workflow_state, user)
