"""Who may read a content object's draft in our own admin views (会签, 放行, 脱敏, 排版出样, 紧急发布).

One rule, called by every such view so none can forget it: a user sees the newest draft of an object
only if they may edit it, may act on its current review stage, or are the head (主要负责人) of a unit
that this draft lists as co-issuing. A 不予公开 item is shown only to those who may edit it or act on
it (for a page, Wagtail opens the editor to the current stage's reviewer too), never to a co-issuer.
Anyone else gets 404, the answer for a missing object, so the ids of other units' drafts tell nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.models import RevisionMixin, TaskState

from cms.organisation.models import Membership, Role

from . import api


def newest_draft(obj):
    """The object as its newest revision has it (what our views show), or the object without revisions."""
    revision = api.newest_revision(obj)
    return revision.as_object() if revision else obj


def is_withheld(obj, draft):
    # Either the stored row or the draft may carry the 不予公开 decision; both keep the item closed.
    return bool(getattr(obj, "is_withheld", False) or getattr(draft, "is_withheld", False))


def heads_co_issuing_unit(draft, user):
    unit_ids = [unit.pk for unit in api.co_issuing_units(draft)]
    return (
        bool(unit_ids) and Membership.objects.active().filter(user=user, unit_id__in=unit_ids, role=Role.HEAD).exists()
    )


def can_view_draft(obj, user):
    if not user.is_authenticated or not user.is_active:
        return False
    if api.can_edit(obj, user) or api.can_act(obj, user):
        return True
    draft = newest_draft(obj)
    return not is_withheld(obj, draft) and heads_co_issuing_unit(draft, user)


def get_object_for_user(request, content_type_id, object_id):
    """The (specific) content object named in the URL, or Http404 when it is missing or not for this user."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as e:
        raise Http404 from e
    if model is None or not issubclass(model, RevisionMixin):
        raise Http404
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, ValidationError) as e:
        raise Http404 from e
    if obj is None:
        raise Http404
    obj = api.specific(obj)
    if not can_view_draft(obj, request.user):
        raise Http404
    return obj


def get_task_state_for_user(request, task_state_id):
    """The (specific) task state, or Http404 under the same rule as for its content object."""
    state = TaskState.objects.filter(pk=task_state_id).select_related("revision", "workflow_state").first()
    if state is None:
        raise Http404
    obj = api.specific(state.workflow_state.content_object)
    if not can_view_draft(obj, request.user):
        raise Http404
    return state.specific
