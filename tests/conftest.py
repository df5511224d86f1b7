"""Shared fixtures.

Every transactional test (transaction=True) also sets serialized_rollback=True: otherwise its
teardown flush recreates content types and permissions with new ids, and a later browser test
restoring the serialized database fails on their unique constraints.
"""

import os

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.test.utils import setup_databases, teardown_databases

from tests import dbtemplate, module_data, scheduling
from tests.factories import UnitFactory, log_in, make_column, make_home, member


def _database_use(item):
    """0: none, 1: in a rolled-back transaction, 2: transactional (flushes the database afterwards, or, for a
    browser test on the demo county, replaces it: tests/e2e/conftest.py).

    A test of a module with rows of its own (module_db) uses the database through them, whatever else it asks for.
    """
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if {"transactional_db", "live_server", "demo_site"} & fixtures or (marker and marker.kwargs.get("transaction")):
        return 2
    return 1 if marker or {"db", "module_db"} & fixtures else 0


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a run with -p no:xdist does not know it
def pytest_xdist_make_scheduler(config, log):
    return scheduling.make_scheduler(config, log)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "one_database: the outcome does not depend on the database backend, so it runs on SQLite only "
        "(CI runs the suite on both)",
    )


def _on_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _check_demo_modules(items):
    """A module that uses the demo county uses it in every database test: its other tests would run inside the
    module's seeded transaction and see the demo's rows."""
    modules = {}
    for item in items:
        if _database_use(item) and getattr(item, "module", None):
            modules.setdefault(item.module.__name__, []).append(item)
    for name, module_items in modules.items():
        with_demo = ["demo_county" in item.fixturenames for item in module_items]
        if any(with_demo) and not all(with_demo):
            strays = [item.name for item, uses in zip(module_items, with_demo, strict=True) if not uses]
            raise pytest.UsageError(f"{name}: every database test must use demo_county, not {strays}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The run's order: by kind (see _database_use), then slow tests first, then the demo county's last.

    pytest-django's order of kinds is in the database, transactional, none. Tests without the database come
    first here: the first worker to need the test database builds its template (about 40 s of migrations on
    PostgreSQL, tests/dbtemplate.py) while the others run them instead of waiting. The transactional tests
    (the browser tests among them) still follow every test that relies on the migrated data; tests/scheduling.py
    hands them out one at a time.

    Tests marked slow start first among their kind, so that a parallel run does not end waiting for one of them.

    Tests on the demo county follow the other tests of their kind: the first to need it seeds it (about a
    minute on PostgreSQL, tests/dbtemplate.py) while the other workers go on with tests that do not wait for it.
    """
    _check_demo_modules(items)
    module_data.check_modules(items, _database_use)
    if _on_postgresql():
        for item in items:
            if item.get_closest_marker("one_database"):
                item.add_marker(pytest.mark.skip(reason="does not depend on the database: the SQLite run covers it"))

    def key(pair):
        index, item = pair
        slow = item.get_closest_marker("slow") is not None
        on_demo = "demo_county" in getattr(item, "fixturenames", ())
        return (_database_use(item), 0 if slow else 1, 1 if on_demo else 0, index)

    items[:] = [item for _index, item in sorted(enumerate(items), key=key)]


@pytest.fixture(autouse=True)
def _renditions_cached_by_one_test_only():
    """Wagtail caches renditions by image id and filter. Ids come back after a rollback, and many tests put
    media in a folder or storage of their own: a later test's image would get a rendition whose file is gone."""
    yield
    from wagtail.images import get_image_model

    get_image_model().get_rendition_model().cache_backend.clear()


@pytest.fixture(autouse=True)
def _each_test_starts_with_the_root_urlconf():
    """An anonymous request is routed by cms.public_urls, which Django keeps on the thread until the response is
    closed; a test that leaves a streamed response (a document, a file) unread would leave it to the next test."""
    yield
    from django.urls import set_urlconf

    set_urlconf(None)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's database setup, starting from a copy of the migrated template (tests/dbtemplate.py)."""
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    # Browser tests use the test database outside pytest-django's fixtures (tests/e2e/conftest.py).
    if any("demo_site" in getattr(item, "fixturenames", ()) for item in request.session.items):
        aliases.add(DEFAULT_DB_ALIAS)
    with django_db_blocker.unblock():
        dbtemplate.clone_into_test_database()
        config = setup_databases(
            verbosity=0, interactive=False, keepdb=True, aliases=aliases, serialized_aliases=serialized_aliases
        )
        # A transactional test starts by saving the serialized rows again, many-to-many sets included, whose audit
        # handler looks up content types: read from this cache, one is never created ahead of its own row (which
        # then fails as a duplicate). Every copy of the templates keeps these ids. A run of tests that only copy
        # the templates (the restore drills alone) sets up no test database to read them from.
        if aliases:
            ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
        if DEFAULT_DB_ALIAS in aliases:
            dbtemplate.remember_test_database()
    yield
    with django_db_blocker.unblock():
        dbtemplate.release_test_database()
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def demo_county_module(django_db_setup, django_db_blocker):
    """The demo county for this module's tests: a copy of the database seeded once per run (tests/dbtemplate.py),
    replaced by the migrated one again after the module."""
    with django_db_blocker.unblock():
        dbtemplate.use_demo_database()
    yield
    with django_db_blocker.unblock():
        dbtemplate.use_migrated_database()


@pytest.fixture
def demo_county(demo_county_module, db):
    """The seeded demo county; what a test changes is rolled back to it."""


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction for a module's own rows (tests/module_data.py)."""
    yield from module_data.module_transaction(django_db_blocker)


UNITS = {
    "township_a": {"name": "安岳县石羊镇人民政府测试", "short_name": "石羊镇"},
    "township_b": {"name": "安岳县龙台镇人民政府测试", "short_name": "龙台镇"},
    "county_office": {"name": "安岳县人民政府办公室测试", "short_name": "县政府办", "kind": "supervisor"},
}


def _columns(home, township_a, township_b, county_office):
    """新闻动态 (county office) > 乡镇动态 > one column per township."""
    news = make_column(home, "新闻动态", county_office, slug="xwdt")
    towns = make_column(news, "乡镇动态", county_office, slug="xzdt")
    col_a = make_column(towns, "石羊镇", township_a, slug="sy")
    col_b = make_column(towns, "龙台镇", township_b, slug="lt")
    return {"home": home, "news": news, "towns": towns, "a": col_a, "b": col_b}


@pytest.fixture(scope="module")
def shared_portal(module_db, django_db_blocker):
    """The rows of the fixtures below, made once for a module that asks for them with
    ``pytestmark = pytest.mark.usefixtures("shared_portal")``: home, township_a, township_b, county_office and
    portal then hand each test its own copy of these rows instead of making new ones (tests/module_data.py).
    Each of its tests sees all of them, whichever it asks for."""
    with django_db_blocker.unblock():
        units = {name: UnitFactory(**fields) for name, fields in UNITS.items()}
        return {**units, "portal": _columns(make_home(), **units)}


def _shared(request, name):
    """This test's copy of ``name`` from the module's shared portal, or None when the module has none."""
    if "shared_portal" not in request.fixturenames:
        return None
    return module_data.copy_for(request, request.getfixturevalue("shared_portal"))[name]


@pytest.fixture
def home(request, db):
    shared = _shared(request, "portal")
    return shared["home"] if shared else make_home()


@pytest.fixture
def township_a(request, db):
    return _shared(request, "township_a") or UnitFactory(**UNITS["township_a"])


@pytest.fixture
def township_b(request, db):
    return _shared(request, "township_b") or UnitFactory(**UNITS["township_b"])


@pytest.fixture
def county_office(request, db):
    return _shared(request, "county_office") or UnitFactory(**UNITS["county_office"])


@pytest.fixture
def portal(request, home, township_a, township_b, county_office):
    """新闻动态 (county office) > 乡镇动态 > one column per township."""
    return _shared(request, "portal") or _columns(home, township_a, township_b, county_office)


@pytest.fixture
def editor_a(township_a):
    return member(township_a, "info_officer", username="sy_editor")


@pytest.fixture
def editor_b(township_b):
    return member(township_b, "info_officer", username="lt_editor")


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in with the second factor a superuser must give."""
    return log_in(client, admin_user)
