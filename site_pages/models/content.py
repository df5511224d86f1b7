"""Content page types: articles, notices, policy documents and their interpretations."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..forms import InterpretationPageForm
from .base import ContentPage


class ArticlePage(ContentPage):
    """动态: a news item."""

    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = ContentPage.content_panels[:2] + [FieldPanel("cover")] + ContentPage.content_panels[2:]

    class Meta:
        verbose_name = _("动态")
        verbose_name_plural = _("动态")


class NoticePage(ContentPage):
    """通知公告."""

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    REVISED = "revised", _("已修订")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


# 文号 years are written in 〔〕; editors often type [] () 【】 or their full-width forms.
_DOC_NUMBER_YEAR = re.compile(r"[\[\(（［【〔]\s*(\d{4})\s*[\]\)）］】〕]")


def normalise_document_number(value):
    return _DOC_NUMBER_YEAR.sub(r"〔\1〕", (value or "").strip())


class PolicyDocumentPage(ContentPage):
    """政策文件: 文号, 成文日期, 发文机关, 有效性; important documents are published with an interpretation."""

    document_number = models.CharField(_("文号"), max_length=100, help_text=_("例如：安府发〔2024〕3号"))
    written_date = models.DateField(_("成文日期"))
    issuing_authority = models.CharField(_("发文机关"), max_length=200)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    important = models.BooleanField(
        _("重要政策"), default=False, help_text=_("重要政策文件须同步发布政策解读。")
    )

    content_panels = ContentPage.content_panels[:2] + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("written_date")]),
                FieldRowPanel([FieldPanel("issuing_authority"), FieldPanel("validity")]),
                FieldPanel("important"),
            ],
            heading=_("文件信息"),
        )
    ] + ContentPage.content_panels[2:]

    search_fields = ContentPage.search_fields + [
        index.SearchField("document_number"),
        index.FilterField("validity"),
        index.FilterField("written_date"),
    ]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def clean(self):
        self.document_number = normalise_document_number(self.document_number)
        errors = {}
        try:
            super().clean()
        except ValidationError as e:
            errors.update(e.message_dict)
        if self.written_date and self.written_date > timezone.localdate():
            errors["written_date"] = [_("成文日期不能晚于今天。")]
        if errors:
            raise ValidationError(errors)

    def extra_search_texts(self):
        entry = getattr(self, "catalogue_entry", None)
        index_number = entry.index_number if entry else ""
        return [self.document_number, index_number, self.issuing_authority, *super().extra_search_texts()]

    def live_interpretations(self):
        return self.interpretations.live().order_by("-first_published_at")

    def publication_requirements(self, phase):
        """An important policy is submitted with an interpretation linked and published with or after it."""
        if not self.important or self.pk is None:
            return []
        linked = self.interpretations.all()
        if not linked.exists():
            return [_("重要政策文件须至少关联一篇政策解读（在政策解读的“被解读的政策文件”中选择本文件）。")]
        if phase == "publish" and not linked.live().exists():
            return [
                _("重要政策文件须与政策解读同步发布：关联的政策解读须先于或与本文件同时发布，目前尚无已发布的解读。")
            ]
        return []


class InterpretationPage(ContentPage):
    """政策解读 of one or more policy documents; both sides link to each other publicly."""

    policy_documents = ParentalManyToManyField(
        PolicyDocumentPage,
        verbose_name=_("被解读的政策文件"),
        related_name="interpretations",
    )

    content_panels = ContentPage.content_panels[:2] + [FieldPanel("policy_documents")] + ContentPage.content_panels[2:]
    base_form_class = InterpretationPageForm

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def live_policy_documents(self):
        return self.policy_documents.live().order_by("-first_published_at")
