"""Builders shared by the inspection tests: content published on a given day, and one inspection's findings."""

import datetime

from django.utils import timezone
from wagtail.models import Page

from cms.inspection.checks.columns import column_updates, home_page_update
from cms.inspection.findings import InspectionContext
from tests.factories import make_content

DAY = datetime.date(2026, 1, 5)


def published_on(column, day, **fields):
    """Live content in `column` first published at noon (county time) on `day`."""
    page = make_content(column, **fields)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Page.objects.filter(pk=page.pk).update(first_published_at=moment)
    return page


def column_findings(as_of, unit_code=None):
    context = InspectionContext(as_of=as_of, unit_code=unit_code)
    return [*column_updates(context), *home_page_update(context)]


def of_kind(findings, *kinds):
    return [f for f in findings if f.kind in kinds]


def only_column_checks(monkeypatch):
    """Runs the report with this module's checks alone, so other areas' checks do not change what is asserted."""
    monkeypatch.setattr(
        "cms.inspection.report.run_checks", lambda context: column_findings(context.as_of, context.unit_code)
    )
