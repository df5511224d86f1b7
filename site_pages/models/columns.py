"""Columns (栏目) and special topics (专题专栏): containers of content with a paginated listing."""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from cms.organisation.models import UnitKind
from cms.organisation.permissions import grant_page_to_unit

from .. import listing_cache
from ..forms import ColumnPageForm
from ..keyset import KeysetListing, Source, below, below_unindexed, children_by_parent_index, of_types, parents_below
from .base import PortalPage, UpdateClass

LISTING_PAGE_SIZE = 20
# A long listing merges one page of each page with children below the column (a subquery each, in a UNION, which
# SQLite caps at 500 terms); past this many it walks the site's date index instead.
MAX_LISTED_PARENTS = 100
CONTENT_PAGE_TYPES = (
    "site_pages.ArticlePage",
    "site_pages.NoticePage",
    "site_pages.PolicyDocumentPage",
    "site_pages.InterpretationPage",
    "site_pages.ServiceGuidePage",
    "site_pages.SurveyPage",
    "site_pages.InterviewPage",
    # 季度通报 (cms.inspection): issued from an inspection run, listed with the column's notices.
    "inspection.Bulletin",
)


def content_models():
    from django.apps import apps

    return [apps.get_model(label) for label in CONTENT_PAGE_TYPES]


def public_content():
    """Live, unrestricted content pages as base Page rows, with the 文号 the listings show.

    Annotating the one specific field a listing needs keeps the query count flat; the view restrictions are read
    once (from the listing cache when it is on), so callers listing several columns should share it.
    """
    from .content import PolicyDocumentPage

    document_number = PolicyDocumentPage.objects.filter(pk=OuterRef("pk")).order_by().values("document_number")[:1]
    pages = of_types(listing_cache.public(Page.objects.live()), *content_models())
    return pages.annotate(document_number=Subquery(document_number))


# Units that run the portal's structure; a column owned by any other unit (a township's, a department's)
# is where that unit publishes, and takes content but no further columns.
STRUCTURE_UNIT_KINDS = (UnitKind.SUPERVISOR, UnitKind.OPERATOR)


def takes_columns(parent):
    parent = parent.specific
    if not isinstance(parent, ColumnPage) or parent.owning_unit_id is None:
        return True
    return parent.owning_unit.kind in STRUCTURE_UNIT_KINDS


def container_models():
    """Page models that only hold other pages: columns (the catalogue is one) and special topics."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, (ColumnPage, SpecialTopicPage))]


def live_pages_below():
    """Live pages other than columns below the outer query's page (a correlated subquery's rows).

    Any page type that is not a container counts (articles, catalogue items, guides, a type added
    later), so a column holding only a new kind of page is never taken for a 空白栏目.
    """
    from django.contrib.contenttypes.models import ContentType

    containers = ContentType.objects.get_for_models(*container_models()).values()
    last_descendant = Concat(OuterRef("path"), Value("Z" * Page._meta.get_field("path").max_length))
    return (
        Page.objects.live()
        .exclude(content_type__in=containers)
        .filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))
        # The same rows as a range on the path index, which SQLite cannot use for LIKE: without it, finding
        # each column's newest page walks the whole portal by date (minutes at 2,000 columns). Paths are
        # made of 0-9A-Z, so every descendant sorts between the path and the path followed by Zs.
        .filter(path__gt=OuterRef("path"), path__lte=last_descendant)
    )


def live_content_below():
    """An Exists() true when a live page other than a column lies below the outer query's page."""
    return Exists(live_pages_below())


def with_live_content(pages):
    """Drops the columns with no live content below them: an empty column (空白栏目) is not shown in navigation."""
    return pages.filter(live_content_below())


def annotate_blank_columns(pages):
    """Adds `blank_column`: true for a column (栏目 or 专题) with no live content below it, false for other pages."""
    from django.contrib.contenttypes.models import ContentType

    container_types = ContentType.objects.get_for_models(ColumnPage, SpecialTopicPage).values()
    return pages.annotate(
        blank_column=Case(When(content_type__in=container_types, then=~live_content_below()), default=Value(False))
    )


class ListingMixin:
    """Live content below this page, newest first, a fixed number of queries per page."""

    def listing_queryset(self, base=None):
        base = public_content() if base is None else base
        return below(self, base).order_by("-first_published_at", "-pk")

    def long_listing(self, base):
        """A long listing as the children of each page with children below the column (itself included), each
        walked newest first by the index of site_pages 0015: no page outside the column is read."""
        parents = listing_cache.cached("column-parents", lambda: parents_below(self), self.pk)
        if len(parents) > MAX_LISTED_PARENTS:
            return [Source(below_unindexed(self, base), "first_published_at")]
        return children_by_parent_index(parents, base, "first_published_at")

    def paginate_listing(self, request):
        # A short listing reads its range of paths and sorts it; a long one merges its parents' pages (above).
        base = public_content()  # reads the view restrictions: once for all forms
        source = Source(
            self.listing_queryset(base).order_by(), "first_published_at", long=lambda: self.long_listing(base)
        )
        listing = KeysetListing(
            [source], lambda page: (page.first_published_at, page.pk), LISTING_PAGE_SIZE, count_key=("column", self.pk)
        )
        return listing.paginate(request.GET)

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        # Draft saves of a live page pass update_fields; the grant follows the saved row only.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "owning_unit" in update_fields:
            grant_page_to_unit(self, self.owning_unit)
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = self.paginate_listing(request)
        context["subcolumns"] = with_live_content(
            self.get_children().live().in_menu().type(ColumnPage, SpecialTopicPage)
        )
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1).live()
        return context


class ColumnPage(ListingMixin, PortalPage):
    """栏目: owned by a unit, updated on the schedule of its update class."""

    lead_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    update_class = models.CharField(
        _("更新类别"), max_length=20, choices=UpdateClass.choices, default=UpdateClass.UNCLASSIFIED
    )
    intro = models.TextField(_("栏目简介"), blank=True, max_length=500)

    parent_page_types = ["site_pages.HomePage", "site_pages.ColumnPage"]
    subpage_types = [
        "site_pages.ColumnPage",
        "site_pages.SpecialTopicPage",
        "site_pages.ServiceIndexPage",
        "newmedia.NewMediaDirectoryPage",
        "site_pages.MessageBoardPage",
        *CONTENT_PAGE_TYPES,
    ]

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("owning_unit", permission="organisation.change_unit"),
                        FieldPanel("lead_unit", permission="organisation.change_unit"),
                    ]
                ),
                FieldPanel("update_class", permission="organisation.change_unit"),
            ],
            heading=_("栏目管理"),
        ),
    ]
    settings_panels = []
    base_form_class = ColumnPageForm

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and takes_columns(parent)

    def extra_search_texts(self):
        return [self.intro]


class SpecialTopicPage(ListingMixin, PortalPage):
    """专题专栏: a themed landing page with its own content."""

    intro = models.TextField(_("专题简介"), blank=True, max_length=1000)
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("专题横幅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["site_pages.ColumnPage"]
    subpage_types = list(CONTENT_PAGE_TYPES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("banner")]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("专题专栏")
        verbose_name_plural = _("专题专栏")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and takes_columns(parent)

    def extra_search_texts(self):
        return [self.intro]
