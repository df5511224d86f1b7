"""The inspection's SQL queries do not grow with the number of columns (or of pages in them)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.inspection.findings import InspectionContext, run_checks
from tests.factories import make_column

from .support import published_on

AS_OF = datetime.date(2026, 3, 31)

pytestmark = pytest.mark.django_db


def add_columns(portal, unit, first, count):
    for n in range(first, first + count):
        column = make_column(portal["towns"], f"栏目{n}", unit, update_class=("news", "monthly")[n % 2], slug=f"c{n}")
        for k in range(2):
            published_on(column, AS_OF - datetime.timedelta(days=n + k), title=f"栏目{n}第{k}条", slug=f"c{n}-{k}")


def queries_of_run_checks():
    with CaptureQueriesContext(connection) as captured:
        run_checks(InspectionContext(as_of=AS_OF))
    return [query["sql"] for query in captured.captured_queries]


def test_run_checks_queries_do_not_grow_with_columns(portal, township_a, monkeypatch):
    # The lexicon and leader register re-read their version every few seconds: time, not columns, would count.
    monkeypatch.setattr("workflows.lexicon.matcher.VERSION_CHECK_SECONDS", 3600.0)
    monkeypatch.setattr("workflows.lexicon.leaders.VERSION_CHECK_SECONDS", 3600.0)
    add_columns(portal, township_a, 1, 3)
    queries_of_run_checks()  # warm-up: content types, site root paths
    few = queries_of_run_checks()
    add_columns(portal, township_a, 4, 9)
    many = queries_of_run_checks()
    assert len(many) <= len(few), "\n".join(many)
