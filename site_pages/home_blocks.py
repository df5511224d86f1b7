"""Blocks of the home page: editors choose and order the home page's sections in the admin."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import listing_cache

FEED_TYPES = {
    "article": "site_pages.ArticlePage",
    "notice": "site_pages.NoticePage",
    "policy": "site_pages.PolicyDocumentPage",
    "interpretation": "site_pages.InterpretationPage",
}
# A carousel longer than this is not read; the rest of the news is in the list beside it.
MAX_PICTURES = 5


def column_items(column, count, page_type=""):
    """The newest live, public content of a column (and its subcolumns), optionally one page type.

    Kept under the listing cache's version, which every publication replaces (listing_cache): the home page
    reads its sections from the cache instead of two queries each.
    """
    if column is None or not column.live:
        return []

    def read():
        from django.apps import apps

        from .models.columns import public_content

        listing = column.listing_queryset(public_content())
        if page_type:
            listing = listing.type(apps.get_model(FEED_TYPES[page_type]))
        return list(listing[:count])

    return listing_cache.cached("home-items", read, column.pk, count, page_type)


def column_pictures(column, count):
    """The newest articles of a column that have a 题图, with the image."""

    def read():
        from .models import ArticlePage

        with_cover = column.listing_queryset(ArticlePage.objects.live().public().exclude(cover=None))
        return list(with_cover.select_related("cover")[:count])

    return listing_cache.cached("home-pictures", read, column.pk, count)


class LinkValue(blocks.StructValue):
    # The request the block is rendered for (set by with_request): page.get_url(request) is page.url with the
    # sites' root paths read once per request instead of once per linked page (a cache round trip each).
    request = None

    def href(self):
        page = self.get("page")
        return page.get_url(self.request) if page is not None and page.live else self.get("url", "")


def with_request(links, context):
    for link in links:
        link.request = context.get("request")


class LinkBlock(blocks.StructBlock):
    """A link to a portal page or to a path or address the page tree does not hold (e.g. the request form)."""

    label = blocks.CharBlock(label=_("名称"), max_length=40)
    page = blocks.PageChooserBlock(label=_("站内页面"), required=False)
    url = blocks.CharBlock(
        label=_("链接地址"),
        required=False,
        max_length=300,
        help_text=_("不选站内页面时填写，例如 /yxsqgk/ 或 https:// 开头的地址。"),
    )

    class Meta:
        icon = "link"
        label = _("链接")
        value_class = LinkValue

    def clean(self, value):
        value = super().clean(value)
        url = value.get("url", "")
        if not value.get("page") and not url:
            raise blocks.StructBlockValidationError({"page": ValidationError(_("请选择站内页面或填写链接地址。"))})
        if url and not url.startswith(("/", "https://", "http://")):
            raise blocks.StructBlockValidationError({"url": ValidationError(_("链接地址须以 / 或 http(s):// 开头。"))})
        return value


class NewsBlock(blocks.StructBlock):
    """安岳要闻: the column's newest pictures (题图) as a carousel, or one lead picture, beside its newest titles."""

    title = blocks.CharBlock(label=_("标题"), required=False, max_length=40, help_text=_("留空则使用栏目名称。"))
    column = blocks.PageChooserBlock(label=_("栏目"), page_type="site_pages.ColumnPage")
    count = blocks.IntegerBlock(label=_("条数"), default=8, min_value=1, max_value=20)
    pictures = blocks.IntegerBlock(
        label=_("图片条数"),
        default=MAX_PICTURES,
        min_value=0,
        max_value=MAX_PICTURES,
        help_text=_("1 为头条图片，2 条以上为图片轮播，0 为不显示图片。"),
    )

    class Meta:
        icon = "image"
        label = _("要闻（图片轮播）")
        template = "site_pages/blocks/home_news.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        items = column_items(value["column"], value["count"])
        pictures = column_pictures(value["column"], value["pictures"]) if value["pictures"] else []
        context.update(items=items, pictures=pictures, heading=value["title"] or value["column"].title)
        return context


class ColumnFeedBlock(blocks.StructBlock):
    """The newest titles of a column: 乡镇动态, 部门动态, 通知公告, 政策文件, 政策解读."""

    title = blocks.CharBlock(label=_("标题"), required=False, max_length=40, help_text=_("留空则使用栏目名称。"))
    column = blocks.PageChooserBlock(label=_("栏目"), page_type="site_pages.ColumnPage")
    page_type = blocks.ChoiceBlock(
        label=_("信息类型"),
        required=False,
        choices=[
            ("article", _("动态")),
            ("notice", _("通知公告")),
            ("policy", _("政策文件")),
            ("interpretation", _("政策解读")),
        ],
        help_text=_("留空则列出栏目中的全部信息。"),
    )
    count = blocks.IntegerBlock(label=_("条数"), default=8, min_value=1, max_value=20)

    class Meta:
        icon = "list-ul"
        label = _("栏目信息列表")
        template = "site_pages/blocks/home_feed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        items = column_items(value["column"], value["count"], value["page_type"])
        context.update(items=items, heading=value["title"] or value["column"].title)
        return context


class EntryBlock(blocks.StructBlock):
    """An entry to a part of the portal: 政府信息公开, 互动交流."""

    title = blocks.CharBlock(label=_("标题"), max_length=40)
    intro = blocks.TextBlock(label=_("简介"), required=False, max_length=200)
    link = LinkBlock(label=_("入口"))
    links = blocks.ListBlock(LinkBlock(), label=_("常用链接"), default=[])

    class Meta:
        icon = "doc-empty"
        label = _("栏目入口")
        template = "site_pages/blocks/home_entry.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        with_request([value["link"], *value["links"]], context)
        return context


class ShortcutsBlock(blocks.StructBlock):
    """政务服务: a row of shortcut links."""

    title = blocks.CharBlock(label=_("标题"), max_length=40)
    links = blocks.ListBlock(LinkBlock(), label=_("快捷链接"), min_num=1, max_num=12)

    class Meta:
        icon = "grip"
        label = _("快捷链接")
        template = "site_pages/blocks/home_shortcuts.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        with_request(value["links"], context)
        return context


class HomeBodyBlock(blocks.StreamBlock):
    news = NewsBlock()
    column_feed = ColumnFeedBlock()
    entry = EntryBlock()
    shortcuts = ShortcutsBlock()
