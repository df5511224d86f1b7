"""Admin wiring for 三审三校: action views, the authoritative-source list, dashboard panels."""

from django.apps import apps
from django.contrib import messages as django_messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import TaskState, WorkflowState

from cms.organisation.models import Membership, Role

from . import register, register_urls, views
from .api import (
    ACTIVE_STATUSES,
    active_workflow_state,
    latest_check_run,
    missing_consents,
    newest_revision,
    specific,
    summarise,
)
from .models import AuthoritativeSource, PublicMailboxDomain, UrlShortenerHost


class AuthoritativeSourceViewSet(ModelViewSet):
    model = AuthoritativeSource
    icon = "link"
    menu_label = _("权威来源名录")
    list_display = ["name", "domain", "level", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "domain"]
    form_fields = ["name", "domain", "level", "active"]
    copy_view_enabled = False


class PublicMailboxDomainViewSet(ModelViewSet):
    model = PublicMailboxDomain
    icon = "mail"
    menu_label = _("公开邮箱域名")
    list_display = ["domain", "owner", "active"]
    list_filter = ["active"]
    search_fields = ["domain", "owner"]
    form_fields = ["domain", "owner", "active"]
    copy_view_enabled = False


class UrlShortenerHostViewSet(ModelViewSet):
    model = UrlShortenerHost
    icon = "link"
    menu_label = _("短链接域名")
    list_display = ["domain", "note", "active"]
    list_filter = ["active"]
    search_fields = ["domain", "note"]
    form_fields = ["domain", "note", "active"]
    copy_view_enabled = False


class ReviewViewSetGroup(ModelViewSetGroup):
    menu_label = _("审核发布")
    menu_icon = "clipboard-list"
    menu_order = 240
    items = (
        AuthoritativeSourceViewSet("authoritative-sources"),
        PublicMailboxDomainViewSet("public-mailbox-domains"),
        UrlShortenerHostViewSet("url-shortener-hosts"),
    )
    submenu_hook = "register_review_menu_item"


@hooks.register("register_admin_viewset")
def register_review_viewsets():
    return ReviewViewSetGroup()


@hooks.register("register_admin_urls")
def register_workflow_urls():
    urls = [
        path("deidentify/<int:content_type_id>/<str:object_id>/", views.deidentify, name="deidentify"),
        path("override/<int:content_type_id>/<str:object_id>/", views.override, name="override"),
        path("consent/<int:content_type_id>/<str:object_id>/", views.consent, name="consent"),
        path("emergency/<int:content_type_id>/<str:object_id>/", views.emergency_publish, name="emergency_publish"),
        path("proof/<int:task_state_id>/", views.proof_preview, name="proof_preview"),
        path("precheck/<int:content_type_id>/<str:object_id>/", views.precheck, name="precheck"),
        path("approved/<int:task_state_id>/", views.approved, name="approved"),
    ]
    return [path("review/", include((urls, "workflows"), namespace="workflows"))]


@hooks.register("register_admin_urls")
def register_publication_register_urls():
    return [path("register/", include(register_urls))]


@hooks.register("register_review_menu_item")
def register_publication_register_menu_item():
    return register.RegisterMenuItem(
        _("信息发布登记"),
        reverse("workflows_register:index"),
        name="publication-register",
        icon_name="list-ul",
        order=10,
    )


@hooks.register("register_review_menu_item")
def register_rejection_report_menu_item():
    return register.RegisterMenuItem(
        _("退回情况统计"),
        reverse("workflows_register:rejections"),
        name="rejection-report",
        icon_name="warning",
        order=20,
    )


def drop_success_messages(request):
    """Wagtail queues "submitted" before our hook runs; a send-back must show its failure alone."""
    storage = django_messages.get_messages(request)
    # Django's message storage has no public way to withdraw a message queued in this request.
    storage._queued_messages = [m for m in storage._queued_messages if m.level != django_messages.SUCCESS]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def tell_editor_when_checks_bounce(request, page):
    """Wagtail reports "submitted" either way; when the automated check sent it straight back, say why."""
    if "action-submit" not in request.POST and "action-restart-workflow" not in request.POST:
        return None
    state = active_workflow_state(page)
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return None
    run = latest_check_run(page, newest_revision(page))
    if run is None or not (run.blocking() or run.requirements):
        return None
    drop_success_messages(request)
    messages.error(request, summarise(run))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("after_edit_page")
def tell_approver_what_is_next(request, page):
    """Approving from the page editor: say which stage the page went to, or that it is published."""
    if "action-workflow-action" not in request.POST or request.POST.get("workflow-action-name") != "approve":
        return None
    state = (
        TaskState.objects.filter(
            workflow_state__base_content_type=page.get_base_content_type(),
            workflow_state__object_id=str(page.pk),
            finished_by=request.user,
            status=TaskState.STATUS_APPROVED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if state is not None:
        drop_success_messages(request)
        views.add_approval_message(request, state.specific)
    return None


class ConsentsAwaitingPanel(Component):
    """联合发文会签待办: content co-issued by a unit whose head is this user, still without their consent."""

    name = "consents_awaiting"
    template_name = "workflows/panels/consents_awaiting.html"
    order = 90

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {"items": self.items}


def co_issued_models():
    """Every model (page type or snippet) that can list co-issuing units; workflows imports no page type."""
    return [m for m in apps.get_models() if any(f.name == "co_issuing_units" for f in m._meta.many_to_many)]


def base_content_type(model):
    """The content type workflow states are filed under: the topmost concrete parent (Page for pages)."""
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(parents[-1] if parents else model, for_concrete_model=False)


def consents_awaiting(user):
    """(object, units of the user still to consent, base content type id) for joint documents in review.

    The co-issuing units are read from each object's latest revision: a draft's edits live there, not in
    its database row. Only objects in review are read, so finished joint documents cost nothing.
    """
    head_units = set(Membership.objects.active().filter(user=user, role=Role.HEAD).values_list("unit_id", flat=True))
    if not head_units:
        return []
    items = []
    for model in co_issued_models():
        in_review = WorkflowState.objects.filter(
            base_content_type=base_content_type(model), status__in=ACTIVE_STATUSES
        ).values_list("object_id", flat=True)
        pks = [model._meta.pk.to_python(object_id) for object_id in in_review]
        for obj in model.objects.filter(pk__in=pks).select_related("latest_revision").order_by("pk"):
            revision = obj.latest_revision
            if revision is None or not head_units & set(revision.content.get("co_issuing_units") or []):
                continue
            waiting = [unit for unit in missing_consents(obj, revision) if unit.pk in head_units]
            if waiting:
                items.append((specific(obj), waiting, obj.get_base_content_type().pk))
    return items


@hooks.register("construct_homepage_panels")
def add_consent_panel(request, panels):
    items = consents_awaiting(request.user)
    if items:
        panels.append(ConsentsAwaitingPanel(items))
