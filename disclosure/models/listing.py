"""The public catalogue listing: 公开信息 items and catalogued policy documents in one list.

A policy document is catalogued where it is published (its column) and listed here by its own URL,
so both kinds of entry are read as the same row and combined in one query (UNION), which keeps the
ordering, filters and pagination in the database.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.organisation.models import Unit

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


def catalogue_rows(items, policy_entries):
    """Items and policy entries as tuples of CatalogueRow's fields, newest first."""
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
    # The parts of a UNION may not be ordered (pages are ordered by tree path by default); the
    # combined rows are, by the first query's column names.
    return item_rows.order_by().union(policy_rows.order_by(), all=True).order_by("-published_date", "-pk")


def paginate(queryset, request):
    paginator = Paginator(queryset, CATALOGUE_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    page.object_list = [CatalogueRow(*row) for row in page.object_list]
    return page


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
        # catalogue.py builds its listing pages on this module, so its models are imported here.
        from .catalogue import IndexNumberCounter, UnitCataloguePage

        filters = CatalogueFilter(request.GET, fixed_unit=self.fixed_unit)
        rows = catalogue_rows(filters.apply(items), filters.apply(policy_entries, unit_field="page__owning_unit"))
        # Years come from the 索引号 counters (one row per unit and year), not from a scan of the items.
        years = IndexNumberCounter.objects.filter(last_serial__gt=0)
        if self.fixed_unit:
            years = years.filter(unit=self.fixed_unit)
        return {
            "filters": filters,
            "listing": paginate(rows, request),
            "filter_query": filters.query_string(),
            "categories": DisclosureCategory.objects.filter(active=True),
            "topics": TopicCategory.objects.filter(active=True),
            # Units with a catalogue of their own, and those that publish policy documents.
            "units": Unit.objects.filter(
                Q(pk__in=UnitCataloguePage.objects.live().values("owning_unit"))
                | Q(pk__in=policy_entries.values("page__owning_unit"))
            ),
            "years": sorted(set(years.values_list("year", flat=True)), reverse=True),
        }
