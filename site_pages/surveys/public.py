"""The survey pages the public sees: the overview (the page itself), the form (answer/) and the results
(results/): 预告 before the survey opens, the form while it is open, the counts after it closes.

The overview renders the same whatever the time or the visitor, so the tamper fingerprint holds; what changes
with time lives on the routes. One answer per visitor (see visitor): the unique key per survey makes a second
answer, even two submitted at the same moment, store nothing, and the visitor is told they already answered.
"""

from django.db import IntegrityError, transaction
from django.shortcuts import redirect
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


def _common(page):
    """What every survey template shows: the breadcrumbs and the links to the form and the results."""
    base = page.url or ""
    return {
        "breadcrumbs": page.get_ancestors().filter(depth__gt=1).live(),
        "answer_url": base + page.reverse_subpage("answer"),
        "results_url": base + page.reverse_subpage("published_results"),
    }


def _render(request, page, template, status=200, **context):
    response = page.render(
        request,
        template=f"site_pages/surveys/{template}.html",
        context_overrides={**_common(page), "state": page.state(), "states": SurveyState, **context},
    )
    response.status_code = status
    add_never_cache_headers(response)
    return response


def overview(request, page):
    return page.render(request, context_overrides=_common(page))


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


def results(request, page):
    shown = page.state() == SurveyState.CLOSED and page.publish_results and page.pk is not None
    return _render(request, page, "results_page", results=published_results(page) if shown else None)


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


def _render_answer(request, page, visit, status=200, **context):
    if page.state() == SurveyState.OPEN and not visit.answered:
        form = context.get("form") or SurveyForm(survey=page, session=request.session)
        context.update(form=form.mark_errors(), captcha_question=new_captcha(request.session))
    response = _render(request, page, "answer", status=status, answered=visit.answered, **context)
    if visit.is_new:
        visitor.set_cookie(response, request, visit.token)
    return response


def _submit(request, page, visit):
    if visit.is_new:
        # Without the cookie every answer would look like a new visitor's: refuse and set one for next time.
        refusal = _("无法识别您的浏览器，请允许本网站保存 Cookie，刷新页面后再提交。")
        return _render_answer(request, page, visit, status=400, refusal=refusal)
    if visit.answered:
        return _render_answer(request, page, visit, status=409)
    form = SurveyForm(request.POST, survey=page, session=request.session)
    if ratelimit.exceeded(RATE_SCOPE, request):
        message = _("提交过于频繁，请在%(minutes)d分钟后再试。") % {"minutes": ratelimit.window_minutes(RATE_SCOPE)}
        return _render_answer(request, page, visit, status=429, form=form, rate_limited=message)
    if not form.is_valid():
        return _render_answer(request, page, visit, status=400, form=form)
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(survey=page, answers=form.answers(), visitor_key=visit.key)
    except IntegrityError:
        # The same visitor's other submission got in first (a double click, two tabs).
        visit.answered = True
        return _render_answer(request, page, visit, status=409)
    ratelimit.record(RATE_SCOPE, request)
    request.session[THANKS_SESSION_KEY] = page.pk
    return redirect(_common(page)["answer_url"])


@csrf_protect
def answer(request, page):
    visit = Visit(page, request)
    if request.method == "POST" and not getattr(request, "is_preview", False):
        if page.state() != SurveyState.OPEN:
            refusal = _("本次调查不在征集时间内，回答未提交。")
            return _render_answer(request, page, visit, status=400, refusal=refusal)
        return _submit(request, page, visit)
    thanks = page.pk is not None and request.session.pop(THANKS_SESSION_KEY, None) == page.pk
    return _render_answer(request, page, visit, thanks=thanks)
