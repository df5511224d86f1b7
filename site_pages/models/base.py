"""What every portal page shares: an owning unit, unit-scoped permissions, segmented search text."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from workflows.panels import ReviewStatusPanel
from workflows.permissions import ReviewedPagePermissionTester
from workflows.reposts import RepostSourceMixin

from .. import listing_cache
from ..blocks import BodyBlock
from ..draft_privacy import display_title
from ..forms import PortalPageForm
from ..page_urls import UrlPathMixin
from ..segmentation import segment_for_index

# Characters of one attachment's text that go into the search index; enough for any notice or policy.
MAX_ATTACHMENT_SEARCH_CHARS = 20000


class UpdateClass(models.TextChoices):
    NEWS = "news", _("动态类（14天）")
    NOTICE_POLICY = "notice_policy", _("通知公告、政策文件类（6个月）")
    MONTHLY = "monthly", _("按月更新（1个月）")
    QUARTERLY = "quarterly", _("按季度更新（3个月）")
    ANNUAL = "annual", _("按年更新（1年）")
    UNCLASSIFIED = "unclassified", _("其他（1年）")


# Longest allowed gap between updates: (months, days) per update class.
UPDATE_PERIODS = {
    UpdateClass.NEWS: (0, 14),
    UpdateClass.NOTICE_POLICY: (6, 0),
    UpdateClass.MONTHLY: (1, 0),
    UpdateClass.QUARTERLY: (3, 0),
    UpdateClass.ANNUAL: (12, 0),
    UpdateClass.UNCLASSIFIED: (12, 0),
}


# Content types a column takes, by its update class; classes not listed take every content type.
COLUMN_CONTENT_TYPES = {
    UpdateClass.NEWS: {"articlepage"},
    UpdateClass.NOTICE_POLICY: {"noticepage", "policydocumentpage", "interpretationpage", "bulletin"},
}


def column_takes(column, model):
    """Whether a column accepts content of `model`: a news column takes 动态, not 政策文件."""
    taken = COLUMN_CONTENT_TYPES.get(getattr(column, "update_class", None))
    return taken is None or model._meta.model_name in taken


def add_months(moment, months):
    """Same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def update_due(update_class, last_update):
    """When a column whose last update was `last_update` must next be updated."""
    months, days = UPDATE_PERIODS[update_class]
    return add_months(last_update, months) + datetime.timedelta(days=days)


class SegmentedTitle(index.SearchField):
    """The title again as words and character pairs, like the body: Chinese has no spaces, so the raw title was
    one token that no query matched, and a search could not tell a page holding the query in its title
    (site_pages.search_recent reads those first). Page's own title field stays, as Wagtail's checks expect."""

    def get_value(self, obj):
        return segment_for_index(obj.title or "")


class PortalPage(UrlPathMixin, Page):
    """Abstract base for every page below the home page."""

    owning_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空则继承上级栏目的所属单位。"),
    )

    search_fields = Page.search_fields + [
        SegmentedTitle("title", boost=2),
        index.SearchField("search_text"),
        index.FilterField("owning_unit"),
    ]

    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)

    def get_admin_display_title(self):
        # Other units' editors see a live page by its live title, never by a newer draft's.
        return display_title(self, super().get_admin_display_title())

    def parent_owning_unit_id(self):
        if self.depth is None or self.depth <= 2:
            return None
        parent = self.get_parent()
        return getattr(parent.specific, "owning_unit_id", None) if parent else None

    def save(self, *args, **kwargs):
        if self.owning_unit_id is None and self.path:
            self.owning_unit_id = self.parent_owning_unit_id()
        return super().save(*args, **kwargs)

    def search_text(self):
        """Title, body and attachments as words and character pairs (see segmentation)."""
        texts = [self.title, *self.extra_search_texts(), *self.attachment_texts()]
        return segment_for_index("\n".join(filter(None, texts)))

    def extra_search_texts(self):
        return []

    def attachment_texts(self):
        """Text of the PDF, DOCX and XLSX files this row links to, when the page shows them to the public.

        The row holds the live content of a published page (drafts live in revisions), so a draft's new
        attachment is not indexed before it is published; items that list only metadata (shows_content
        False) keep their files out of search as they keep them off the page.
        """
        if not getattr(self, "shows_content", True):
            return []
        from workflows.checks import AttachmentError, extract_document_text

        texts = []
        for field_name in ("body", "attachments"):
            for block in getattr(self, field_name, None) or []:
                if block.block_type != "attachment" or not block.value.get("document"):
                    continue
                try:
                    text = extract_document_text(block.value["document"])
                except AttachmentError:
                    continue
                if text:
                    texts.append(text[:MAX_ATTACHMENT_SEARCH_CHARS])
        return texts


class ContentPage(RepostSourceMixin, PortalPage):
    """Abstract base of articles, notices, policy documents and interpretations."""

    summary = models.TextField(_("摘要"), max_length=300, blank=True)
    # A new page opens with a paragraph ready to type in.
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True, default=[("paragraph", "")])
    is_repost = models.BooleanField(
        _("转载"), default=False, help_text=_("转载信息须注明来源单位和原文链接，来源限党政机关和权威媒体。")
    )
    source_organisation = models.CharField(_("来源单位"), max_length=100, blank=True)
    source_url = models.URLField(_("原文链接"), max_length=500, blank=True)
    co_issuing_units = ParentalManyToManyField(
        "organisation.Unit",
        verbose_name=_("联合发文单位"),
        blank=True,
        related_name="+",
        help_text=_("两个以上单位共同形成的信息：签发前须经各联合发文单位主要负责人在系统中会签。"),
    )

    parent_page_types = ["site_pages.ColumnPage", "site_pages.SpecialTopicPage"]
    subpage_types = []

    content_panels = (
        [ReviewStatusPanel(heading=_("审核与检查"))]
        + Page.content_panels
        + [
            FieldPanel("summary"),
            FieldPanel("body"),
            MultiFieldPanel(
                [
                    FieldPanel("is_repost"),
                    FieldRowPanel([FieldPanel("source_organisation"), FieldPanel("source_url")]),
                ],
                heading=_("来源"),
            ),
            FieldPanel("co_issuing_units", widget=forms.CheckboxSelectMultiple),
        ]
    )
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]
    # Publication is server-timed at final approval; no scheduling fields for editors.

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and column_takes(parent.specific, cls)

    def clean(self):
        super().clean()
        errors = self.repost_source_errors()
        if errors:
            raise ValidationError(errors)

    def extra_search_texts(self):
        return [self.summary, self.body_text]

    @cached_property
    def body_text(self):
        parts = []
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "table":
                parts.extend(str(cell) for row in (block.value.get("data") or []) for cell in row if cell)
            elif block.block_type in ("image", "attachment", "video"):
                parts.append(block.value.get("caption") or block.value.get("title") or "")
        return "\n".join(p for p in parts if p)

    @property
    def published_at(self):
        """Server-assigned time of first publication (editors cannot set it)."""
        return self.first_published_at

    @property
    def published_at_local(self):
        return timezone.localtime(self.first_published_at) if self.first_published_at else None

    def source_display(self):
        """What the page shows as 来源 (a unit's name from the listing cache: a unit's change renews it)."""
        if self.is_repost:
            return self.source_organisation
        if self.owning_unit_id is None:
            return ""
        return listing_cache.cached("unit-name", lambda: self.owning_unit.name, self.owning_unit_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["print_view"] = request.GET.get("print") == "1"
        context["breadcrumbs"] = breadcrumbs_of(self)
        return context


def breadcrumbs_of(page):
    """The page's live ancestors below the tree root, from the listing cache, read only when the template shows them."""

    def read():
        return list(page.get_ancestors().filter(depth__gt=1).live())

    return SimpleLazyObject(lambda: listing_cache.cached("breadcrumbs", read, page.pk))
