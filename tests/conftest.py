"""Shared fixtures.

Every transactional test (transaction=True) also sets serialized_rollback=True: otherwise its
teardown flush recreates content types and permissions with new ids, and a later browser test
restoring the serialized database fails on their unique constraints.
"""

import pytest

from tests.factories import UnitFactory, log_in, make_column, make_home, member


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def township_a(db):
    return UnitFactory(name="安岳县石羊镇人民政府测试", short_name="石羊镇")


@pytest.fixture
def township_b(db):
    return UnitFactory(name="安岳县龙台镇人民政府测试", short_name="龙台镇")


@pytest.fixture
def county_office(db):
    return UnitFactory(name="安岳县人民政府办公室测试", short_name="县政府办", kind="supervisor")


@pytest.fixture
def portal(home, township_a, township_b, county_office):
    """新闻动态 (county office) > 乡镇动态 > one column per township."""
    news = make_column(home, "新闻动态", county_office, slug="xwdt")
    towns = make_column(news, "乡镇动态", county_office, slug="xzdt")
    col_a = make_column(towns, "石羊镇", township_a, slug="sy")
    col_b = make_column(towns, "龙台镇", township_b, slug="lt")
    return {"home": home, "news": news, "towns": towns, "a": col_a, "b": col_b}


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
