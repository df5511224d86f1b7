"""The public application form, the receipt shown once, the status check, and the rate limit."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from disclosure.models import DisclosureCatalogue, ProactiveDisclosurePage, UnitCataloguePage
from disclosure.requests.choices import Status
from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from disclosure.requests.models import DisclosureRequest, RequestEvent
from tests import module_data
from tests.factories import UnitFactory, make_home

pytestmark = pytest.mark.django_db

FORM_URL = "/yxsqgk/"
STATUS_URL = "/yxsqgk/status/"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17="51102319850615231"):
    """A valid GB 11643 number, its check character computed here independently of the code under test."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def publishing_units(*units):
    """Units with a live catalogue page of their own: the agencies (发布机构) the form offers."""
    home = make_home()
    catalogue = DisclosureCatalogue(title="政府信息公开", slug="zfxxgk", owning_unit=units[0])
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    proactive = ProactiveDisclosurePage(title="法定主动公开内容", slug="fdzdgknr")
    catalogue.add_child(instance=proactive)
    proactive.save_revision().publish()
    for n, unit in enumerate(units):
        page = UnitCataloguePage(title=unit.name, slug=f"unit-{n}", owning_unit=unit)
        proactive.add_child(instance=page)
        page.save_revision().publish()
    return units


@pytest.fixture(scope="module")
def agency_rows(module_db, django_db_blocker):
    """The agency and its catalogue pages, made once for the module's tests (tests/module_data.py)."""
    with django_db_blocker.unblock():
        return publishing_units(UnitFactory(name="安岳县石羊镇人民政府"))[0]


@pytest.fixture(autouse=True)
def agency(request, agency_rows):
    return module_data.copy_for(request, agency_rows)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def citizen_data(**overrides):
    data = {
        "agency": str(UnitCataloguePage.objects.live().first().owning_unit_id),
        "applicant": "citizen",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13912345678",
        "email": "lisi@example.invalid",
        "address": "",
        "description": "请提供石羊镇2025年农村道路硬化工程的验收报告。",
        "document_number": "",
        "purpose": "",
        "response_form": "electronic",
        "delivery_method": "email",
    }
    data.update(overrides)
    return data


def post_form(client, data):
    client.get(FORM_URL)
    data = {**data, "captcha": client.session[CAPTCHA_SESSION_KEY]}
    return client.post(FORM_URL, data)


def submit(client, **overrides):
    response = post_form(client, citizen_data(**overrides))
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"]).content.decode()
    number = re.search(r"data-receipt-number>([^<]+)<", page).group(1)
    secret = re.search(r"data-secret><code>([^<]+)<", page).group(1)
    return number, secret, page


def test_form_renders_with_labels_and_captcha(client):
    page = client.get(FORM_URL).content.decode()
    assert "政府信息公开申请" in page
    assert 'for="id_id_number"' in page and "验证题" in page and "加" in page


def test_successful_submission_shows_receipt_and_secret_once(client):
    number, secret, page = submit(client)
    assert re.fullmatch(r"YSQ\d{4}-\d{5}", number)
    item = DisclosureRequest.objects.get(receipt_number=number)
    assert item.status == Status.RECEIVED and item.applicant_category == "natural_person"
    assert secret not in item.secret_hash  # only a hash is stored
    assert RequestEvent.objects.filter(request=item, action="submitted").exists()
    # The receipt page cannot be shown again: the secret is gone from the session.
    again = client.get(reverse("disclosure_requests:receipt"))
    assert again.status_code == 302


def test_bad_resident_id_is_refused_with_a_chinese_error(client):
    bad = resident_id()[:17] + ("0" if resident_id()[17] != "0" else "1")
    response = post_form(client, citizen_data(id_number=bad))
    page = response.content.decode()
    assert response.status_code == 400
    assert "居民身份证号码无效" in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_id_number_help id_id_number_error"' in page
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "applicant": "commercial",
                "id_type": "uscc",
                "id_number": "91510000MA000000X0",
                "contact_person": "王五",
            },
            "id_number",
            "统一社会信用代码",
        ),
        ({"applicant": "natural_person", "id_type": "uscc"}, "applicant", "请从列表中选择申请人类型"),
        ({"applicant": ""}, "applicant", "请选择申请人类型"),
        (
            {"applicant": "research", "id_type": "resident_id"},
            "id_type",
            "统一社会信用代码",
        ),
        ({"phone": "12345"}, "phone", "联系电话"),
        ({"delivery_method": "post", "address": ""}, "address", "通信地址"),
        ({"delivery_method": "email", "email": ""}, "email", "电子邮箱"),
        ({"description": "文件"}, "description", "至少"),
        ({"id_type": "passport", "id_number": "E12"}, "id_number", "5至20位"),
    ],
)
def test_bad_inputs_get_clear_errors(client, overrides, field, message):
    response = post_form(client, citizen_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])


def test_organisation_with_valid_uscc(client):
    from tests.factories import uscc

    number, _secret, _page = submit(
        client,
        applicant="legal_service",
        id_type="uscc",
        id_number=uscc(42).lower(),
        contact_person="王律师",
    )
    item = DisclosureRequest.objects.get(receipt_number=number)
    assert item.applicant_type == "organisation" and item.applicant_category == "legal_service"
    assert item.id_number == uscc(42)


def test_wrong_captcha_refused(client):
    client.get(FORM_URL)
    expected = client.session[CAPTCHA_SESSION_KEY]
    response = client.post(FORM_URL, {**citizen_data(), "captcha": expected + 1})
    assert response.status_code == 400 and "验证题答案不正确" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_status_check_with_secret_shows_no_personal_data(client):
    number, secret, _ = submit(client)
    response = client.post(STATUS_URL, {"receipt_number": number.lower(), "secret": secret})
    page = response.content.decode()
    assert response.status_code == 200
    assert "办理中" in page and number in page
    item = DisclosureRequest.objects.get(receipt_number=number)
    for personal in (item.name, item.id_number, item.phone, item.email, "道路硬化"):
        assert personal not in page


def test_status_check_refuses_wrong_secret_and_unknown_number(client):
    number, secret, _ = submit(client)
    for receipt, guess in ((number, secret[:-1] + ("A" if secret[-1] != "A" else "B")), ("YSQ2026-99999", secret)):
        response = client.post(STATUS_URL, {"receipt_number": receipt, "secret": guess})
        page = response.content.decode()
        assert response.status_code == 400
        assert "受理编号或查询码不正确" in page and "办理状态" not in page


def test_rate_limit_per_address(client, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"submit": (2, 3600)}
    submit(client)
    submit(client)
    response = post_form(client, citizen_data())
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert DisclosureRequest.objects.count() == 2
    # Another address is not affected.
    other = post_form(client.__class__(REMOTE_ADDR="10.0.0.9"), citizen_data())
    assert other.status_code == 302


def test_status_lookups_are_rate_limited(client, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"status": (3, 3600)}
    for _ in range(3):
        assert client.post(STATUS_URL, {"receipt_number": "YSQ2026-00001", "secret": "x"}).status_code == 400
    assert client.post(STATUS_URL, {"receipt_number": "YSQ2026-00001", "secret": "x"}).status_code == 429
