"""The 假冒账号举报 form on the directory page: the request form's captcha and rate limit, a receipt shown once."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from disclosure.requests import ratelimit
from disclosure.requests.forms import AccessibleFormMixin, captcha_field, check_captcha, new_captcha

from .models import Platform
from .public import FakeAccountReport, receive_report

RATE_SCOPE = "newmedia_report"
RECEIPT_SESSION_KEY = "newmedia_report_receipt"
MAX_DESCRIPTION = 2000
MIN_DESCRIPTION = 10


class FakeAccountReportForm(AccessibleFormMixin, forms.ModelForm):
    captcha = captcha_field()

    class Meta:
        model = FakeAccountReport
        fields = ["platform", "account", "description", "contact"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION}),
            "contact": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        labels = {"contact": gettext_lazy("联系方式")}
        help_texts = {
            "account": gettext_lazy("填写假冒账号的名称，或其主页链接。"),
            "description": gettext_lazy("请说明该账号假冒哪个单位、发布了什么内容，%(max)d字以内。")
            % {"max": MAX_DESCRIPTION},
            "contact": gettext_lazy("选填。电话或电子邮箱，仅用于核实举报，属于个人信息，不会公开。"),
        }
        error_messages = {
            "platform": {
                "required": gettext_lazy("请选择假冒账号所在的平台。"),
                "invalid_choice": gettext_lazy("请从列表中选择平台。"),
            },
            "account": {
                "required": gettext_lazy("请填写假冒账号的名称或链接。"),
                "max_length": gettext_lazy("账号名称或链接不能超过%(limit_value)d个字符。"),
            },
            "description": {"required": gettext_lazy("请填写举报内容。")},
            "contact": {"max_length": gettext_lazy("联系方式不能超过%(limit_value)d个字符。")},
        }

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["platform"].choices = [("", _("请选择")), *Platform.choices]

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < MIN_DESCRIPTION:
            raise ValidationError(_("举报内容至少%(min)d个字，请说明假冒的情况。") % {"min": MIN_DESCRIPTION})
        if len(text) > MAX_DESCRIPTION:
            raise ValidationError(
                _("举报内容不能超过%(max)d个字（现有%(count)d个字）。") % {"max": MAX_DESCRIPTION, "count": len(text)}
            )
        return text

    def clean_captcha(self):
        return check_captcha(self.session, self.cleaned_data["captcha"])


def _render(request, page, form, status=200, rate_limited=None):
    response = page.render(
        request,
        template="newmedia/public/report_form.html",
        context_overrides={
            "form": form.mark_errors(),
            "captcha_question": new_captcha(request.session),
            "rate_limited": rate_limited,
        },
    )
    response.status_code = status
    add_never_cache_headers(response)
    return response


@csrf_protect
def report_form(request, page):
    form = FakeAccountReportForm(request.POST or None, session=request.session)
    if request.method == "POST":
        if ratelimit.exceeded(RATE_SCOPE, request):
            message = _("提交过于频繁，请在%(minutes)d分钟后再试。") % {"minutes": ratelimit.window_minutes(RATE_SCOPE)}
            return _render(request, page, form, status=429, rate_limited=message)
        if form.is_valid():
            report = receive_report(form.save(commit=False))
            ratelimit.record(RATE_SCOPE, request)
            request.session[RECEIPT_SESSION_KEY] = report.receipt_number
            return redirect(page.url + page.reverse_subpage("report_done"))
    return _render(request, page, form, status=400 if form.errors else 200)


def report_receipt(request, page):
    """The receipt number, shown once."""
    number = request.session.pop(RECEIPT_SESSION_KEY, None)
    if number is None:
        return redirect(page.url + page.reverse_subpage("report"))
    report = FakeAccountReport.objects.get(receipt_number=number)
    response = page.render(
        request, template="newmedia/public/report_receipt.html", context_overrides={"report": report}
    )
    add_never_cache_headers(response)
    return response
