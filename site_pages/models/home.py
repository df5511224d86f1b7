from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from workflows.permissions import ReviewedPagePermissionTester

from ..home_blocks import HomeBodyBlock
from ..page_urls import UrlPathMixin
from ..routing import route_by_url_path


class HomePage(UrlPathMixin, Page):
    """The portal's home page: sections (要闻, column feeds, entries, shortcuts) the editors choose and order."""

    body = StreamField(HomeBodyBlock(), verbose_name=_("首页版块"), blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["site_pages.ColumnPage", "site_pages.ServiceIndexPage", "newmedia.NewMediaDirectoryPage"]

    content_panels = Page.content_panels + [FieldPanel("body")]

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)

    def route(self, request, path_components):
        # The site's root: the whole URL is resolved here in one read of the tree instead of one per segment.
        return route_by_url_path(self, request, path_components)

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")
