"""People of the supervising county office, who inspect (used by the admin tests of 检查考核)."""

import pytest

from tests.factories import member


@pytest.fixture
def inspector(county_office):
    return member(county_office, "info_officer", username="xzfb_jc")


@pytest.fixture
def office_head(county_office):
    return member(county_office, "head", username="xzfb_zyfzr")
