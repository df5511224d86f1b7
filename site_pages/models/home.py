from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from workflows.permissions import ReviewedPagePermissionTester

HOME_LISTING_SIZE = 8


class HomePage(Page):
    """The portal's home page: latest 要闻, 通知公告, 政策文件 and 政策解读."""

    news_column = models.ForeignKey(
        "site_pages.ColumnPage", verbose_name=_("要闻栏目"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    notice_column = models.ForeignKey(
        "site_pages.ColumnPage", verbose_name=_("通知公告栏目"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    policy_column = models.ForeignKey(
        "site_pages.ColumnPage", verbose_name=_("政策文件栏目"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    interpretation_column = models.ForeignKey(
        "site_pages.ColumnPage", verbose_name=_("政策解读栏目"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["site_pages.ColumnPage"]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("news_column"),
                FieldPanel("notice_column"),
                FieldPanel("policy_column"),
                FieldPanel("interpretation_column"),
            ],
            heading=_("首页栏目"),
        )
    ]

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .columns import ColumnPage, public_content
        from .content import InterpretationPage, PolicyDocumentPage

        specs = (
            ("news", _("安岳要闻"), self.news_column_id, None),
            ("notices", _("通知公告"), self.notice_column_id, None),
            ("policies", _("政策文件"), self.policy_column_id, PolicyDocumentPage),
            ("interpretations", _("政策解读"), self.interpretation_column_id, InterpretationPage),
        )
        columns = ColumnPage.objects.live().in_bulk([spec[2] for spec in specs if spec[2]])
        base = public_content()
        sections = []
        for key, title, column_id, only_type in specs:
            column = columns.get(column_id)
            if column is None:
                continue
            listing = column.listing_queryset(base)
            if only_type is not None:
                listing = listing.type(only_type)
            items = list(listing[:HOME_LISTING_SIZE])
            sections.append({"key": key, "title": column.title or title, "column": column, "items": items})
        context["sections"] = sections
        return context
