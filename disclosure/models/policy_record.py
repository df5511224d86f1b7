"""A policy document (政策文件) as its own catalogue entry: one record, one URL.

The policy page is the content that the public reads in its column; this row adds what the
catalogue needs — 索引号, 公开类别, 主题分类 and the publication date — and is listed by the
catalogue with the page's own URL. 发布机构 is the page's owning unit. The row lives in this app
because the catalogue depends on the portal's pages, never the other way round.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .numbering import allocate_for
from .taxonomy import DisclosureCategory, TopicCategory

# Policy documents are 规范性文件 in the regulation's list (条例 第二十条 第一项) unless an editor says otherwise.
DEFAULT_POLICY_CATEGORY = "行政法规、规章和规范性文件"


class PolicyCatalogueEntry(models.Model):
    page = models.OneToOneField(
        "site_pages.PolicyDocumentPage",
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="catalogue_entry",
    )
    index_number = models.CharField(_("索引号"), max_length=100, unique=True, editable=False)
    published_date = models.DateField(_("发布日期"), editable=False)
    category = models.ForeignKey(
        DisclosureCategory, verbose_name=_("公开类别"), on_delete=models.PROTECT, related_name="policy_entries"
    )
    topic = models.ForeignKey(
        TopicCategory,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_entries",
    )

    class Meta:
        verbose_name = _("政策文件目录信息")
        verbose_name_plural = _("政策文件目录信息")
        # The catalogue walks it newest first, the page id breaking ties (site_pages.keyset).
        indexes = [models.Index(fields=["published_date", "page"], name="disclosure_policy_date")]

    def __str__(self):
        return f"{self.index_number} {self.page.title}"

    @property
    def owning_unit(self):
        """发布机构: the unit that publishes the policy page."""
        return self.page.owning_unit


def public_policy_entries(private=None):
    """Entries of live policy pages the public may see; an unpublished page leaves the catalogue with it.

    `private` is the view restrictions' filter when the caller has read it already (item.private_sections).
    """
    from wagtail.models import Page

    from site_pages.models import PolicyDocumentPage

    # The live public pages are found by their content type in the page table alone. Joined with the policy
    # pages' table, SQLite read the whole page table whenever it had no statistics of the policy tables (PRAGMA
    # optimize never analyses a table that was empty when first analysed), and every catalogue listing grew
    # with the site.
    pages = Page.objects.live().type(PolicyDocumentPage)
    public = pages.exclude(pages.private_q() if private is None else private)
    return PolicyCatalogueEntry.objects.filter(page_id__in=public.values("pk"))


def default_policy_category():
    return DisclosureCategory.objects.filter(name=DEFAULT_POLICY_CATEGORY).order_by("pk").first()


def catalogue_policy_document(page):
    """Give a published policy page its entry and 索引号 at its first publication (kept ever after).

    Same rules as an item: the unit's counter for the year of first publication, the site's pattern,
    numbers unique across the catalogue. A page without a unit, or a catalogue without the default
    category, is left uncatalogued rather than failing the publication.
    """
    if PolicyCatalogueEntry.objects.filter(page=page).exists() or page.owning_unit_id is None:
        return None
    category = default_policy_category()
    if category is None:
        return None
    published = timezone.localdate(page.first_published_at or timezone.now())
    # The serial and the entry commit together, or neither does.
    with transaction.atomic():
        return PolicyCatalogueEntry.objects.create(
            page=page,
            index_number=allocate_for(page, published.year),
            published_date=published,
            category=category,
        )
