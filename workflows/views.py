"""Admin views around the workflow: de-identification, a head's override, co-issuer consent, emergency publish,
预检 and the approver's confirmation of what an approval did."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import TaskState

from . import access, api
from .models import Override


def _edit_url(request, obj):
    return AdminURLFinder(request.user).get_edit_url(obj) or "/admin/"


def _render(request, obj, template, form, **extra):
    context = {"object": obj, "form": form, "edit_url": _edit_url(request, obj), **extra}
    return TemplateResponse(request, template, context)


def deidentify(request, content_type_id, object_id):
    """Mask every ID number, mobile number, bank card and e-mail address in the latest revision."""
    obj = access.get_object_for_user(request, content_type_id, object_id)
    if not api.can_edit(obj, request.user):
        raise PermissionDenied
    latest = api.newest_revision(obj)
    content = latest.as_object() if latest else obj
    if request.method == "POST":
        from .checks import mask_object_personal_data

        count = mask_object_personal_data(content)
        if count:
            content.save_revision(user=request.user, log_action=True)
            messages.success(request, _("已脱敏%(count)s处个人信息并保存为新版本，请重新提交审核。") % {"count": count})
        else:
            messages.info(request, _("没有发现需要脱敏的个人信息。"))
        return redirect(_edit_url(request, obj))
    run = api.latest_check_run(obj)
    from .checks.findings import FILE_SOURCE

    found = [f for f in (run.findings if run else []) if f.get("category") == "personal_data"]
    # Attachments and images cannot be masked here: they are listed apart, to be replaced.
    findings = [f for f in found if f.get("source") != FILE_SOURCE]
    file_findings = [f for f in found if f.get("source") == FILE_SOURCE]
    return _render(request, obj, "workflows/deidentify.html", None, findings=findings, file_findings=file_findings)


class OverrideForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("放行事项"), choices=Override.Kind.choices)
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("法定依据（公开个人信息时必选）"),
        choices=[("", "——")] + list(Override.LegalBasis.choices),
        required=False,
    )
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 4}))


def override(request, content_type_id, object_id):
    obj = access.get_object_for_user(request, content_type_id, object_id)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api.override(
                obj,
                request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                legal_basis=form.cleaned_data["legal_basis"],
            )
        except api.WorkflowError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("决定已记录，将在发布登记中留存。请重新提交审核。"))
            return redirect(_edit_url(request, obj))
    return _render(request, obj, "workflows/override.html", form)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 4}))


def emergency_publish(request, content_type_id, object_id):
    if not request.user.is_superuser:
        raise PermissionDenied
    obj = access.get_object_for_user(request, content_type_id, object_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api.emergency_publish(obj, request.user, reason=form.cleaned_data["reason"])
        except api.WorkflowError as e:
            form.add_error(None, e.message)
        else:
            messages.warning(request, _("已紧急发布，发布登记中已标注紧急发布及理由。"))
            return redirect(_edit_url(request, obj))
    return _render(request, obj, "workflows/emergency_publish.html", form)


class ConsentForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("会签意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def consent(request, content_type_id, object_id):
    obj = access.get_object_for_user(request, content_type_id, object_id)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api.consent(obj, request.user, comment=form.cleaned_data["comment"])
        except api.WorkflowError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已会签。"))
            return redirect("wagtailadmin_home")
    latest = api.newest_revision(obj)
    content = latest.as_object() if latest else obj
    return _render(request, obj, "workflows/consent.html", form, content=content)


def proof_preview(request, task_state_id):
    """排版出样: the revision under review as the public will see it, framed inside the proof modal."""
    state = access.get_task_state_for_user(request, task_state_id)
    content = state.revision.as_object()
    if not getattr(content, "is_previewable", lambda: False)():
        raise Http404
    response = content.make_preview_request(request, content.default_preview_mode)
    # The simulated request went through the middleware, which denies framing; the proof modal frames it.
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_POST
def precheck(request, content_type_id, object_id):
    """预检: the submission checks run on the newest draft and shown to its editor; nothing changes state."""
    obj = access.get_object_for_user(request, content_type_id, object_id)
    if not api.can_edit(obj, request.user):
        raise PermissionDenied
    result = api.precheck(obj)
    return _render(request, obj, "workflows/precheck.html", None, result=result)


def add_approval_message(request, state):
    """一审已通过，已转二审（石羊镇 分管负责人）, or 已发布 with a link to the published page."""
    message = api.approval_message(state)
    url = api.published_url(state.workflow_state.content_object)
    buttons = [messages.button(url, _("查看已发布页面"), new_window=True)] if url else None
    messages.success(request, message, buttons=buttons)


def approved(request, task_state_id):
    """Where an approval made in the review dialog lands: tells the approver what happened and what is next."""
    state = (
        TaskState.objects.filter(pk=task_state_id, finished_by=request.user, status=TaskState.STATUS_APPROVED)
        .select_related("workflow_state")
        .first()
    )
    if state is None:
        raise Http404
    state = state.specific
    add_approval_message(request, state)
    obj = api.specific(state.workflow_state.content_object)
    return redirect(_edit_url(request, obj) if api.can_edit(obj, request.user) else "wagtailadmin_home")
