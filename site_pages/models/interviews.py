"""在线访谈: a scheduled interview with guests, questions the public submits before a cut-off (screened like
letters), and the transcript published after it.

The page goes through 三审三校 like any portal page and renders the same whatever the time (the tamper
fingerprint compares it with what was published): schedule and guests with the link to ask, until the transcript,
which may only be submitted after the end, is published with the adopted questions. What follows the clock
(预告 with the form until ``questions_close_at``, 进行中, 已结束) lives on the ask/ route. Submitted questions
live in ``InterviewQuestion`` and are moderated by the editors of the page's owning unit
(site_pages.interviews.admin_views).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable

from workflows.panels import ReviewStatusPanel

from ..blocks import ImageWithCaptionBlock
from .base import PortalPage, column_takes

# Longest interview the schedule accepts; a longer span is almost always a mistyped date.
MAX_INTERVIEW_HOURS = 12
MAX_QUESTION_CHARS = 500
MAX_TURN_CHARS = 5000


class SpeakerKind(models.TextChoices):
    HOST = "host", _("主持人")
    GUEST = "guest", _("嘉宾")
    QUESTION = "question", _("网友提问")


class TurnBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("发言类型"), choices=SpeakerKind.choices, default=SpeakerKind.GUEST)
    speaker = blocks.CharBlock(
        label=_("发言人"), max_length=50, help_text=_("主持人或嘉宾的姓名；网友提问填写网友昵称。")
    )
    text = blocks.TextBlock(label=_("发言内容"), max_length=MAX_TURN_CHARS)

    class Meta:
        icon = "openquote"
        label = _("发言")


class TranscriptBlock(blocks.StreamBlock):
    turn = TurnBlock()
    image = ImageWithCaptionBlock()


class ImagesBlock(blocks.StreamBlock):
    image = ImageWithCaptionBlock()


class InterviewState(models.TextChoices):
    UPCOMING = "upcoming", _("预告")
    LIVE = "live", _("进行中")
    FINISHED = "finished", _("已结束")


class InterviewPage(RoutablePageMixin, PortalPage):
    """One interview: the title is its topic."""

    intro = models.TextField(_("访谈简介"), max_length=1000)
    host = models.CharField(_("主持人"), max_length=50, blank=True)
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    questions_close_at = models.DateTimeField(
        _("网友提问截止时间"), help_text=_("网友须在此时间之前提交提问；须早于访谈开始时间。")
    )
    video_url = models.URLField(
        _("视频链接"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("访谈视频的网址（http 或 https），没有则留空。"),
    )
    images = StreamField(ImagesBlock(), verbose_name=_("访谈图片"), blank=True)
    transcript = StreamField(
        TranscriptBlock(),
        verbose_name=_("访谈实录"),
        blank=True,
        help_text=_("可提前在草稿中整理，访谈结束后才能提交审核。已采用的网友提问可在“访谈提问”中一键加入实录。"),
    )

    parent_page_types = ["site_pages.ColumnPage"]
    subpage_types = []
    template = "site_pages/interview_page.html"

    content_panels = [
        ReviewStatusPanel(heading=_("审核与检查")),
        FieldPanel("title", heading=_("访谈主题")),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
                FieldPanel("questions_close_at"),
                FieldPanel("host"),
            ],
            heading=_("时间和主持人"),
        ),
        InlinePanel("guests", heading=_("访谈嘉宾"), label=_("嘉宾"), min_num=1),
        FieldPanel("images"),
        FieldPanel("video_url"),
        FieldPanel("transcript"),
    ]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and column_takes(parent.specific, cls)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_at and self.end_at:
            if self.end_at <= self.start_at:
                errors["end_at"] = _("结束时间须晚于开始时间。")
            elif self.end_at - self.start_at > datetime.timedelta(hours=MAX_INTERVIEW_HOURS):
                errors["end_at"] = _("一场访谈不能超过%(hours)d小时，请核对开始和结束时间。") % {
                    "hours": MAX_INTERVIEW_HOURS
                }
        if self.start_at and self.questions_close_at and self.questions_close_at > self.start_at:
            errors["questions_close_at"] = _("网友提问截止时间须早于访谈开始时间。")
        if errors:
            raise ValidationError(errors)

    def publication_requirements(self, phase):
        problems = []
        if self.pk is not None and not self.guests.exists():
            problems.append(_("在线访谈须至少填写一位访谈嘉宾。"))
        if self.transcript and timezone.now() < self.end_at:
            end = timezone.localtime(self.end_at)
            problems.append(
                _("访谈结束（%(end)s）后才能发布访谈实录，请先删除实录内容或在访谈结束后提交。")
                % {"end": f"{end:%Y-%m-%d %H:%M}"}
            )
        return problems

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.start_at:
            return InterviewState.UPCOMING
        if now < self.end_at:
            return InterviewState.LIVE
        return InterviewState.FINISHED

    def accepts_questions(self, now=None):
        return (now or timezone.now()) < self.questions_close_at

    def public_questions(self):
        """Adopted questions after screening: what the public may read (nickname and question only)."""
        return self.questions.filter(status=QuestionStatus.ADOPTED, held_for_screening=False).order_by(
            "submitted_at", "pk"
        )

    def extra_search_texts(self):
        texts = [self.intro, self.host]
        texts += [f"{guest.name} {guest.position} {guest.unit}" for guest in self.guests.all()]
        texts += [block.value["text"] for block in self.transcript or [] if block.block_type == "turn"]
        return texts

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1).live()
        context["ask_url"] = self.get_url(request) + self.reverse_subpage("ask")
        return context

    @path("ask/")
    def ask(self, request):
        from ..interviews import public

        return public.ask(request, self)

    @path("ask/done/")
    def ask_done(self, request):
        from ..interviews import public

        return public.ask_done(request, self)


class InterviewGuest(Orderable):
    page = ParentalKey(InterviewPage, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100)
    unit = models.CharField(_("单位"), max_length=100)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = _("访谈嘉宾")
        verbose_name_plural = _("访谈嘉宾")

    def __str__(self):
        return f"{self.unit} {self.position} {self.name}"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ADOPTED = "adopted", _("已采用")
    DECLINED = "declined", _("未采用")


class InterviewQuestion(models.Model):
    """A question from the public. Only the nickname and the text are ever published; the mobile never is."""

    page = models.ForeignKey(
        InterviewPage, on_delete=models.CASCADE, related_name="questions", verbose_name=_("在线访谈")
    )
    nickname = models.CharField(_("昵称"), max_length=30)
    text = models.TextField(_("提问内容"), max_length=MAX_QUESTION_CHARS)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING, db_index=True
    )
    # Held questions contained blocked terms; an editor decides on them before they may be adopted.
    held_for_screening = models.BooleanField(_("待甄别"), default=False)
    screening_findings = models.JSONField(_("自动检查发现"), default=list, blank=True)
    answered = models.BooleanField(_("已在访谈中回答"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("访谈提问")
        verbose_name_plural = _("访谈提问")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.nickname}：{self.text[:20]}"

    def findings(self):
        from workflows.checks import Finding

        return [Finding.from_dict(data) for data in self.screening_findings]
