"""Admin handling of requests: access limited to the handling unit (plus intake staff and superusers)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure.requests.choices import Status
from disclosure.requests.models import DisclosureRequest
from tests.disclosure.test_requests_clock import make_request
from tests.factories import UnitFactory, UserFactory, log_in, member
from tests.security.samples import written_pdf

pytestmark = pytest.mark.django_db

INDEX = reverse("disclosure_requests_admin:index")


def detail(item):
    return reverse("disclosure_requests_admin:detail", args=[item.pk])


def action(item, name):
    return reverse("disclosure_requests_admin:action", args=[item.pk, name])


@pytest.fixture
def units():
    return UnitFactory(), UnitFactory(), UnitFactory(kind="supervisor")


@pytest.fixture
def cases(units):
    mine, theirs, _office = units
    return (
        make_request(date(2026, 11, 2), mine),
        make_request(date(2026, 11, 3), theirs),
        make_request(date(2026, 11, 4)),
    )


def login(client, user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, user)


def test_unit_member_sees_only_own_units_requests(client, units, cases):
    mine, theirs, unassigned = cases
    login(client, member(units[0], "info_officer"))
    page = client.get(INDEX).content.decode()
    assert mine.receipt_number in page
    assert theirs.receipt_number not in page and unassigned.receipt_number not in page
    assert "张*" in page and "张三" not in page  # the listing masks names
    assert client.get(detail(mine)).status_code == 200
    assert client.get(detail(theirs)).status_code == 404
    assert client.post(action(theirs, "archive")).status_code == 404


def test_intake_staff_see_all_and_assign(client, units, cases):
    mine, theirs, unassigned = cases
    login(client, member(units[2], "info_officer"))
    page = client.get(INDEX).content.decode()
    assert all(item.receipt_number in page for item in cases)
    response = client.post(action(unassigned, "assign"), {"assign-unit": units[1].pk, "assign-note": ""})
    assert response.status_code == 302
    assert DisclosureRequest.objects.get(pk=unassigned.pk).handling_unit == units[1]


def test_handling_unit_cannot_reassign(client, units, cases):
    mine, _theirs, _ = cases
    login(client, member(units[0], "head"))
    response = client.post(action(mine, "assign"), {"assign-unit": units[1].pk})
    assert response.status_code == 400
    assert "受理人员" in response.content.decode()


def test_user_without_membership_is_refused(client, cases):
    login(client, UserFactory())
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    for url in (INDEX, detail(cases[0])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_superuser_sees_everything(client, cases):
    log_in(client, UserFactory(is_superuser=True))
    page = client.get(INDEX).content.decode()
    assert all(item.receipt_number in page for item in cases)


def test_detail_shows_personal_data_and_actions_to_the_unit(client, units, cases):
    mine = cases[0]
    login(client, member(units[0], "head"))
    page = client.get(detail(mine)).content.decode()
    assert "张三" in page and mine.id_number in page
    assert 'data-action="extension"' in page and 'data-action="answer"' in page


def test_extension_form_not_offered_to_non_head(client, units, cases):
    login(client, member(units[0], "deputy_head"))
    page = client.get(detail(cases[0])).content.decode()
    assert 'data-action="extension"' not in page
    response = client.post(
        action(cases[0], "extension"), {"extension-on": "2026-11-05", "extension-days": 5, "extension-reason": "x"}
    )
    assert response.status_code == 400 and "主要负责人" in response.content.decode()


def test_answer_through_admin_and_download_reply(client, units, cases):
    mine, theirs, _ = cases
    officer = member(units[0], "info_officer")
    login(client, officer)
    reply = SimpleUploadedFile("答复书.pdf", written_pdf(), content_type="application/pdf")
    response = client.post(
        action(mine, "answer"),
        {
            "answer-on": "2026-11-20",
            "answer-outcome": "withheld",
            "answer-withholding_reason": "third_party",
            "answer-document": reply,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = DisclosureRequest.objects.get(pk=mine.pk)
    assert item.status == Status.ANSWERED and item.withholding_reason == "third_party"
    assert item.events.last().actor == officer
    download = client.get(reverse("disclosure_requests_admin:reply_document", args=[mine.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "/media/" not in item.reply_document.path
    log_in(client, member(units[1], "head"))
    assert client.get(reverse("disclosure_requests_admin:reply_document", args=[mine.pk])).status_code == 404


def test_bad_action_input_shows_error(client, units, cases):
    login(client, member(units[0], "info_officer"))
    response = client.post(action(cases[0], "answer"), {"answer-on": "2026-11-20", "answer-outcome": "unable"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未能保存" in page
