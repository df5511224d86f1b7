"""Admin screens for handling letters (留言办理): the listing with clock levels and due dates, the letter's
page with its timeline and the handling steps, the writer's contact details and the attachments.

The letter's page shows the content but not who wrote it: contact details appear only after an explicit
POST "查看联系方式", and each such view and each attachment download is written to the audit log and to the
letter's own record. Numbers the writer typed into the subject or content (mobiles, ID numbers) are masked as
on the public board until the user has taken that audited step on this letter in this session; users who may
not see contact details (the supervisors) always read them masked. A letter the user may not see answers 404,
as if it did not exist.
"""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.organisation.models import Unit
from cms.security import audit
from workflows import api as workflow_api
from workflows.checks import mask_name, mask_personal_data

from ..models.letters import OPEN_STATUSES, LetterStatus, Message, MessageAction, MessageAttachment, MessageEvent
from . import access, admin_forms, handling
from .clock import Level, letter_clock

PER_PAGE = 50
# Letters whose contact details this session has viewed (audited); their subject and content show unmasked.
CONTACT_VIEWED_SESSION_KEY = "letters_contact_viewed"


class AccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not access.has_any_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        message = get_object_or_404(Message.objects.select_related("board", "handling_unit"), pk=self.kwargs["pk"])
        if not access.can_see(self.request.user, message):
            raise Http404
        return message


class LetterIndexView(AccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/letters/admin/index.html"
    page_title = gettext_lazy("留言办理")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        letters = access.letters_for(self.request.user).select_related("board", "handling_unit")
        status = params.get("status", "open")
        if status == "open":
            letters = letters.filter(status__in=OPEN_STATUSES)
        elif status in LetterStatus.values:
            letters = letters.filter(status=status)
        unit = params.get("unit", "")
        if unit.isdigit():
            letters = letters.filter(handling_unit_id=int(unit))
        today = timezone.localdate()
        rows = [(message, letter_clock(message, today)) for message in letters]
        level = params.get("level", "")
        if level == "severe":
            rows = [row for row in rows if row[1] and row[1].severely_overdue]
        elif level in Level.values:
            rows = [row for row in rows if row[1] and row[1].level == level]
        page = Paginator(rows, PER_PAGE).get_page(params.get("p"))
        for message, _clock in page.object_list:
            # The listing masks numbers in subjects alike; the letter's page shows them after 查看联系方式.
            message.listed_subject = mask_personal_data(message.subject)
        visible_units = Unit.objects.filter(pk__in=access.letters_for(self.request.user).values("handling_unit"))
        context.update(
            page_obj=page,
            rows=page.object_list,
            status=status,
            level=level,
            unit=unit,
            status_choices=[("open", _("未办结")), *LetterStatus.choices, ("all", _("全部"))],
            level_choices=[("", _("全部")), *Level.choices, ("severe", _("严重超期"))],
            unit_choices=visible_units.order_by("name"),
            query=self.request.GET.urlencode(),
        )
        return context


ACTION_LABELS = {
    "accept": gettext_lazy("受理"),
    "refuse": gettext_lazy("不予受理"),
    "transfer": gettext_lazy("转办 / 改派"),
    "start": gettext_lazy("开始办理"),
    "draft": gettext_lazy("起草答复并提交审核"),
    "approve": gettext_lazy("审核通过答复（办结并公开）"),
    "send_back": gettext_lazy("退回重办"),
    "instruction": gettext_lazy("领导批示"),
    "supervision": gettext_lazy("督办"),
}

ACTIONS = {
    "accept": (admin_forms.CommentForm, lambda m, u, d: handling.accept(m, u, d["comment"])),
    "refuse": (admin_forms.RefuseForm, lambda m, u, d: handling.refuse(m, u, d["reason"], d["note"])),
    "transfer": (admin_forms.TransferForm, lambda m, u, d: handling.transfer(m, u, d["unit"], d["comment"])),
    "start": (None, lambda m, u, d: handling.start(m, u)),
    "draft": (admin_forms.ReplyForm, lambda m, u, d: handling.draft_reply(m, u, d["text"])),
    "approve": (
        admin_forms.ApproveForm,
        lambda m, u, d: handling.approve_reply(m, u, d["comment"], checked=d["checked"]),
    ),
    "send_back": (
        admin_forms.SendBackForm,
        lambda m, u, d: handling.send_back(m, u, d["comment"], reasons=d["reasons"]),
    ),
    "instruction": (admin_forms.TextForm, lambda m, u, d: handling.add_instruction(m, u, d["text"])),
    "supervision": (admin_forms.TextForm, lambda m, u, d: handling.add_supervision(m, u, d["text"])),
}


def offered_actions(message, user):
    """The steps this user may take on the letter now (the functions check again when they run)."""
    status = message.status
    intake = access.is_intake(user, message)
    handler = access.is_handler(user, message)
    head = access.is_head(user, message)
    offered = {
        "accept": intake and status == LetterStatus.PENDING,
        "refuse": intake and status in (LetterStatus.PENDING, LetterStatus.ACCEPTED),
        "transfer": intake and status in (LetterStatus.ACCEPTED, LetterStatus.TRANSFERRED, LetterStatus.IN_PROGRESS),
        "start": handler and status in (LetterStatus.ACCEPTED, LetterStatus.TRANSFERRED),
        "draft": handler and status == LetterStatus.IN_PROGRESS,
        "approve": head and status == LetterStatus.REPLY_DRAFTED,
        "send_back": head and status == LetterStatus.REPLY_DRAFTED,
        "instruction": handling.may_instruct(user, message),
        "supervision": access.is_supervisor(user),
    }
    return [name for name, shown in offered.items() if shown]


class LetterDetailView(AccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/letters/admin/detail.html"
    header_icon = "mail"
    show_contact = False

    @cached_property
    def object(self):
        return self.get_object()

    def get_page_title(self):
        return _("留言 %(number)s") % {"number": self.object.receipt_number}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("letters_admin:index"), "label": _("留言办理")},
            {"url": "", "label": self.object.receipt_number},
        ]

    def get_context_data(self, action_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.object
        user = self.request.user
        initial = {"transfer": {"unit": message.handling_unit}}
        if message.status == LetterStatus.IN_PROGRESS and hasattr(message, "reply"):
            initial["draft"] = {"text": message.reply.text}
        forms = {}
        for name in offered_actions(message, user):
            form_class = ACTIONS[name][0]
            forms[name] = form_class(prefix=name, initial=initial.get(name)) if form_class else None
        forms.update(action_forms or {})
        reply = getattr(message, "reply", None)
        may_view_contact = access.may_view_contact(user, message) and not message.personal_data_purged_at
        unmasked = may_view_contact and (
            self.show_contact or message.pk in self.request.session.get(CONTACT_VIEWED_SESSION_KEY, [])
        )
        subject, content = message.subject, message.content
        if not unmasked:
            subject, content = mask_personal_data(subject), mask_personal_data(content)
        context.update(
            item=message,
            clock=letter_clock(message),
            events=message.events.select_related("actor", "unit"),
            attachments=message.attachments.all(),
            may_view_contact=may_view_contact,
            show_contact=self.show_contact,
            # The note under the content shows only where masking hid something.
            content_masked=(subject, content) != (message.subject, message.content),
            subject=subject,
            content=content,
            masked_name=mask_name(message.name),
            reply=reply,
            review_stage=workflow_api.current_stage(reply) if reply else None,
            actions=[(name, ACTION_LABELS[name], form) for name, form in forms.items()],
        )
        return context


class ContactView(LetterDetailView):
    """The writer's contact details, shown on an explicit POST; each showing is audited and recorded."""

    http_method_names = ["post"]
    show_contact = True

    def post(self, request, pk):
        message = self.object
        if not access.may_view_contact(request.user, message) or message.personal_data_purged_at:
            raise Http404
        audit.record("personal_data.view", request=request, obj=message, detail=_("查看留言写信人的姓名和联系方式"))
        MessageEvent.objects.create(
            message=message, action=MessageAction.CONTACT_VIEWED, actor=request.user, unit=message.handling_unit
        )
        viewed = request.session.get(CONTACT_VIEWED_SESSION_KEY, [])
        if message.pk not in viewed:
            request.session[CONTACT_VIEWED_SESSION_KEY] = [*viewed, message.pk]
        return self.render_to_response(self.get_context_data())


class LetterActionView(LetterDetailView):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        form_class, perform = ACTIONS[action]
        form = form_class(request.POST, prefix=action) if form_class else None
        if form is None or form.is_valid():
            try:
                perform(self.object, request.user, form.cleaned_data if form else {})
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                if form is None:
                    messages.error(request, text)
                    return redirect("letters_admin:detail", pk=pk)
                form.add_error(None, text)
            else:
                messages.success(request, _("已保存：%(action)s。") % {"action": ACTION_LABELS[action]})
                return redirect("letters_admin:detail", pk=pk)
        messages.error(request, _("未能保存“%(action)s”，请查看下方的错误。") % {"action": ACTION_LABELS[action]})
        return self.render_to_response(self.get_context_data(action_forms={action: form}), status=400)


class AttachmentView(AccessMixin, View):
    def get(self, request, pk, attachment_id):
        message = self.get_object()
        attachment = get_object_or_404(MessageAttachment, pk=attachment_id, message=message)
        if not access.may_view_contact(request.user, message) or not attachment.file:
            raise Http404
        handle = attachment.file.open("rb")
        # The file name may name the writer; the log keeps only the attachment's id (it outlives the purge).
        audit.record(
            "personal_data.export",
            request=request,
            obj=message,
            detail=_("下载留言附件"),
            data={"attachment": attachment.pk},
        )
        extension = os.path.splitext(attachment.original_name)[1][:10]
        return FileResponse(handle, as_attachment=True, filename=f"{message.receipt_number}-{attachment.pk}{extension}")
