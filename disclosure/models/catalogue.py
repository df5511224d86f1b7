"""The catalogue's page types: its root, its text sections, the annual reports' index and the item listings.

The items are in item.py, the settings and 索引号 in numbering.py, the frame every page below the catalogue
shows (breadcrumbs, menu) in frame.py and the combined listing of items and policy documents in listing.py.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.coreutils import resolve_model_string
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.organisation.permissions import grant_page_to_unit
from site_pages import listing_cache
from site_pages.blocks import BodyBlock
from site_pages.keyset import below_unindexed
from site_pages.models import ColumnPage, PortalPage
from workflows.panels import ReviewStatusPanel

# disclosure/migrations/0002_catalogue.py names CatalogueChildMixin and CatalogueListing, the page types' bases,
# by this module's path (disclosure.models.catalogue.*): they must stay importable from here.
from .frame import CatalogueChildMixin
from .item import DisclosureItem, body_text, private_sections, public_items
from .listing import CatalogueListing, catalogue_listing
from .policy_record import public_policy_entries
from .taxonomy import CategoryList, DisclosureCategory


class DisclosureCatalogue(ColumnPage):
    """政府信息公开: the catalogue root, a top-level column so that it appears in the navigation."""

    guide_note = models.TextField(
        _("公开说明"),
        blank=True,
        max_length=500,
        help_text=_("显示在目录首页，如信息公开工作机构、联系电话。"),
    )

    max_count = 1
    parent_page_types = ["site_pages.HomePage"]
    subpage_types = [
        "disclosure.DisclosureSectionPage",
        "disclosure.ProactiveDisclosurePage",
        "disclosure.AnnualReportIndexPage",
    ]
    template = "disclosure/disclosure_catalogue.html"
    content_panels = ColumnPage.content_panels + [FieldPanel("guide_note")]

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def index_frame(self):
        """What the index page shows besides the newest items: the same for every visitor until pages change."""
        categories = list(DisclosureCategory.objects.filter(active=True))
        return {
            "catalogue_sections": list(self.get_children().live().in_menu()),
            "breadcrumbs": list(self.get_ancestors().filter(depth__gt=1).live()),
            "proactive": ProactiveDisclosurePage.objects.descendant_of(self).live().first(),
            "category_groups": [
                (label, [c for c in categories if c.category_list == value]) for value, label in CategoryList.choices
            ],
        }

    def listing_queryset(self, base=None):
        """The catalogue's content is its items: column update monitoring counts them, whatever base is shared."""
        items = Page.objects.live().public().type(DisclosureItem).descendant_of(self)
        return items.order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = Page.get_context(self, request, *args, **kwargs)
        context.update(listing_cache.cached("catalogue-index", self.index_frame, self.pk), catalogue=self)
        private = private_sections()
        listing = catalogue_listing(public_items(private).descendant_of(self), public_policy_entries(private))
        context["latest"] = listing.newest(10)
        return context


class DisclosureSectionPage(CatalogueChildMixin, PortalPage):
    """A text section of the catalogue: 政府信息公开指南, 政府信息公开制度, 依申请公开."""

    intro = models.TextField(_("简介"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)
    show_request_links = models.BooleanField(
        _("显示在线申请入口"),
        default=False,
        help_text=_("在本栏目页显示“在线提交申请”和“查询办理进度”入口（用于依申请公开栏目）。"),
    )

    parent_page_types = ["disclosure.DisclosureCatalogue"]
    subpage_types = []
    template = "disclosure/disclosure_section_page.html"
    content_panels = (
        [ReviewStatusPanel(heading=_("审核与检查"))]
        + Page.content_panels
        + [
            FieldPanel("intro"),
            FieldPanel("show_request_links"),
            FieldPanel("body"),
        ]
    )
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("信息公开栏目页")
        verbose_name_plural = _("信息公开栏目页")

    def extra_search_texts(self):
        return [self.intro, body_text(self.body)]


class AnnualReportIndexPage(CatalogueChildMixin, PortalPage):
    """政府信息公开年报: holds the annual report pages (built by the requests app)."""

    intro = models.TextField(_("简介"), blank=True, max_length=500)

    parent_page_types = ["disclosure.DisclosureCatalogue"]
    subpage_types = ["disclosure_requests.AnnualReportPage"]
    template = "disclosure/annual_report_index_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("信息公开年报栏目")
        verbose_name_plural = _("信息公开年报栏目")

    @classmethod
    def clean_subpage_models(cls):
        # The annual report page type lives in another app that may not be installed (yet); an
        # unresolvable label is left out instead of breaking every page-type lookup of the admin.
        if cls._clean_subpage_models is None:
            models_found = []
            for label in cls.subpage_types:
                try:
                    models_found.append(resolve_model_string(label, cls._meta.app_label))
                except LookupError:
                    continue
            cls._clean_subpage_models = models_found
        return cls._clean_subpage_models

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = self.get_children().live().public().order_by("-first_published_at")
        return context


class ProactiveDisclosurePage(CatalogueListing, CatalogueChildMixin, PortalPage):
    """法定主动公开内容: the browsable catalogue of every unit's items."""

    intro = models.TextField(_("简介"), blank=True, max_length=500)

    parent_page_types = ["disclosure.DisclosureCatalogue"]
    subpage_types = ["disclosure.UnitCataloguePage"]
    template = "disclosure/catalogue_listing_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("法定主动公开内容")
        verbose_name_plural = _("法定主动公开内容")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        private = private_sections()
        # By path prefix alone (the items below are this page's descendants): descendant_of's depth let SQLite's
        # bounded count walk the depth index through every page of the site at the depths above the items.
        items = below_unindexed(self, public_items(private))
        context.update(self.catalogue_context(request, items, public_policy_entries(private)))
        return context


class UnitCataloguePage(CatalogueListing, CatalogueChildMixin, PortalPage):
    """One unit's own catalogue: its editors add items here and nowhere else."""

    intro = models.TextField(_("简介"), blank=True, max_length=500)

    parent_page_types = ["disclosure.ProactiveDisclosurePage"]
    subpage_types = ["disclosure.DisclosureItem"]
    template = "disclosure/catalogue_listing_page.html"
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("owning_unit", permission="organisation.change_unit"),
    ]
    settings_panels = []

    class Meta:
        verbose_name = _("单位信息公开目录")
        verbose_name_plural = _("单位信息公开目录")

    @property
    def fixed_unit(self):
        return self.owning_unit

    def clean(self):
        super().clean()
        if self.owning_unit_id is None:
            raise ValidationError({"owning_unit": _("单位信息公开目录必须指定所属单位。")})

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "owning_unit" in update_fields:
            grant_page_to_unit(self, self.owning_unit)
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        private = private_sections()
        policy_entries = public_policy_entries(private).filter(page__owning_unit=self.owning_unit_id)
        # The items below a unit catalogue are its children (items sit only under unit catalogues and hold no
        # pages), read by a path prefix that no index serves: SQLite then walks the unit's date index
        # (disclosure_unit_date, the listing filters on the unit) in the listing's order and stops after a
        # page, where child_of's depth let it read every item of the site at that depth and sort them.
        items = below_unindexed(self, public_items(private))
        context.update(self.catalogue_context(request, items, policy_entries))
        return context
