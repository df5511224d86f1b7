import pytest
from django.core.exceptions import ValidationError

from cms.organisation.models import Membership, Role, Unit
from cms.organisation.validators import uscc_check_character, validate_uscc
from tests.factories import MembershipFactory, UnitFactory, UserFactory


def with_check(body):
    return body + uscc_check_character(body)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published enterprise code
        with_check("11512021MB1501234"),
        with_check("Y1512021MB1501234"),  # registration authority code can be a letter
        with_check("A1512021MB1501234"),  # first two characters letters: allowed by GB 32100
        with_check("AB512021MB1501234"),
    ],
)
def test_valid_unified_social_credit_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1151202", "18位"),
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100YI3", "不允许的字符"),
        (with_check("115120A1MB1501234"), "行政区划"),
    ],
)
def test_invalid_codes_are_refused_with_a_chinese_reason(code, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert message in excinfo.value.messages[0]


def test_unit_full_clean_normalises_and_validates_code(db):
    unit = Unit(name="安岳县测试局", kind="department", organisation_code=" " + with_check("11512021MB1501234").lower())
    unit.full_clean()
    assert unit.organisation_code == unit.organisation_code.upper().strip()
    bad = Unit(name="安岳县错误局", kind="department", organisation_code="123")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "organisation_code" in excinfo.value.message_dict


def test_a_user_may_hold_several_roles_in_several_units(db):
    user = UserFactory()
    a, b = UnitFactory(), UnitFactory()
    MembershipFactory(user=user, unit=a, role=Role.INFO_OFFICER)
    MembershipFactory(user=user, unit=a, role=Role.TYPESETTER)
    MembershipFactory(user=user, unit=b, role=Role.HEAD)
    assert Membership.objects.filter(user=user).count() == 3
    assert set(Unit.objects.for_user(user)) == {a, b}


def test_role_labels_are_the_chinese_titles():
    assert dict(Role.choices) == {
        "info_officer": "信息员",
        "typesetter": "排版人员",
        "section_chief": "股室负责人",
        "deputy_head": "分管负责人",
        "head": "主要负责人",
    }
