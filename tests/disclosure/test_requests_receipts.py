"""Receipt numbers stay unique when submissions arrive at the same moment (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from disclosure.requests.models import ReceiptCounter

WORKERS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_receipt_numbers_are_unique():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL (SQLite serialises every writer)")

    def issue(_):
        try:
            return ReceiptCounter.next_number(2026)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        numbers = list(pool.map(issue, range(WORKERS * 4)))
    assert len(set(numbers)) == len(numbers) == WORKERS * 4
    assert sorted(numbers)[-1] == f"YSQ2026-{WORKERS * 4:05d}"
