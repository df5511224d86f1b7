"""The survey page the public sees: 预告 before it opens, the form while open, the results after closing.

One answer per visitor (see visitor): the unique key per survey makes a second answer, even two submitted at
the same moment, store nothing; the visitor is told they already answered.
"""

from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from cms.charts import bar_chart
from disclosure.requests import ratelimit
from disclosure.requests.forms import new_captcha

from ..models.surveys import SurveyResponse, SurveyState
from . import visitor
from .forms import SurveyForm

RATE_SCOPE = "survey"
THANKS_SESSION_KEY = "survey_thanks"


def published_results(page):
    """The results with a bar chart per choice question; text answers are never published."""
    results = page.results()
    for result in results["questions"]:
        if result["rows"] is not None:
            answered = result["answered"]
            result["chart"] = bar_chart(result["block"].value["question"], result["rows"], value_label=_("票数"))
            result["table"] = [
                (label, count, f"{count * 100 / answered:.1f}%" if answered else "0.0%")
                for label, count in result["rows"]
            ]
    return results


class Visit:
    """The request's visitor: their token (a new one if they brought none) and whether they answered."""

    def __init__(self, page, request):
        self.token = visitor.visitor_token(request)
        self.is_new = self.token is None
        if self.is_new:
            self.token = visitor.new_token()
        self.key = visitor.visitor_key(page, self.token)
        self.answered = (
            not self.is_new
            and page.pk is not None
            and SurveyResponse.objects.filter(survey=page, visitor_key=self.key).exists()
        )


def _render(request, page, visit, status=200, **context):
    state = page.state()
    context.update(state=state, states=SurveyState, answered=visit.answered)
    if state == SurveyState.OPEN and not visit.answered:
        form = context.get("form") or SurveyForm(survey=page, session=request.session)
        context.update(form=form.mark_errors(), captcha_question=new_captcha(request.session))
    if state == SurveyState.CLOSED and page.publish_results and page.pk is not None:
        context["results"] = published_results(page)
    page_context = page.get_context(request)
    page_context["breadcrumbs"] = page.get_ancestors().filter(depth__gt=1).live()
    page_context.update(context)
    response = TemplateResponse(request, page.get_template(request), page_context, status=status)
    if visit.is_new:
        visitor.set_cookie(response, request, visit.token)
    add_never_cache_headers(response)
    return response


def _submit(request, page, visit):
    if visit.is_new:
        # Without the cookie every answer would look like a new visitor's: refuse and set one for next time.
        refusal = _("无法识别您的浏览器，请允许本网站保存 Cookie，刷新页面后再提交。")
        return _render(request, page, visit, status=400, refusal=refusal)
    if visit.answered:
        return _render(request, page, visit, status=409)
    if ratelimit.exceeded(RATE_SCOPE, request):
        message = _("提交过于频繁，请在%(minutes)d分钟后再试。") % {"minutes": ratelimit.window_minutes(RATE_SCOPE)}
        form = SurveyForm(request.POST, survey=page, session=request.session)
        return _render(request, page, visit, status=429, form=form, rate_limited=message)
    form = SurveyForm(request.POST, survey=page, session=request.session)
    if not form.is_valid():
        return _render(request, page, visit, status=400, form=form)
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(survey=page, answers=form.answers(), visitor_key=visit.key)
    except IntegrityError:
        # The same visitor's other submission got in first (a double click, two tabs).
        visit.answered = True
        return _render(request, page, visit, status=409)
    ratelimit.record(RATE_SCOPE, request)
    request.session[THANKS_SESSION_KEY] = page.pk
    return redirect(page.url)


@csrf_protect
def serve(request, page):
    visit = Visit(page, request)
    if request.method == "POST" and not getattr(request, "is_preview", False):
        if page.state() != SurveyState.OPEN:
            refusal = _("本次调查不在征集时间内，回答未提交。")
            return _render(request, page, visit, status=400, refusal=refusal)
        return _submit(request, page, visit)
    thanks = page.pk is not None and request.session.pop(THANKS_SESSION_KEY, None) == page.pk
    return _render(request, page, visit, thanks=thanks)
