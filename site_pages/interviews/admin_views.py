"""访谈提问 in the admin: each unit's editors see and moderate the questions of their own interviews only;
another unit's interview or question answers 404, by id as by listing."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from cms.organisation.permissions import user_unit_ids

from ..models.interviews import InterviewQuestion, QuestionStatus
from . import moderation


def may_see_menu(user):
    return user.is_superuser or bool(user_unit_ids(user))


class QuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_menu(request.user)


class InterviewIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/admin/interviews.html"
    page_title = gettext_lazy("访谈提问")
    header_icon = "openquote"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        interviews = list(moderated_with_counts(self.request.user))
        return super().get_context_data(interviews=interviews, **kwargs)


def moderated_with_counts(user):
    return moderation.moderated_interviews(user).annotate(
        pending=Count("questions", filter=Q(questions__status=QuestionStatus.PENDING)),
        held=Count("questions", filter=Q(questions__held_for_screening=True, questions__status=QuestionStatus.PENDING)),
    )


def interview_for(user, page_id):
    page = moderation.moderated_interviews(user).filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


class QuestionListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_pages/admin/interview_questions.html"
    header_icon = "openquote"

    def dispatch(self, request, *args, **kwargs):
        self.interview = interview_for(request.user, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("访谈提问：%(title)s") % {"title": self.interview.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("site_pages_interviews:index"), "label": _("访谈提问")},
            {"url": "", "label": self.interview.title},
        ]

    def get_context_data(self, **kwargs):
        questions = self.interview.questions.select_related("decided_by")
        status = self.request.GET.get("status")
        if status in QuestionStatus.values:
            questions = questions.filter(status=status)
        return super().get_context_data(
            interview=self.interview, questions=questions, statuses=QuestionStatus.choices, status=status, **kwargs
        )


class QuestionActionView(View):
    """POST only: one moderation step on one question of an interview the user moderates."""

    def post(self, request, question_pk, action):
        if action not in moderation.ACTIONS:
            raise Http404
        question = get_object_or_404(
            InterviewQuestion.objects.select_related("page"),
            pk=question_pk,
            page__in=moderation.moderated_interviews(request.user),
        )
        step, label = moderation.ACTIONS[action]
        try:
            step(question, request.user)
        except moderation.ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("已%(action)s：%(nickname)s的提问。") % {"action": label, "nickname": question.nickname}
            )
        return redirect(reverse("site_pages_interviews:questions", args=[question.page_id]))


class InterviewQuestionViewSet(ViewSet):
    """The screens only; their menu item sits in the 互动交流 group (see site_pages/wagtail_hooks.py)."""

    icon = "openquote"
    url_prefix = "interview-questions"

    def get_urlpatterns(self):
        return [
            path("", InterviewIndexView.as_view(), name="index"),
            path("<int:page_id>/", QuestionListView.as_view(), name="questions"),
            path("question/<int:question_pk>/<slug:action>/", QuestionActionView.as_view(), name="action"),
        ]
