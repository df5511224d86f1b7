"""Lifecycle steps in the admin: one form per step, each calling its ``newmedia.lifecycle`` function.

A refusal (``LifecycleError``) is shown on the form in Chinese and changes nothing. The account must be one the
user can see (404 otherwise); who may take each step is the lifecycle's decision.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import access, lifecycle
from .models import EVENT_DOCUMENT_VALIDATORS, AccountStatus, ChangeRequest, ClosureReason

DATE = forms.DateInput(attrs={"type": "date"})


class StepForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApprovalForm(forms.Form):
    document_number = forms.CharField(label=gettext_lazy("资阳市政府办公室批复文号"), max_length=100)
    approved_on = forms.DateField(label=gettext_lazy("批复日期"), widget=DATE)
    document = forms.FileField(label=gettext_lazy("批复文件"), required=False, validators=EVENT_DOCUMENT_VALIDATORS)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RejectionForm(forms.Form):
    document_number = forms.CharField(label=gettext_lazy("资阳市政府办公室不予批准文号"), max_length=100)
    rejected_on = forms.DateField(label=gettext_lazy("不予批准日期"), widget=DATE)
    document = forms.FileField(label=gettext_lazy("不予批准文件"), required=False, validators=EVENT_DOCUMENT_VALIDATORS)
    # Required by the lifecycle, which says so in its own words.
    comment = forms.CharField(
        label=gettext_lazy("不予批准的理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RegistrationForm(forms.Form):
    registered_on = forms.DateField(label=gettext_lazy("全国政务新媒体信息报送系统报送日期"), widget=DATE)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ActivationForm(forms.Form):
    opened_on = forms.DateField(label=gettext_lazy("开通日期"), widget=DATE, required=False)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ChangeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("新账号名称"), max_length=200, required=False)
    verified_entity = forms.CharField(label=gettext_lazy("新认证主体"), max_length=200, required=False)
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("新责任人"), queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    account_id = forms.CharField(label=gettext_lazy("新平台账号（ID）"), max_length=200, required=False)
    comment = forms.CharField(label=gettext_lazy("变更理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("关停理由（第九条）"), choices=ClosureReason.choices)
    notice_start = forms.DateField(label=gettext_lazy("公示开始日期"), widget=DATE)
    notice_end = forms.DateField(label=gettext_lazy("公示结束日期"), widget=DATE)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DeregistrationForm(forms.Form):
    deregistered_on = forms.DateField(label=gettext_lazy("注销日期（平台及全国系统）"), widget=DATE)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoticeForm(forms.Form):
    notified_on = forms.DateField(label=gettext_lazy("通报日期"), widget=DATE)
    document_number = forms.CharField(label=gettext_lazy("通报文号"), max_length=100, required=False)
    document = forms.FileField(label=gettext_lazy("通报文件"), required=False, validators=EVENT_DOCUMENT_VALIDATORS)
    comment = forms.CharField(label=gettext_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApproveChangeForm(forms.Form):
    document_number = forms.CharField(label=gettext_lazy("批准文号"), max_length=100, required=False)
    comment = forms.CharField(label=gettext_lazy("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def _change(account, user, data):
    changes = {k: data[k] for k in ("name", "verified_entity", "responsible", "account_id") if data.get(k)}
    return lifecycle.request_change(account, user, comment=data["comment"], **changes)


def _notice(account, user, data):
    return lifecycle.record_notice(
        account,
        user,
        data["notified_on"],
        data["document"],
        document_number=data["document_number"],
        comment=data["comment"],
    )


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    statuses: tuple
    run: object
    done: str
    # Who is offered the step on the account's page, when not everyone who sees the account.
    offered_to: object = None


LIVE = (AccountStatus.APPLIED, AccountStatus.APPROVED, AccountStatus.REGISTERED, AccountStatus.ACTIVE)
ACTIONS = {
    "review": Action(
        gettext_lazy("审核开设申请"),
        StepForm,
        (AccountStatus.APPLIED,),
        lambda a, u, d: lifecycle.review_application(a, u, d["comment"]),
        gettext_lazy("已审核开设申请，待县政府办报批。"),
    ),
    "submit": Action(
        gettext_lazy("报资阳市政府办公室审批"),
        StepForm,
        (AccountStatus.APPLIED,),
        lambda a, u, d: lifecycle.submit_for_approval(a, u, d["comment"]),
        gettext_lazy("已报资阳市政府办公室审批。"),
    ),
    "approve": Action(
        gettext_lazy("登记开设批复"),
        ApprovalForm,
        (AccountStatus.APPLIED,),
        lambda a, u, d: lifecycle.record_approval(
            a, u, d["document_number"], d["approved_on"], d["document"], d["comment"]
        ),
        gettext_lazy("已登记资阳市政府办公室批复。"),
    ),
    "reject": Action(
        gettext_lazy("登记不予批准"),
        RejectionForm,
        (AccountStatus.APPLIED,),
        lambda a, u, d: lifecycle.reject_application(
            a, u, d["document_number"], d["rejected_on"], d["comment"], document=d["document"]
        ),
        gettext_lazy("已登记资阳市政府办公室不予批准，开设申请终止，已报县政府办备案。"),
        offered_to=lambda a, u: lifecycle.may_record_decision(u),
    ),
    "withdraw": Action(
        gettext_lazy("撤回开设申请"),
        WithdrawalForm,
        (AccountStatus.APPLIED, AccountStatus.APPROVED, AccountStatus.REGISTERED),
        lambda a, u, d: lifecycle.withdraw_application(a, u, d["reason"]),
        gettext_lazy("开设申请已撤回，已报县政府办备案。"),
        offered_to=lambda a, u: lifecycle.may_withdraw(u, a),
    ),
    "register": Action(
        gettext_lazy("登记全国系统报送"),
        RegistrationForm,
        (AccountStatus.APPROVED,),
        lambda a, u, d: lifecycle.record_national_registration(a, u, d["registered_on"], d["comment"]),
        gettext_lazy("已登记全国政务新媒体信息报送系统报送。"),
    ),
    "activate": Action(
        gettext_lazy("登记开通"),
        ActivationForm,
        (AccountStatus.APPLIED, AccountStatus.APPROVED, AccountStatus.REGISTERED),
        lambda a, u, d: lifecycle.activate(a, u, d["opened_on"], d["comment"]),
        gettext_lazy("账号已开通，已报县政府办备案。"),
    ),
    "change": Action(
        gettext_lazy("申请变更"),
        ChangeForm,
        LIVE,
        _change,
        gettext_lazy("变更申请已提交，批准后生效。"),
    ),
    "closure": Action(
        gettext_lazy("关停公示"),
        ClosureForm,
        (AccountStatus.ACTIVE,),
        lambda a, u, d: lifecycle.start_closure(a, u, d["reason"], d["notice_start"], d["notice_end"], d["comment"]),
        gettext_lazy("已启动关停公示，已报县政府办备案。"),
    ),
    "deregister": Action(
        gettext_lazy("登记注销"),
        DeregistrationForm,
        (AccountStatus.CLOSING,),
        lambda a, u, d: lifecycle.deregister(a, u, d["deregistered_on"], d["comment"]),
        gettext_lazy("账号已注销，已报县政府办备案。"),
    ),
    "notice": Action(
        gettext_lazy("登记省政府办公厅通报"),
        NoticeForm,
        (*LIVE, AccountStatus.CLOSING),
        _notice,
        gettext_lazy("已登记通报。"),
    ),
}


class LifecycleFormView(WagtailAdminTemplateMixin, FormView):
    template_name = "newmedia/admin/action.html"
    header_icon = "globe"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("首页")},
            {"url": reverse("newmedia_accounts:index"), "label": _("政务新媒体账号")},
            {"url": reverse("newmedia_accounts:inspect", args=[self.account.pk]), "label": str(self.account)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except lifecycle.LifecycleError as error:
            form.add_error(None, str(error))
            messages.error(self.request, str(error))
            return self.form_invalid(form)
        messages.success(self.request, str(self.done_message))
        return redirect(reverse("newmedia_accounts:inspect", args=[self.account.pk]))


class AccountActionView(LifecycleFormView):
    def dispatch(self, request, pk, action):
        self.account = get_object_or_404(access.visible_accounts(request.user), pk=pk)
        self.action = ACTIONS.get(action)
        if self.action is None:
            raise Http404
        self.form_class = self.action.form
        self.page_title = self.action.label
        self.done_message = self.action.done
        return super().dispatch(request)

    def perform(self, data):
        self.action.run(self.account, self.request.user, data)


class ApproveChangeView(LifecycleFormView):
    form_class = ApproveChangeForm
    page_title = gettext_lazy("批准变更申请")
    done_message = gettext_lazy("变更已批准并生效，已报县政府办备案。")

    def dispatch(self, request, change_pk):
        visible = access.visible_accounts(request.user)
        self.change = get_object_or_404(ChangeRequest.objects.filter(account__in=visible), pk=change_pk)
        self.account = self.change.account
        return super().dispatch(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(change=self.change, **kwargs)

    def perform(self, data):
        lifecycle.approve_change(self.change, self.request.user, data["comment"], data["document_number"])
