"""Rows made once for all of a module's tests, as Django's ``TestCase.setUpTestData`` makes them for a class.

A module-scoped fixture that depends on ``module_db`` (tests/conftest.py) makes its rows inside a transaction
opened for the module. pytest sets up a module's fixtures before a test's own, so each test's transaction
(pytest-django's ``db``) nests inside it as a savepoint: what a test changes is rolled back to the module's
rows, and the module's rows are rolled back after its last test. Tests get the objects through ``copy_for``, a deep copy
made once per test, so that one test changing an object in memory leaves the next test's copy alone.

Transactional tests flush the database, and the demo county replaces it: neither may share a module with
such rows (``check_modules``).
"""

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction


def module_transaction(django_db_blocker):
    """The ``module_db`` fixture's body (tests/conftest.py): the transaction open from its setup to its teardown."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        # As Django's TestCase marks its own: a durable block inside the code under test is still allowed.
        atomic._from_testcase = True
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        atomic.__exit__(None, None, None)


_COPIES = pytest.StashKey[dict]()


def copy_for(request, rows):
    """This test's own copy of a module fixture's ``rows`` (one copy per test, shared by its fixtures)."""
    copies = request.node.stash.setdefault(_COPIES, {})
    if id(rows) not in copies:
        copies[id(rows)] = copy.deepcopy(rows)
    return copies[id(rows)]


def check_modules(items, database_use):
    """A module with rows of its own runs no transactional or demo county test: those would flush or replace
    the database under the module's open transaction."""
    for item in items:
        if "module_db" in getattr(item, "fixturenames", ()) and (
            database_use(item) == 2 or "demo_county" in item.fixturenames
        ):
            raise pytest.UsageError(f"{item.nodeid}: a module with module_db rows cannot run this test")
