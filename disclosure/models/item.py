"""公开信息: the catalogue's item page (DisclosureItem), its 公开范围 choices and the items the public may see.

Items are pages rather than workflow-enabled snippets: each needs a public URL, site search and
unit-scoped edit permissions, and every page already goes through the 三审三校 workflow assigned to
the root, so an item is reviewed, checked and registered exactly like any other publication.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from cms.organisation.models import Role, Unit, user_has_role
from site_pages.blocks import AttachmentBlock, BodyBlock
from site_pages.models import PortalPage, Validity
from site_pages.models.content import normalise_document_number
from workflows.panels import ReviewStatusPanel

from .. import due
from ..catalogue_forms import DisclosureItemForm
from ..index_numbers import lock_counter
from ..panels import DueStatusPanel
from ..statutory import DisclosureMode, WithholdingReason
from .frame import CatalogueChildMixin
from .numbering import allocate_for
from .taxonomy import DisclosureCategory, TopicCategory


class DisclosureScope(models.TextChoices):
    SOCIETY = "society", _("面向全社会")
    SPECIFIC = "specific", _("面向特定对象")


def private_sections():
    """The pages under a view restriction, as a filter: read once, it serves items and policy entries alike."""
    return Page.objects.private_q()


def public_items(private=None):
    """Live items the public may see (withheld items carry a view restriction and drop out here)."""
    return DisclosureItem.objects.live().exclude(private_sections() if private is None else private)


def body_text(stream):
    """The searchable text of a body stream: its paragraphs and its media's captions (the sections' too)."""
    parts = []
    for block in stream or []:
        if block.block_type == "paragraph":
            parts.append(strip_tags(block.value.source))
        elif block.block_type in ("image", "attachment", "video"):
            parts.append(block.value.get("caption") or block.value.get("title") or "")
    return "\n".join(p for p in parts if p)


class DisclosureItem(CatalogueChildMixin, PortalPage):
    """公开信息: one entry of the catalogue with its statutory metadata."""

    index_number = models.CharField(_("索引号"), max_length=100, blank=True, editable=False)
    summary = models.CharField(
        _("内容概述"),
        max_length=100,
        error_messages={"max_length": _("内容概述不能超过100个字（现有%(show_value)d个）。")},
        help_text=_("不超过100个字。"),
    )
    written_date = models.DateField(_("成文日期"), help_text=_("信息形成（成文、生成）的日期，公开期限由此起算。"))
    changed_date = models.DateField(
        _("变更日期"), null=True, blank=True, help_text=_("信息发生变更的，填写变更日期，公开期限从变更之日起算。")
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True, editable=False)
    document_number = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("例如：安府发〔2026〕3号"))
    category = models.ForeignKey(
        DisclosureCategory, verbose_name=_("公开类别"), on_delete=models.PROTECT, related_name="items"
    )
    topic = models.ForeignKey(
        TopicCategory, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    disclosure_mode = models.CharField(
        _("公开方式"), max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    disclosure_scope = models.CharField(
        _("公开范围"), max_length=20, choices=DisclosureScope.choices, default=DisclosureScope.SOCIETY
    )
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)
    attachments = StreamField(
        [("attachment", AttachmentBlock())], verbose_name=_("附件"), blank=True, help_text=_("供公众下载的文件。")
    )
    withholding_reason = models.CharField(
        _("不予公开理由"), max_length=30, choices=WithholdingReason.choices, blank=True
    )
    withholding_explanation = models.TextField(
        _("不予公开说明"), blank=True, max_length=1000, help_text=_("说明适用该理由的具体情况，供定期复核。")
    )
    withholding_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("不予公开决定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withholding_recorded_at = models.DateTimeField(_("不予公开决定时间"), null=True, blank=True, editable=False)
    visibility_restriction = models.ForeignKey(
        PageViewRestriction, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    parent_page_types = ["disclosure.UnitCataloguePage"]
    subpage_types = []
    template = "disclosure/disclosure_item.html"
    base_form_class = DisclosureItemForm
    # A copy is a new piece of information: it gets its own 索引号 and its own withholding decision.
    exclude_fields_in_copy = [
        "index_number",
        "published_date",
        "visibility_restriction",
        "withholding_recorded_by",
        "withholding_recorded_at",
    ]

    content_panels = (
        [
            ReviewStatusPanel(heading=_("审核与检查")),
            DueStatusPanel(heading=_("公开期限")),
        ]
        + Page.content_panels
        + [
            FieldPanel("summary"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("category"), FieldPanel("topic")]),
                    FieldRowPanel([FieldPanel("written_date"), FieldPanel("changed_date")]),
                    FieldRowPanel([FieldPanel("document_number"), FieldPanel("validity")]),
                    FieldRowPanel([FieldPanel("disclosure_mode"), FieldPanel("disclosure_scope")]),
                ],
                heading=_("目录信息"),
            ),
            MultiFieldPanel(
                [FieldPanel("withholding_reason"), FieldPanel("withholding_explanation")],
                heading=_("不予公开（须由本单位主要负责人决定）"),
            ),
            FieldPanel("body"),
            FieldPanel("attachments"),
        ]
    )
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    search_fields = PortalPage.search_fields + [
        index.SearchField("index_number"),
        index.SearchField("document_number"),
        index.FilterField("category"),
        index.FilterField("published_date"),
        index.FilterField("disclosure_mode"),
    ]

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~models.Q(index_number=""),
                name="unique_disclosure_index_number",
                violation_error_message=_("索引号重复。"),
            )
        ]
        indexes = [
            # The public filters: category + unit + year, unit + year, category + year, and the newest-first listing.
            # Each ends with the page id, the listing's tie-break, so that the database walks them in the listing's
            # order (SQLite's indexes end with the rowid anyway, PostgreSQL's need it said).
            models.Index(
                fields=["category", "owning_unit", "published_date", "page_ptr"], name="disclosure_cat_unit_date"
            ),
            models.Index(fields=["owning_unit", "published_date", "page_ptr"], name="disclosure_unit_date"),
            # A category without a unit: by the category's own index SQLite read all its items to count a year's few.
            models.Index(fields=["category", "published_date", "page_ptr"], name="disclosure_cat_date"),
            models.Index(fields=["published_date", "page_ptr"], name="disclosure_published_date"),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The page shows the names of its unit, category and topic: one query for the three.
        labels = DisclosureItem.objects.select_related("owning_unit", "category", "topic").only(
            "owning_unit__name", "category__name", "topic__name"
        )
        if (found := labels.filter(pk=self.pk).first()) is not None:
            self.owning_unit, self.category, self.topic = found.owning_unit, found.category, found.topic
        return context

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_index_number = instance.__dict__.get("index_number", "")
        return instance

    # ------------------------------------------------------------------ 索引号

    def with_content_json(self, content):
        """Revisions saved before the first publication carry no 索引号; the row's values always win."""
        obj = super().with_content_json(content)
        obj.index_number = self.index_number
        obj.published_date = self.published_date
        obj.visibility_restriction_id = self.visibility_restriction_id
        obj._stored_index_number = self.index_number
        return obj

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored_index_number", "")
        if stored and self.index_number != stored:
            raise ValidationError(_("索引号一经生成不得更改（原索引号：%(number)s）。") % {"number": stored})
        result = super().save(*args, **kwargs)
        self._stored_index_number = self.index_number
        return result

    def publish(self, revision, *args, **kwargs):
        # The 索引号 is taken by the page_published receiver; one transaction means a failed
        # allocation leaves the item unpublished and a failed publication gives back the serial.
        with transaction.atomic():
            if not self.index_number and self.owning_unit_id:
                # Queue on the counter before the publication's own writes (page row, search index,
                # log): taking it last would let two publishers each hold what the other waits for.
                lock_counter(self.owning_unit_id, self.index_year())
            return super().publish(revision, *args, **kwargs)

    def index_year(self):
        return timezone.localdate(self.first_published_at or timezone.now()).year

    def assign_index_number(self):
        """Give a live item without a 索引号 the next number of its unit and year (inside the publish transaction)."""
        if self.index_number or not self.live:
            return self.index_number
        if self.owning_unit_id is None:
            raise ValidationError(_("公开信息须有发布机构才能生成索引号。"))
        published = timezone.localdate(self.first_published_at or timezone.now())
        number = allocate_for(self, published.year)
        DisclosureItem.objects.filter(pk=self.pk, index_number="").update(index_number=number, published_date=published)
        self.index_number = self._stored_index_number = number
        self.published_date = published
        return number

    @property
    def is_withheld(self):
        """不予公开: admin views other than the editor show the item only to those who may edit it."""
        return self.disclosure_mode == DisclosureMode.WITHHELD

    def sync_visibility(self):
        """Withheld items stay out of the public catalogue and search: only their unit's staff may open them."""
        withheld = self.disclosure_mode == DisclosureMode.WITHHELD
        restriction = self.visibility_restriction
        if withheld and restriction is None:
            restriction = PageViewRestriction.objects.create(page=self, restriction_type=PageViewRestriction.GROUPS)
            unit = Unit.objects.get(pk=self.owning_unit_id)
            if unit.editor_group_id:
                restriction.groups.add(unit.editor_group_id)
            DisclosureItem.objects.filter(pk=self.pk).update(visibility_restriction=restriction)
            self.visibility_restriction = restriction
        elif not withheld and restriction is not None:
            restriction.delete()
            DisclosureItem.objects.filter(pk=self.pk).update(visibility_restriction=None)
            self.visibility_restriction = None

    # ------------------------------------------------------------------ 不予公开

    def withholding_problems(self):
        """{field: message} of what stops this item's withholding decision from standing."""
        if self.disclosure_mode != DisclosureMode.WITHHELD:
            if self.withholding_reason:
                return {"withholding_reason": _("公开方式不是“不予公开”时不填写不予公开理由，请清空。")}
            return {}
        if not self.withholding_reason:
            return {"withholding_reason": _("不予公开须选择《政府信息公开条例》规定的理由。")}
        if self.withholding_recorded_by_id is None or not user_has_role(
            self.withholding_recorded_by, self.owning_unit_id, Role.HEAD
        ):
            return {"disclosure_mode": _("不予公开须由本单位主要负责人决定，请由主要负责人确认。")}
        return {}

    def record_withholding(self, user, reason, explanation=""):
        """The owning unit's head decides to withhold (not saved here)."""
        if reason not in WithholdingReason.values:
            raise ValidationError({"withholding_reason": _("不予公开须选择《政府信息公开条例》规定的理由。")})
        if not user_has_role(user, self.owning_unit_id, Role.HEAD):
            raise ValidationError({"disclosure_mode": _("只有本单位主要负责人可以决定不予公开。")})
        self.disclosure_mode = DisclosureMode.WITHHELD
        self.withholding_reason = reason
        self.withholding_explanation = explanation
        self.withholding_recorded_by = user
        self.withholding_recorded_at = timezone.now()

    def clean(self):
        self.document_number = normalise_document_number(self.document_number)
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        today = timezone.localdate()
        if self.written_date and self.written_date > today:
            errors["written_date"] = [_("成文日期不能晚于今天。")]
        if self.changed_date:
            if self.changed_date > today:
                errors["changed_date"] = [_("变更日期不能晚于今天。")]
            elif self.written_date and self.changed_date < self.written_date:
                errors["changed_date"] = [_("变更日期不能早于成文日期。")]
        for field, message in self.withholding_problems().items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def publication_requirements(self, phase):
        """Checked by the workflow on submit and before publishing."""
        problems = list(self.withholding_problems().values())
        if self.owning_unit_id is None:
            problems.append(_("公开信息须有发布机构。"))
        return problems

    # ------------------------------------------------------------------ deadlines and display

    @property
    def due_basis(self):
        return max(d for d in (self.written_date, self.changed_date) if d)

    def due_status(self, today=None, warning_days=due.DEFAULT_WARNING_DAYS):
        """Published items are judged by their publication; unpublished or changed-since items by today."""
        published_on = None
        if self.live and self.published_date and not (self.changed_date and self.changed_date > self.published_date):
            published_on = self.published_date
        return due.due_status(self.due_basis, published_on, today=today, warning_days=warning_days)

    @property
    def shows_content(self):
        """Only proactively disclosed items show their text and attachments; others list their metadata."""
        return self.disclosure_mode == DisclosureMode.PROACTIVE

    @cached_property
    def body_text(self):
        return body_text(self.body)

    def extra_search_texts(self):
        # An item that lists only its metadata must not be found by words of its hidden text.
        texts = [self.summary, self.document_number, self.index_number]
        return [*texts, self.body_text] if self.shows_content else texts
