"""The public catalogue listing: 公开信息 items and catalogued policy documents in one list.

A policy document is catalogued where it is published (its column) and listed here by its own URL,
so both kinds of entry are read as the same row and combined in one query (UNION), which keeps the
ordering, filters and pagination in the database.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.organisation.models import Unit
from site_pages import listing_cache
from site_pages.keyset import KeysetListing, Source

from .numbering import IndexNumberCounter
from .taxonomy import DisclosureCategory, TopicCategory

CATALOGUE_PAGE_SIZE = 20


@dataclass
class CatalogueRow:
    """One line of a catalogue listing; `page` is enough to build its URL without loading the page."""

    page_id: int
    title: str
    url_path: str
    index_number: str
    published_date: date
    document_number: str
    unit_name: str
    unit_short_name: str

    @property
    def page(self):
        return Page(id=self.page_id, url_path=self.url_path, title=self.title)

    @property
    def unit_label(self):
        return self.unit_short_name or self.unit_name


def catalogue_sources(items, policy_entries):
    """Items and policy entries as keyset sources of tuples of CatalogueRow's fields."""
    item_rows = items.values_list(
        "pk",
        "title",
        "url_path",
        "index_number",
        "published_date",
        "document_number",
        "owning_unit__name",
        "owning_unit__short_name",
    )
    policy_rows = policy_entries.values_list(
        "page_id",
        "page__title",
        "page__url_path",
        "index_number",
        "published_date",
        "page__document_number",
        "page__owning_unit__name",
        "page__owning_unit__short_name",
    )
    # The combined rows are ordered by the first source's column names (pk, published_date).
    return [Source(item_rows.order_by(), "published_date"), Source(policy_rows.order_by(), "published_date", "page_id")]


def catalogue_listing(items, policy_entries, *, size=CATALOGUE_PAGE_SIZE, count_key=None):
    """Newest first, as CatalogueRow; one query per page whatever its depth (site_pages.keyset)."""
    return KeysetListing(
        catalogue_sources(items, policy_entries),
        lambda row: (row.published_date, row.page_id),
        size,
        wrap=lambda values: CatalogueRow(*values),
        count_key=count_key,
    )


class CatalogueFilter:
    """The public catalogue's filters, read from the query string; a bad value is reported, not guessed."""

    def __init__(self, params, *, fixed_unit=None):
        self.errors = []
        self.fixed_unit = fixed_unit
        self.category = self._pick(params, "category", DisclosureCategory.objects.all(), _("公开类别"))
        self.topic = self._pick(params, "topic", TopicCategory.objects.all(), _("主题分类"))
        self.unit = fixed_unit or self._pick(params, "unit", Unit.objects.all(), _("发布机构"))
        self.year = None
        raw_year = (params.get("year") or "").strip()
        if raw_year:
            if raw_year.isdigit() and 1990 <= int(raw_year) <= 2100:
                self.year = int(raw_year)
            else:
                self.errors.append(_("年份“%(value)s”无效，请从列表中选择。") % {"value": raw_year[:20]})

    def _pick(self, params, name, queryset, label):
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        found = queryset.filter(pk=int(raw)).first() if raw.isdigit() else None
        if found is None:
            self.errors.append(_("%(label)s“%(value)s”不存在，已忽略该条件。") % {"label": label, "value": raw[:20]})
        return found

    def apply(self, records, unit_field="owning_unit"):
        """Filter items or policy entries: both carry category, topic and published_date; the unit differs."""
        if self.category:
            records = records.filter(category=self.category)
        if self.topic:
            records = records.filter(topic=self.topic)
        if self.unit:
            records = records.filter(**{unit_field: self.unit})
        if self.year:
            records = records.filter(published_date__year=self.year)
        return records

    def query_string(self):
        """The active filters without the page number, for pagination links."""
        parts = [
            ("category", self.category and self.category.pk),
            ("topic", self.topic and self.topic.pk),
            ("unit", None if self.fixed_unit else self.unit and self.unit.pk),
            ("year", self.year),
        ]
        return "&".join(f"{name}={value}" for name, value in parts if value)


class CatalogueListing:
    """Filtered, paginated entries below this page, with the filter choices (a fixed number of queries)."""

    fixed_unit = None

    def catalogue_context(self, request, items, policy_entries):
        # catalogue.py builds its listing pages on this module, so its page type is imported here.
        from .catalogue import UnitCataloguePage

        filters = CatalogueFilter(request.GET, fixed_unit=self.fixed_unit)
        listing = catalogue_listing(
            filters.apply(items),
            filters.apply(policy_entries, unit_field="page__owning_unit"),
            count_key=("catalogue", self.pk, filters.query_string()),
        )

        def choices():
            # Years come from the 索引号 counters (one row per unit and year), not from a scan of the items.
            years = IndexNumberCounter.objects.filter(last_serial__gt=0)
            if self.fixed_unit:
                years = years.filter(unit=self.fixed_unit)
            return {
                "categories": list(DisclosureCategory.objects.filter(active=True)),
                "topics": list(TopicCategory.objects.filter(active=True)),
                # Units with a catalogue of their own, and those that publish policy documents.
                "units": list(
                    Unit.objects.filter(
                        Q(pk__in=UnitCataloguePage.objects.live().values("owning_unit"))
                        | Q(pk__in=policy_entries.values("page__owning_unit"))
                    )
                ),
                "years": sorted(set(years.values_list("year", flat=True)), reverse=True),
            }

        return {
            "filters": filters,
            "listing": listing.paginate(request.GET),
            "filter_query": filters.query_string(),
            # The same for every visitor until the catalogue changes.
            **listing_cache.cached("catalogue-choices", choices, self.pk),
        }
