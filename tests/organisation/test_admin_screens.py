"""Units and memberships are managed in the Wagtail admin; editors cannot reach those screens."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.organisation.models import Membership, Unit
from cms.organisation.validators import uscc_check_character
from tests.factories import PASSWORD, UserFactory


def unit_form(name, code, memberships=()):
    return nested_form_data(
        {
            "name": name,
            "short_name": "",
            "kind": "township",
            "organisation_code": code,
            "parent": "",
            "active": "on",
            "memberships": inline_formset(list(memberships)),
        }
    )


def test_administrator_creates_a_unit_with_staff_in_one_form(admin_client, db):
    user = UserFactory()
    code = "11512021MB9990001"
    code += uscc_check_character(code)
    response = admin_client.post(
        reverse("units:add"), unit_form("安岳县姚市镇人民政府", code, [{"user": user.pk, "role": "head"}])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(name="安岳县姚市镇人民政府")
    assert Membership.objects.get(unit=unit).role == "head"
    assert unit.editor_group in user.groups.all()
    assert "安岳县姚市镇人民政府" in admin_client.get(reverse("units:index")).content.decode()


def test_invalid_organisation_code_is_refused_in_chinese(admin_client, db):
    response = admin_client.post(reverse("units:add"), unit_form("安岳县错误镇", "11512021MB99900019"))
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert not Unit.objects.filter(name="安岳县错误镇").exists()


def test_membership_screen_lists_and_filters_by_role(admin_client, editor_a):
    html = admin_client.get(reverse("memberships:index"), {"role": "info_officer"}).content.decode()
    assert "sy_editor" in html


def test_editors_cannot_manage_units(client, editor_a):
    client.login(username=editor_a.username, password=PASSWORD)
    for name in ("units:index", "units:add", "memberships:index"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
