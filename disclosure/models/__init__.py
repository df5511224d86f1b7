"""Disclosure models, one module per concern; import them from `disclosure.models`."""

from .calendar_days import CalendarDay
from .catalogue import (
    AnnualReportIndexPage,
    DisclosureCatalogue,
    DisclosureSectionPage,
    ProactiveDisclosurePage,
    UnitCataloguePage,
)
from .item import DisclosureItem, DisclosureScope
from .numbering import DisclosureSettings, IndexNumberCounter
from .policy_record import PolicyCatalogueEntry
from .taxonomy import CategoryList, DisclosureCategory, TopicCategory

__all__ = [
    "AnnualReportIndexPage",
    "CalendarDay",
    "CategoryList",
    "DisclosureCatalogue",
    "DisclosureCategory",
    "DisclosureItem",
    "DisclosureScope",
    "DisclosureSectionPage",
    "DisclosureSettings",
    "IndexNumberCounter",
    "PolicyCatalogueEntry",
    "ProactiveDisclosurePage",
    "TopicCategory",
    "UnitCataloguePage",
]
