"""The frame of every page below the catalogue: its breadcrumbs, the catalogue and the catalogue's menu."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from site_pages import listing_cache


def catalogue_frame(parent_path):
    """(breadcrumbs, catalogue, its menu) of the pages below `parent_path`, read once for all of its children.

    Kept under the listing cache's version (site_pages.listing_cache): every item of a unit shares its
    unit catalogue's frame, so 100,000 items cost as many cached frames as there are units.
    """

    # The catalogue's page types are built on CatalogueChildMixin below: imported late.
    from .catalogue import DisclosureCatalogue

    def compute():
        step = Page.steplen
        paths = [parent_path[:end] for end in range(2 * step, len(parent_path) + 1, step)]
        breadcrumbs = list(Page.objects.filter(path__in=paths).live().order_by("path"))
        catalogue_type = ContentType.objects.get_for_model(DisclosureCatalogue)
        catalogue = next((page for page in breadcrumbs if page.content_type_id == catalogue_type.pk), None)
        sections = list(catalogue.get_children().live().in_menu()) if catalogue else []
        return breadcrumbs, catalogue, sections

    return listing_cache.cached("catalogue-frame", compute, parent_path)


class CatalogueChildMixin:
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The side navigation needs only the catalogue's title and URL, so the plain page serves.
        breadcrumbs, catalogue, sections = catalogue_frame(self.path[: -Page.steplen])
        context.update(catalogue=catalogue, catalogue_sections=sections, breadcrumbs=breadcrumbs)
        return context
