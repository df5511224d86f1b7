"""征集调查: a survey page (single choice, multiple choice and text questions, open between two moments) and
the answers the public gives, one per visitor without login (see site_pages.surveys.visitor).

Choice answers are counted and, when the page says so, published after closing; text answers may hold
personal data and are only shown to the owning unit's editors (and exported with an audit record).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from workflows.panels import ReviewStatusPanel

from ..fields import EditorRichTextField
from .base import PortalPage, column_takes

MAX_OPTIONS = 20
MAX_TEXT_LENGTH = 2000
DEFAULT_TEXT_LENGTH = 500


class SurveyState(models.TextChoices):
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class ChoiceQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"), max_length=200)
    options = blocks.ListBlock(
        blocks.CharBlock(label=_("选项"), max_length=100), label=_("选项"), min_num=2, max_num=MAX_OPTIONS
    )
    required = blocks.BooleanBlock(label=_("必答"), required=False, default=True)

    def clean(self, value):
        value = super().clean(value)
        labels = [label.strip() for label in value["options"]]
        if len(set(labels)) != len(labels):
            raise StructBlockValidationError(block_errors={"options": ValidationError(_("选项不能重复。"))})
        return value


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("单选题")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    max_choices = blocks.IntegerBlock(
        label=_("最多可选"), required=False, min_value=2, max_value=MAX_OPTIONS, help_text=_("留空则不限。")
    )

    class Meta:
        icon = "tick-inverse"
        label = _("多选题")

    def clean(self, value):
        value = super().clean(value)
        limit = value.get("max_choices")
        if limit and limit > len(value["options"]):
            raise StructBlockValidationError(
                block_errors={"max_choices": ValidationError(_("最多可选项数不能超过选项个数。"))}
            )
        return value


class TextQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"), max_length=200)
    max_length = blocks.IntegerBlock(
        label=_("字数上限"), min_value=1, max_value=MAX_TEXT_LENGTH, default=DEFAULT_TEXT_LENGTH
    )
    required = blocks.BooleanBlock(label=_("必答"), required=False, default=False)

    class Meta:
        icon = "edit"
        label = _("文字题")


class QuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    text = TextQuestionBlock()


class SurveyPage(RoutablePageMixin, PortalPage):
    """One survey: questions, the period it takes answers, and whether its counts are published afterwards.

    The page itself renders the same whatever the time and the visitor (the tamper fingerprint compares it
    with what was published); the form (answer/) and the results (results/) are its routes.
    """

    intro = EditorRichTextField(_("调查说明"), blank=True)
    questions = StreamField(QuestionsBlock(), verbose_name=_("问题"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    publish_results = models.BooleanField(
        _("截止后公布结果"),
        default=True,
        help_text=_("公布各选择题的选项票数和统计图；文字题的回答可能含个人信息，不公布。"),
    )

    parent_page_types = ["site_pages.ColumnPage", "site_pages.SpecialTopicPage"]
    subpage_types = []

    content_panels = [
        ReviewStatusPanel(heading=_("审核与检查")),
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]), FieldPanel("publish_results")],
            heading=_("调查时间和结果"),
        ),
        FieldPanel("questions"),
    ]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("征集调查")
        verbose_name_plural = _("征集调查")

    @classmethod
    def can_create_at(cls, parent):
        # A 动态 or 通知公告 column holds only its own content types.
        return super().can_create_at(parent) and column_takes(parent.specific, cls)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("截止时间必须晚于开始时间。")
        if not self.questions:
            errors["questions"] = _("请至少添加一个问题。")
        if errors:
            raise ValidationError(errors)

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return SurveyState.UPCOMING
        if now < self.closes_at:
            return SurveyState.OPEN
        return SurveyState.CLOSED

    def results(self):
        """Per question, in order: its number and block, and for a choice question (option, count) rows.

        Answers store option labels, so an option renamed after answers came in counts from zero and a
        removed one drops out; the counts always match the options the page shows.
        """
        answers = list(self.responses.values_list("answers", flat=True))
        results = []
        for number, block in enumerate(self.questions, start=1):
            result = {"number": number, "block": block, "rows": None}
            if block.block_type != "text":
                counts = dict.fromkeys(block.value["options"], 0)
                for answer in answers:
                    chosen = answer.get(block.id)
                    for label in chosen if isinstance(chosen, list) else [chosen]:
                        if label in counts:
                            counts[label] += 1
                result["rows"] = list(counts.items())
                result["answered"] = sum(1 for answer in answers if answer.get(block.id))
            results.append(result)
        return {"total": len(answers), "questions": results}

    def extra_search_texts(self):
        return [strip_tags(self.intro or ""), *(str(block.value["question"]) for block in self.questions)]

    @path("")
    def overview(self, request):
        from ..surveys import public

        return public.overview(request, self)

    @path("answer/")
    def answer(self, request):
        from ..surveys import public

        return public.answer(request, self)

    @path("results/")
    def published_results(self, request):
        from ..surveys import public

        return public.results(request, self)


class SurveyResponse(models.Model):
    """One visitor's answers: {question block id: option label, [labels] or text}."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses", verbose_name=_("调查"))
    answers = models.JSONField(_("回答"), default=dict)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    # An HMAC of the visitor's cookie token and the survey: the raw token is never stored, and one visitor's
    # answers to two surveys cannot be linked.
    visitor_key = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("调查回答")
        verbose_name_plural = _("调查回答")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "visitor_key"], name="one_survey_response_per_visitor"),
        ]

    def __str__(self):
        return f"{self.survey_id} {self.submitted_at:%Y-%m-%d %H:%M}"
