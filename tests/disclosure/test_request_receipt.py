"""The request form's agency and applicant questions, the receipt with its statutory deadline and e-mail,
look-alike-free query codes, and the handling steps on the status page."""

import re
import secrets
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import calendar
from disclosure.requests import services
from disclosure.requests.choices import Outcome
from disclosure.requests.clock import effective_receipt
from disclosure.requests.models import QUERY_CODE_ALPHABET, DisclosureRequest, hash_secret, new_query_code
from tests import module_data
from tests.disclosure.test_requests_clock import make_request
from tests.disclosure.test_requests_public import (
    FORM_URL,
    STATUS_URL,
    citizen_data,
    post_form,
    publishing_units,
    submit,
)
from tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

LOOK_ALIKES = set("0O1lI")


@pytest.fixture(scope="module")
def agency_rows(module_db, django_db_blocker):
    """Two agencies publish; a third unit has no catalogue and a fourth is inactive. Made once for the module's
    tests (tests/module_data.py)."""
    with django_db_blocker.unblock():
        inactive = UnitFactory(name="已撤并乡人民政府")
        township, bureau, _ = publishing_units(
            UnitFactory(name="安岳县石羊镇人民政府"), UnitFactory(name="安岳县财政局", kind="department"), inactive
        )
        inactive.active = False
        inactive.save()
        UnitFactory(name="没有目录的单位")
        return township


@pytest.fixture(autouse=True)
def agency(request, agency_rows, clear_rate_limits):
    return module_data.copy_for(request, agency_rows)


@pytest.fixture
def clear_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def received_on(monkeypatch):
    """Submissions arrive on a given day (Asia/Shanghai)."""

    def arrive(day):
        moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
        # The field caches its default callable, so that cached callable is what is replaced.
        monkeypatch.setattr(DisclosureRequest._meta.get_field("submitted_at"), "_get_default", lambda: moment)

    return arrive


def chinese_date(d):
    return f"{d.year}年{d.month}月{d.day}日"


def test_form_offers_publishing_agencies_with_a_please_choose_prompt(client):
    page = client.get(FORM_URL).content.decode()
    select = re.search(r'<select name="agency".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>请选择</option>', select)
    assert "安岳县石羊镇人民政府" in select and "安岳县财政局" in select
    assert "没有目录的单位" not in select and "已撤并乡人民政府" not in select
    assert "---------" not in page
    id_type = re.search(r'<select name="id_type".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>请选择</option>' in id_type


def test_one_applicant_question_covers_citizens_and_organisation_kinds(client):
    page = client.get(FORM_URL).content.decode()
    assert page.count('name="applicant"') == 1
    assert 'name="applicant_type"' not in page and 'name="applicant_category"' not in page
    question = re.search(r'<select name="applicant".*?</select>', page, re.S).group(0)
    assert '<option value="citizen">公民</option>' in question
    assert '<optgroup label="法人或其他组织">' in question and "商业企业" in question


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "请选择受理申请的行政机关（发布机构）。"), ("unpublished", "所选行政机关不受理申请，请从列表中重新选择。")],
)
def test_missing_or_unlisted_agency_is_refused_in_chinese(client, value, message):
    if value == "unpublished":
        from cms.organisation.models import Unit

        value = str(Unit.objects.get(name="没有目录的单位").pk)
    response = post_form(client, citizen_data(agency=value))
    assert response.status_code == 400
    assert response.context["form"].errors["agency"] == [message]
    assert message in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_fax_is_not_offered_and_refused_if_posted(client):
    page = client.get(FORM_URL).content.decode()
    assert 'value="fax"' not in page and "传真" not in page
    response = post_form(client, citizen_data(delivery_method="fax"))
    assert response.status_code == 400
    assert response.context["form"].errors["delivery_method"] == ["请从所列选项中选择获取方式。"]


def test_request_is_routed_to_the_chosen_agency(client, agency):
    number, _secret, _page = submit(client)
    item = DisclosureRequest.objects.get(receipt_number=number)
    assert item.agency == agency and item.handling_unit == agency
    assert list(item.events.values_list("action", flat=True)) == ["submitted", "assigned"]
    handler = member(agency)
    assert services.access.can_access(handler, item)
    assert not services.access.can_access(member(UnitFactory()), item)


# The last working day before 国庆 2026, and a day inside the holiday (counted from the next working day).
@pytest.mark.parametrize("day", [date(2026, 9, 30), date(2026, 10, 3)])
def test_receipt_around_national_day_shows_the_working_day_deadline_and_is_emailed(client, received_on, day):
    received_on(day)
    number, secret, page = submit(client)
    expected = calendar.deadline(effective_receipt(day), 20).due
    weekdays_only = day
    for _ in range(20):
        weekdays_only += timedelta(days=1)
        while weekdays_only.weekday() >= 5:
            weekdays_only += timedelta(days=1)
    assert expected > weekdays_only  # the 国庆 holiday week is not counted
    assert re.search(rf'data-deadline><time datetime="{expected:%Y-%m-%d}">{chinese_date(expected)}</time>', page)
    assert "安岳县石羊镇人民政府" in page and "第三十三条" in page and "20个工作日" in page
    assert "data-print" in page and "disclosure_requests/receipt.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # CSP: no inline script

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lisi@example.invalid"] and number in message.subject
    for text in (number, secret, "安岳县石羊镇人民政府", chinese_date(day), chinese_date(expected), STATUS_URL):
        assert text in message.body
    assert "本回执已发送到您的电子邮箱 lisi@example.invalid" in page


def test_no_email_without_an_address(client):
    _number, _secret, page = submit(client, email="", delivery_method="post", address="四川省安岳县岳阳镇1号")
    assert mail.outbox == []
    assert "data-emailed" not in page and "data-deadline" in page


def test_mail_failure_keeps_the_request_and_says_nothing_was_sent(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("disclosure.requests.progress.send_mail", refuse)
    number, _secret, page = submit(client)
    assert DisclosureRequest.objects.filter(receipt_number=number).exists()
    assert "data-emailed" not in page


def test_query_codes_have_no_look_alike_characters():
    codes = [new_query_code() for _ in range(2000)]
    assert all(len(code) == 16 for code in codes) and len(set(codes)) == len(codes)
    used = set("".join(codes))
    assert not used & LOOK_ALIKES and used <= set(QUERY_CODE_ALPHABET)
    assert not set(QUERY_CODE_ALPHABET) & LOOK_ALIKES


def test_query_code_is_accepted_grouped_plain_or_lower_case(client):
    number, secret, _page = submit(client)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", secret)
    for typed in (secret, secret.replace("-", ""), secret.lower(), " ".join(secret.split("-"))):
        response = client.post(STATUS_URL, {"receipt_number": number, "secret": typed})
        assert response.status_code == 200, typed


def test_codes_issued_before_keep_working(client):
    old = secrets.token_urlsafe(12)
    item = make_request(date(2026, 11, 2))
    item.secret_hash = hash_secret(old)
    item.save()
    assert client.post(STATUS_URL, {"receipt_number": item.receipt_number, "secret": old}).status_code == 200
    changed = old.swapcase() if old.swapcase() != old else old + "x"
    assert client.post(STATUS_URL, {"receipt_number": item.receipt_number, "secret": changed}).status_code == 400


def steps(page):
    """(step, done, current, text) for each step of the status page."""
    found = re.findall(r'<li data-step="(\w+)" class="step-(\w+)"( aria-current="step")?>(.*?)</li>', page, re.S)
    return [
        (key, state == "done", bool(current), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for key, state, current, text in found
    ]


def status_page(client, number, secret):
    response = client.post(STATUS_URL, {"receipt_number": number, "secret": secret})
    assert response.status_code == 200
    return response.content.decode()


def test_status_page_shows_handling_unit_and_steps_from_the_record(client, agency, received_on):
    received_on(date(2026, 11, 2))
    number, secret, _page = submit(client)
    item = DisclosureRequest.objects.get(receipt_number=number)

    page = status_page(client, number, secret)
    assert "data-handling-unit>安岳县石羊镇人民政府<" in page and "data-status>已转办<" in page
    assert steps(page) == [
        ("received", True, False, "已收到 2026-11-02"),
        ("transferred", True, True, "已转办 2026-11-02 安岳县石羊镇人民政府"),
        ("handling", False, False, "办理中 未开始"),
        ("answered", False, False, "已答复 未开始"),
    ]

    handler = member(agency)
    services.accept(item, handler)
    today = timezone.localdate()
    page = status_page(client, number, secret)
    assert steps(page)[2] == ("handling", True, True, f"办理中 {today:%Y-%m-%d}") and "data-status>办理中<" in page
    with pytest.raises(services.RequestError, match="已签收"):
        services.accept(item, handler)
    with pytest.raises(services.RequestError, match="承办单位的人员"):
        services.accept(item, member(UnitFactory()))

    # The intake office transfers it: the new unit has not started, so 办理中 is open again.
    bureau = DisclosureRequest._meta.get_field("agency").related_model.objects.get(name="安岳县财政局")
    services.assign(item, UserFactory(is_superuser=True), bureau)
    page = status_page(client, number, secret)
    assert "data-handling-unit>安岳县财政局<" in page
    assert [s[:3] for s in steps(page)][1:3] == [("transferred", True, True), ("handling", False, False)]

    services.answer(item, member(bureau), today, Outcome.DISCLOSED, SimpleUploadedFile("reply.pdf", b"%PDF-1.4 reply"))
    final = steps(status_page(client, number, secret))
    assert [s[1] for s in final] == [True, True, True, True]
    assert final[2][3] == f"办理中 {today:%Y-%m-%d}" and final[3] == (
        "answered",
        True,
        True,
        f"已答复 {today:%Y-%m-%d}",
    )


def test_staff_sign_for_a_request_in_the_admin(client, agency):
    from django.urls import reverse

    from tests.factories import log_in

    number, _secret, _page = submit(client)
    item = DisclosureRequest.objects.get(receipt_number=number)
    handler = member(agency)
    log_in(client, handler)
    detail = reverse("disclosure_requests_admin:detail", args=[item.pk])
    assert 'data-action="accept"' in client.get(detail).content.decode()
    response = client.post(reverse("disclosure_requests_admin:action", args=[item.pk, "accept"]))
    assert response.status_code == 302
    assert item.events.filter(action="accepted", actor=handler).exists()
    assert 'data-action="accept"' not in client.get(detail).content.decode()


def test_receipt_and_status_pages_are_valid_html(client):
    from tests.e2e import vnu

    number, secret, receipt = submit(client)
    errors = vnu.validate({"receipt": receipt, "status": status_page(client, number, secret)})
    assert errors == {}
