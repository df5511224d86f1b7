"""Simultaneous first publications never share a 索引号 serial (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, connections

from disclosure.models import DisclosureItem, IndexNumberCounter
from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this on it"),
]

PUBLISHERS = 8


def test_concurrent_first_publications_get_distinct_serials(home, township_a, county_office):
    _catalogue, proactive = build_catalogue(home, county_office)
    parent = unit_catalogue(proactive, township_a, "sy")
    drafts = [make_item(parent, title=f"并发发布{n}", slug=f"concurrent-{n}", publish=False) for n in range(PUBLISHERS)]
    barrier = threading.Barrier(PUBLISHERS)
    errors = []

    def publish(item):
        try:
            revision = item.get_latest_revision()
            barrier.wait(timeout=10)
            revision.publish()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error) + str(getattr(error, "__cause__", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(item,)) for item in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = list(DisclosureItem.objects.filter(live=True).values_list("index_number", flat=True))
    assert len(numbers) == PUBLISHERS and all(numbers)
    assert len(set(numbers)) == PUBLISHERS
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert serials == list(range(1, PUBLISHERS + 1))
    assert IndexNumberCounter.objects.get(unit=township_a).last_serial == PUBLISHERS
