"""The public side of 在线访谈: the question form (captcha, rate limit per address, CSRF) and its neutral
acknowledgement.

A question is stored whatever it says: text is kept as typed and escaped when shown. A question that trips a
blocking content check (sensitive terms, secret markings, personal data, commercial links) is held for the
unit's editors to screen; the writer gets the same acknowledgement either way and never learns the term.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from disclosure.requests import ratelimit
from disclosure.requests.forms import AccessibleFormMixin, captcha_field, check_captcha, new_captcha
from workflows.checks import scan_text

from ..models.interviews import MAX_QUESTION_CHARS, InterviewQuestion, InterviewState

RATE_SCOPE = "interview_question"
DONE_SESSION_KEY = "interview_question_done"
MIN_QUESTION_CHARS = 5
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Control characters other than line breaks never belong in a question or a nickname.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def screening_findings(nickname, text):
    """The blocking findings in what the writer typed, as stored JSON (for the unit's editors only)."""
    return [
        {**finding.to_dict(), "field": field}
        for field, value in (("nickname", nickname), ("text", text))
        for finding in scan_text(value)
        if finding.blocks_publication
    ]


class QuestionForm(AccessibleFormMixin, forms.ModelForm):
    # The request form's captcha: an arithmetic question whose answer lives only in the session.
    captcha = captcha_field()

    class Meta:
        model = InterviewQuestion
        fields = ["nickname", "text", "mobile"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_QUESTION_CHARS}),
            "mobile": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
        }
        help_texts = {
            "nickname": gettext_lazy("采用的提问会显示昵称，请勿填写真实姓名等个人信息。"),
            "text": gettext_lazy("%(max)d字以内。") % {"max": MAX_QUESTION_CHARS},
            "mobile": gettext_lazy("选填。仅供工作人员在需要时与您联系，不会公开。"),
        }
        error_messages = {
            "nickname": {
                "required": gettext_lazy("请填写昵称。"),
                "max_length": gettext_lazy("昵称不能超过%(limit_value)d个字。"),
            },
            "text": {
                "required": gettext_lazy("请填写提问内容。"),
                "max_length": gettext_lazy("提问内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。"),
            },
            "mobile": {"max_length": gettext_lazy("手机号码格式不正确，请填写11位手机号码。")},
        }

    def __init__(self, *args, page, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.session = page, session

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"].strip()
        if CONTROL.search(nickname):
            raise ValidationError(_("昵称含有无法显示的字符，请重新填写。"))
        return nickname

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if CONTROL.search(text):
            raise ValidationError(_("提问内容含有无法显示的字符，请重新填写。"))
        if len(text) < MIN_QUESTION_CHARS:
            raise ValidationError(_("提问内容至少%(min)d个字。") % {"min": MIN_QUESTION_CHARS})
        if len(text) > MAX_QUESTION_CHARS:
            raise ValidationError(
                _("提问内容不能超过%(max)d个字（现有%(count)d个字）。")
                % {"max": MAX_QUESTION_CHARS, "count": len(text)}
            )
        return text

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip().replace(" ", "")
        if mobile and not MOBILE.match(mobile):
            raise ValidationError(_("手机号码格式不正确，请填写11位手机号码。"))
        return mobile

    def clean_captcha(self):
        return check_captcha(self.session, self.cleaned_data["captcha"])

    def clean(self):
        cleaned = super().clean()
        if not self.page.accepts_questions():
            raise ValidationError(closed_message(self.page))
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=False)
        question.page = self.page
        question.screening_findings = screening_findings(question.nickname, question.text)
        question.held_for_screening = bool(question.screening_findings)
        if commit:
            question.save()
        return question


def closed_message(page):
    """Why the form is closed, with the cut-off, in the words of the interview's current state."""
    times = {
        "close": f"{timezone.localtime(page.questions_close_at):%Y-%m-%d %H:%M}",
        "start": f"{timezone.localtime(page.start_at):%Y-%m-%d %H:%M}",
    }
    state = page.state()
    if state == InterviewState.UPCOMING:
        return _("本期访谈的网友提问已于%(close)s截止，不再接收新的提问。访谈将于%(start)s开始。") % times
    if state == InterviewState.LIVE:
        return _("访谈正在进行中，网友提问已于%(close)s截止。") % times
    return _("访谈已结束，网友提问已于%(close)s截止。访谈实录经审核后在访谈页面公布。") % times


def _render(request, page, template, context, status=200):
    context = {
        "breadcrumbs": page.get_ancestors(inclusive=True).filter(depth__gt=1).live(),
        "current_title": _("网友提问"),
        "interview_state": page.state(),
        **context,
    }
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    add_never_cache_headers(response)
    return response


@csrf_protect
def ask(request, page):
    if not page.accepts_questions():
        # Nothing is stored after the cut-off, whatever was posted.
        status = 200 if request.method == "GET" else 400
        return _render(request, page, "site_pages/interviews/ask.html", {"closed": closed_message(page)}, status)
    form = QuestionForm(request.POST or None, page=page, session=request.session)
    rate_limited = None
    if request.method == "POST":
        if ratelimit.exceeded(RATE_SCOPE, request):
            rate_limited = _("提交过于频繁，请在%(minutes)d分钟后再试。") % {
                "minutes": ratelimit.window_minutes(RATE_SCOPE)
            }
        elif form.is_valid():
            form.save()
            ratelimit.record(RATE_SCOPE, request)
            request.session[DONE_SESSION_KEY] = page.pk
            return redirect(page.url + page.reverse_subpage("ask_done"))
    context = {
        "form": form.mark_errors(),
        "captcha_question": new_captcha(request.session),
        "rate_limited": rate_limited,
    }
    status = 429 if rate_limited else 400 if form.errors else 200
    return _render(request, page, "site_pages/interviews/ask.html", context, status)


def ask_done(request, page):
    """The acknowledgement, shown once; the same words whether the question was held or not."""
    if request.session.pop(DONE_SESSION_KEY, None) != page.pk:
        return redirect(page.url + page.reverse_subpage("ask"))
    return _render(request, page, "site_pages/interviews/ask_done.html", {})
