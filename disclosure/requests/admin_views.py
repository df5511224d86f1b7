"""Admin screens for handling requests: the listing with due dates, the case page with its
handling actions, and the download of reply documents (kept outside the public media directory).

Each showing of an applicant's personal data (the case page) and each download of a reply document is
written to the audit log. The listing is not: it shows masked names only."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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

from cms.security import audit
from workflows.checks import mask_name

from . import access, forms, services
from .choices import Status
from .clock import request_clock
from .models import DisclosureRequest

PER_PAGE = 50


class AccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not access.has_any_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        item = get_object_or_404(DisclosureRequest, pk=self.kwargs["pk"])
        if not access.can_access(self.request.user, item):
            # The same answer as for a missing request, so that receipt numbers of other units leak nothing.
            raise Http404
        return item


class RequestIndexView(AccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "disclosure_requests/admin/index.html"
    page_title = gettext_lazy("政府信息公开申请")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = access.requests_for(self.request.user).select_related("handling_unit")
        status = self.request.GET.get("status", "open")
        if status == "open":
            queryset = queryset.open()
        elif status in Status.values:
            queryset = queryset.filter(status=status)
        page = Paginator(queryset.prefetch_related("consultations"), PER_PAGE).get_page(self.request.GET.get("p"))
        today = timezone.localdate()
        context.update(
            page_obj=page,
            rows=[(item, mask_name(item.name), request_clock(item, today)) for item in page.object_list],
            status=status,
            status_choices=[("open", _("未办结")), *Status.choices, ("all", _("全部"))],
        )
        return context


class RequestDetailView(AccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "disclosure_requests/admin/detail.html"
    header_icon = "mail"
    view_detail = gettext_lazy("查看申请详情（申请人身份、联系方式和申请内容）")

    @cached_property
    def object(self):
        return self.get_object()

    def get_page_title(self):
        return _("申请 %(number)s") % {"number": self.object.receipt_number}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("disclosure_requests_admin:index"), "label": _("政府信息公开申请")},
            {"url": "", "label": self.object.receipt_number},
        ]

    def get_context_data(self, action_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        user = self.request.user
        open_ = item.status in (Status.RECEIVED, Status.SUPPLEMENT, Status.CONSULTING)
        offered = {
            "assign": open_ and access.is_intake(user),
            "accept": open_
            and bool(item.handling_unit_id)
            and (user.is_superuser or item.handling_unit_id in access.handling_unit_ids(user))
            and not services.accepted_since_assignment(item),
            "supplement_request": item.status == Status.RECEIVED and not item.supplement_requested_on,
            "supplement_received": item.status == Status.SUPPLEMENT,
            "consultation_start": item.status == Status.RECEIVED,
            "consultation_end": item.status == Status.CONSULTING,
            "extension": item.status in (Status.RECEIVED, Status.CONSULTING)
            and not item.extension_days
            and access.can_approve_extension(user, item),
            "answer": open_ and bool(item.handling_unit_id),
            "archive": item.status == Status.ANSWERED,
        }
        initial = {"assign": {"unit": item.handling_unit}}
        available = {
            name: ACTIONS[name][0](prefix=name, initial=initial.get(name)) if ACTIONS[name][0] else None
            for name, shown in offered.items()
            if shown
        }
        available.update(action_forms or {})
        context.update(
            item=item,
            clock=request_clock(item),
            events=item.events.select_related("actor"),
            consultations=item.consultations.all(),
            actions=[(name, ACTION_LABELS[name], form) for name, form in available.items()],
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        # Every rendering of the case page shows the applicant's identity and contact details, so each one is
        # logged; refusals never get here (they raise before rendering), and a purged request shows none.
        if not self.object.personal_data_purged_at:
            audit.record("personal_data.view", request=self.request, obj=self.object, detail=self.view_detail)
        return super().render_to_response(context, **response_kwargs)


ACTION_LABELS = {
    "assign": gettext_lazy("分办"),
    "accept": gettext_lazy("签收办理"),
    "supplement_request": gettext_lazy("告知补正"),
    "supplement_received": gettext_lazy("收到补正（重新计算期限）"),
    "consultation_start": gettext_lazy("征求第三方意见（暂停计时）"),
    "consultation_end": gettext_lazy("第三方意见征询结束（恢复计时）"),
    "extension": gettext_lazy("批准延期答复"),
    "answer": gettext_lazy("作出答复"),
    "archive": gettext_lazy("归档"),
}

ACTIONS = {
    "assign": (forms.AssignForm, lambda item, user, d: services.assign(item, user, d["unit"], d["note"])),
    "accept": (None, lambda item, user, d: services.accept(item, user)),
    "supplement_request": (
        forms.SupplementRequestForm,
        lambda item, user, d: services.request_supplement(item, user, d["on"], d["note"]),
    ),
    "supplement_received": (
        forms.SupplementReceivedForm,
        lambda item, user, d: services.receive_supplement(item, user, d["on"], d["note"]),
    ),
    "consultation_start": (
        forms.ConsultationStartForm,
        lambda item, user, d: services.start_consultation(item, user, d["on"], d["third_party"]),
    ),
    "consultation_end": (
        forms.ConsultationEndForm,
        lambda item, user, d: services.end_consultation(item, user, d["on"], d["note"]),
    ),
    "extension": (
        forms.ExtensionForm,
        lambda item, user, d: services.approve_extension(item, user, d["on"], d["days"], d["reason"]),
    ),
    "answer": (
        forms.AnswerForm,
        lambda item, user, d: services.answer(
            item, user, d["on"], d["outcome"], d["document"], d["withholding_reason"], d["outcome_reason"], d["note"]
        ),
    ),
    "archive": (None, lambda item, user, d: services.archive(item, user)),
}


class RequestActionView(RequestDetailView):
    http_method_names = ["post"]
    view_detail = gettext_lazy("办理操作未保存，重新显示申请详情（申请人身份、联系方式和申请内容）")

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        form_class, perform = ACTIONS[action]
        form = form_class(request.POST, request.FILES, prefix=action) if form_class else None
        if form is None or form.is_valid():
            try:
                perform(self.object, request.user, form.cleaned_data if form else {})
            except services.RequestError as error:
                if form is None:
                    messages.error(request, str(error))
                    return redirect("disclosure_requests_admin:detail", pk=pk)
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存：%(action)s。") % {"action": ACTION_LABELS[action]})
                return redirect("disclosure_requests_admin:detail", pk=pk)
        messages.error(request, _("未能保存“%(action)s”，请查看下方的错误。") % {"action": ACTION_LABELS[action]})
        return self.render_to_response(self.get_context_data(action_forms={action: form}), status=400)


class ReplyDocumentView(AccessMixin, View):
    def get(self, request, pk):
        item = self.get_object()
        if not item.reply_document:
            raise Http404
        # The reply names the applicant. Its file name stays out of the log: the log and its archives cannot be
        # changed, so a name in them would outlive the purge of the request's personal data.
        document = item.reply_document.open("rb")
        audit.record("personal_data.export", request=request, obj=item, detail=_("下载答复书"))
        return FileResponse(document, as_attachment=True, filename=os.path.basename(item.reply_document.name))
