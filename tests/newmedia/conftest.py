"""Units and people of the new-media tests: a township, the three offices, and one account in every state."""

import datetime

import pytest

from newmedia import lifecycle
from newmedia.models import Platform
from tests.factories import UnitFactory, member

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def operator_unit(db):
    return UnitFactory(name="安岳县电子政务外网管理办公室测试", short_name="县电子政务办", kind="operator")


@pytest.fixture
def cyberspace_unit(db):
    return UnitFactory(name="中共安岳县委网信办测试", short_name="县委网信办", kind="cyberspace")


@pytest.fixture
def people(township_a, township_b, county_office, operator_unit, cyberspace_unit):
    return {
        "officer": member(township_a, "info_officer", username="sy_nm_xxy"),
        "head": member(township_a, "head", username="sy_nm_zy"),
        "outsider": member(township_b, "info_officer", username="lt_nm_xxy"),
        "supervisor": member(county_office, "info_officer", username="xzfb_nm"),
        "operator": member(operator_unit, "info_officer", username="dzzw_nm"),
        "cyberspace": member(cyberspace_unit, "info_officer", username="wxb_nm"),
    }


def applied(unit, user, platform=Platform.WECHAT, name="石羊镇人民政府"):
    return lifecycle.apply_for_opening(
        unit, platform, name, user, "本镇政务信息发布需要", verified_entity="安岳县石羊镇人民政府"
    )


def submitted(account, people):
    """An application reviewed by the operator and submitted upward by the supervisor."""
    lifecycle.review_application(account, people["operator"])
    return lifecycle.submit_for_approval(account, people["supervisor"])


def active(unit, people, platform=Platform.WECHAT, name="石羊镇人民政府"):
    account = submitted(applied(unit, people["officer"], platform, name), people)
    lifecycle.record_approval(account, people["supervisor"], "资府办函〔2026〕12号", datetime.date(2026, 3, 2))
    lifecycle.record_national_registration(account, people["operator"], datetime.date(2026, 3, 5))
    return lifecycle.activate(account, people["officer"], opened_on=datetime.date(2026, 3, 6))
