"""Applicants' personal data: every showing and download is in the audit log, and it is erased once the
retention period after the reply has passed, without changing the annual report's figures."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cms.security.models import AuditEntry
from disclosure.requests.annual_report import request_figures
from disclosure.requests.choices import EventAction, Status
from disclosure.requests.models import ConsultationPeriod, DisclosureRequest, RequestEvent, hash_secret
from disclosure.requests.retention import DEFAULT_RETENTION_DAYS
from tests.disclosure.test_requests_admin import INDEX, action, detail, login
from tests.disclosure.test_requests_clock import make_request
from tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

REPLY_PDF = b"%PDF-1.4\n%%EOF\n"
SECRET = "status-secret"
PERSONAL = {
    "name": "张三",
    "id_number": "11010519491231002X",
    "contact_person": "李四",
    "phone": "13800000000",
    "email": "a@example.invalid",
    "address": "安岳县岳阳镇某街1号",
    "description": "请公开本人位于石羊镇的房屋征收补偿决定。",
    "purpose": "用于本人房屋征收补偿复议",
}


def entries(action):
    return AuditEntry.objects.filter(action=action)


def fresh(item):
    return DisclosureRequest.objects.get(pk=item.pk)


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def unit():
    return UnitFactory()


def closed(unit, answered, status=Status.ANSWERED, reply=True):
    """A request answered on `answered`, with a reply document, a consultation and noted events."""
    item = make_request(
        answered - timedelta(days=15),
        unit,
        **PERSONAL,
        status=status,
        outcome="withheld",
        withholding_reason="third_party",
        answered_on=answered,
        supplement_note="请补充本人身份证明",
        extension_reason="需征求张五意见",
        reply_note="已邮寄至申请人住址",
        archived_on=answered if status == Status.ARCHIVED else None,
    )
    if reply:
        item.reply_document.save("张三答复书.pdf", ContentFile(REPLY_PDF))
    ConsultationPeriod.objects.create(
        request=item, third_party="张五", started_on=answered - timedelta(days=10), ended_on=answered
    )
    RequestEvent.objects.create(request=item, action=EventAction.SUBMITTED, effective_on=item.received_on)
    RequestEvent.objects.create(
        request=item, action=EventAction.CONSULTATION_STARTED, effective_on=answered, note="张五"
    )
    RequestEvent.objects.create(request=item, action=EventAction.ANSWERED, effective_on=answered, note="不予公开")
    return item


@pytest.fixture
def reply_files():
    """Removes the reply documents the tests leave in the private storage (a dry run keeps them)."""
    names = []
    yield names
    storage = DisclosureRequest._meta.get_field("reply_document").storage
    for name in names:
        storage.delete(name)


@pytest.fixture
def cases(unit, reply_files):
    today = timezone.localdate()
    cases = {
        "old": closed(unit, today - timedelta(days=4 * 365)),
        "old_archived": closed(unit, today - timedelta(days=DEFAULT_RETENTION_DAYS + 2), status=Status.ARCHIVED),
        "recent": closed(unit, today - timedelta(days=DEFAULT_RETENTION_DAYS - 5)),
        "old_open": make_request(today - timedelta(days=5 * 365), unit, **PERSONAL),
    }
    reply_files += [item.reply_document.name for item in cases.values() if item.reply_document]
    return cases


def figures_of(years):
    return {year: request_figures(year) for year in years}


# ------------------------------------------------------------------------------------------- logging


def test_case_page_is_logged_with_user_address_and_request(client, unit):
    item = make_request(timezone.localdate(), unit)
    officer = member(unit, "info_officer")
    login(client, officer)
    response = client.get(detail(item), REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 200 and item.id_number in response.content.decode()
    entry = entries("personal_data.view").get()
    assert entry.user == officer and entry.username == officer.username
    assert entry.ip_address == "10.20.30.40"
    assert entry.content_type == ContentType.objects.get_for_model(DisclosureRequest)
    assert entry.object_id == str(item.pk) and entry.object_repr == item.receipt_number
    assert "申请人身份" in entry.detail
    client.get(detail(item))
    assert entries("personal_data.view").count() == 2  # every showing, not only the first


def test_action_form_shown_again_is_logged_but_a_saved_action_is_not_a_view(client, unit):
    item = make_request(timezone.localdate(), unit)
    login(client, member(unit, "info_officer"))
    response = client.post(action(item, "answer"), {"answer-outcome": "unable"})
    assert response.status_code == 400 and item.name in response.content.decode()
    assert "办理操作未保存" in entries("personal_data.view").get().detail
    response = client.post(
        action(item, "supplement_request"),
        {"supplement_request-on": timezone.localdate().isoformat(), "supplement_request-note": "请补充所需信息的名称"},
    )
    assert response.status_code == 302
    assert entries("personal_data.view").count() == 1


def test_reply_download_is_logged_as_export_without_the_file_name(client, unit, reply_files):
    item = closed(unit, timezone.localdate() - timedelta(days=3))
    reply_files.append(item.reply_document.name)
    officer = member(unit, "head")
    login(client, officer)
    response = client.get(reverse("disclosure_requests_admin:reply_document", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == REPLY_PDF
    entry = entries("personal_data.export").get()
    assert entry.user == officer and entry.object_id == str(item.pk) and entry.ip_address == "127.0.0.1"
    assert entry.detail == "下载答复书" and "张三" not in entry.detail + str(entry.data)


def test_refused_access_is_not_logged(client, unit, reply_files):
    item = closed(unit, timezone.localdate() - timedelta(days=3))
    reply_files.append(item.reply_document.name)
    login(client, member(UnitFactory(), "head"))
    assert client.get(detail(item)).status_code == 404
    assert client.post(action(item, "archive")).status_code == 404
    assert client.get(reverse("disclosure_requests_admin:reply_document", args=[item.pk])).status_code == 404
    login(client, UserFactory())  # no membership at all: Wagtail redirects the refusal to the dashboard
    assert client.get(detail(item)).status_code == 302
    assert not AuditEntry.objects.filter(action__startswith="personal_data.").exists()


def test_listing_shows_masked_names_and_is_not_logged(client, unit):
    make_request(timezone.localdate(), unit)
    login(client, member(unit, "info_officer"))
    page = client.get(INDEX).content.decode()
    assert "张*" in page and "张三" not in page
    assert not entries("personal_data.view").exists()


# ------------------------------------------------------------------------------------------- purge


def test_purge_erases_personal_data_and_reply_documents_of_old_closed_requests(cases):
    storage = DisclosureRequest._meta.get_field("reply_document").storage
    old_files = [cases[key].reply_document.name for key in ("old", "old_archived")]
    before = {key: fresh(item) for key, item in cases.items()}
    years = {d.year for item in before.values() for d in (item.received_on, item.answered_on) if d}
    figures = figures_of(years)

    output = purge()

    assert "已清除2件申请的个人信息，删除答复书2份，未能删除0份" in output
    for key in ("old", "old_archived"):
        item, was = fresh(cases[key]), before[key]
        assert item.personal_data_purged_at is not None
        for field in (*PERSONAL, "supplement_note", "extension_reason", "reply_note"):
            assert getattr(item, field) == "", field
        assert not item.reply_document
        assert item.consultations.get().third_party == ""
        assert list(item.events.values_list("note", flat=True)) == ["", "", ""]
        kept = ("receipt_number", "secret_hash", "applicant_type", "applicant_category", "id_type", "status")
        kept += ("received_on", "clock_start", "answered_on", "archived_on", "outcome", "withholding_reason")
        for field in (*kept, "handling_unit_id"):
            assert getattr(item, field) == getattr(was, field), field
        assert item.receipt_number in output
    assert not any(storage.exists(name) for name in old_files)
    for key in ("recent", "old_open"):
        item = fresh(cases[key])
        assert item.personal_data_purged_at is None
        assert all(getattr(item, field) == value for field, value in PERSONAL.items())
    assert storage.exists(cases["recent"].reply_document.name)
    assert fresh(cases["recent"]).events.filter(note="张五").exists()
    assert figures_of(years) == figures


def test_purge_writes_one_audit_entry_with_the_count_and_ids(cases):
    purge()
    entry = entries("personal_data.purge").get()
    assert entry.user is None and "清除2件" in entry.detail
    assert sorted(entry.data["ids"]) == sorted([cases["old"].pk, cases["old_archived"].pk])
    assert entry.data["retention_days"] == DEFAULT_RETENTION_DAYS
    assert "张三" not in entry.detail + str(entry.data)
    # A second run finds nothing left; it is still on record that the rule was applied.
    assert "已清除0件" in purge()
    assert entries("personal_data.purge").count() == 2
    assert entries("personal_data.purge").latest("pk").data["ids"] == []


def test_dry_run_changes_nothing(cases):
    storage = DisclosureRequest._meta.get_field("reply_document").storage
    before = list(DisclosureRequest.objects.order_by("pk").values())
    output = purge("--dry-run")
    assert "试运行，未作任何修改：2件申请将被清除个人信息" in output
    assert cases["old"].receipt_number in output and cases["recent"].receipt_number not in output
    assert list(DisclosureRequest.objects.order_by("pk").values()) == before
    assert storage.exists(cases["old"].reply_document.name)
    assert RequestEvent.objects.filter(note="张五").count() == 3
    assert not entries("personal_data.purge").exists()


def test_before_narrows_the_purge_but_cannot_shorten_retention(cases):
    old_archived = fresh(cases["old_archived"])
    output = purge("--before", old_archived.answered_on.isoformat())
    assert "已清除1件" in output
    assert fresh(cases["old"]).personal_data_purged_at is not None
    assert fresh(cases["old_archived"]).personal_data_purged_at is None
    with pytest.raises(CommandError, match="须在办结后保存1095天"):
        purge("--before", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        purge("--before", "2025/01/01")
    assert fresh(cases["recent"]).personal_data_purged_at is None


def test_retention_period_is_a_setting(cases, settings):
    settings.DISCLOSURE_REQUEST_RETENTION_DAYS = 30
    assert "已清除3件" in purge()
    assert fresh(cases["recent"]).personal_data_purged_at is not None
    assert fresh(cases["old_open"]).personal_data_purged_at is None
    settings.DISCLOSURE_REQUEST_RETENTION_DAYS = 0
    with pytest.raises(CommandError, match="正整数"):
        purge()


# ------------------------------------------------------------------------------------------- after a purge


def test_purged_request_says_so_in_the_admin_and_logs_no_view(client, unit, cases):
    purge()
    item = fresh(cases["old"])
    login(client, member(unit, "info_officer"))
    page = client.get(detail(item)).content.decode()
    purged_on = timezone.localtime(item.personal_data_purged_at).date().isoformat()
    assert "data-purged" in page and f"已于 {purged_on} 按规定清除" in page
    assert "个人信息已清除" in page and "第三方（名称已清除）" in page
    assert item.receipt_number in page and "不予公开" in page
    assert not entries("personal_data.view").exists()
    listing = client.get(INDEX, {"status": "all"}).content.decode()
    assert listing.count("个人信息已清除") == 2


def test_public_status_lookup_still_works_and_says_the_data_was_purged(client, cases):
    # make_request keeps no secret, so the applicant's is set here.
    DisclosureRequest.objects.filter(pk=cases["old"].pk).update(secret_hash=hash_secret(SECRET))
    purge()
    item = fresh(cases["old"])
    response = client.post("/yxsqgk/status/", {"receipt_number": item.receipt_number, "secret": SECRET})
    page = response.content.decode()
    assert response.status_code == 200
    assert item.receipt_number in page and "已答复" in page and "不予公开" in page
    assert "data-purged" in page and "按规定清除" in page
