"""The owning unit's view of a survey: counts, every answer (text answers included) and the export.

Text answers may hold personal data, so only the owning unit's staff (and superusers) read them, and every
export is recorded in the audit log.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.organisation.permissions import user_unit_ids
from cms.security import audit

from ..models.surveys import SurveyPage
from . import export

ANSWERS_PER_PAGE = 50
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.as_xlsx),
    "csv": ("text/csv; charset=utf-8", export.as_csv),
}


def may_read_answers(user, survey):
    return user.is_active and (user.is_superuser or survey.owning_unit_id in user_unit_ids(user))


def readable_survey(request, page_id):
    survey = get_object_or_404(SurveyPage, pk=page_id)
    if not may_read_answers(request.user, survey):
        raise PermissionDenied
    return survey


class SurveyResultsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/admin/survey_results.html"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.survey = readable_survey(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("调查结果：%(title)s") % {"title": self.survey.title}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blocks = list(self.survey.questions)
        answers = Paginator(self.survey.responses.order_by("-submitted_at", "-pk"), ANSWERS_PER_PAGE)
        listing = answers.get_page(self.request.GET.get("p"))
        listing.rows = [
            (response, [export.answer_text(response.answers.get(block.id)) for block in blocks])
            for response in listing.object_list
        ]
        context.update(
            survey=self.survey,
            state=self.survey.state(),
            results=self.survey.results(),
            questions=list(enumerate(blocks, 1)),
            answers=listing,
        )
        return context


def export_answers(request, page_id, fmt):
    if fmt not in FORMATS:
        raise Http404
    survey = readable_survey(request, page_id)
    content_type, write = FORMATS[fmt]
    body = write(survey)
    audit.record(
        "personal_data.export",
        request=request,
        obj=survey,
        detail=_("导出调查回答（%(format)s，%(count)d份）") % {"format": fmt, "count": survey.responses.count()},
    )
    response = HttpResponse(body, content_type=content_type)
    filename = f"survey-{survey.pk}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def results_button(page, user, priority):
    """The 调查结果 button for a survey the user's unit owns; None for any other page."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not SurveyPage or not may_read_answers(user, page.specific_deferred):
        return None
    return Button(
        _("调查结果"), reverse("site_pages_survey_results", args=[page.pk]), icon_name="list-ul", priority=priority
    )
