"""The public side of issue 14 §5: the 政务新媒体矩阵 page and the 假冒账号举报 with its handling by the offices."""

import datetime

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cms.security.fingerprint import snapshot_page
from cms.security.models import PageFingerprint
from disclosure.calendar import add_working_days
from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from newmedia.demo_public import qr_png
from newmedia.models import AccountStatus, NewMediaAccount, Platform
from newmedia.public import (
    FakeAccountReport,
    NewMediaDirectoryPage,
    ReportError,
    ReportStatus,
    StepKind,
    record_step,
)
from tests.factories import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

DIRECTORY_URL = "/zwxmt/"
REPORT_URL = "/zwxmt/report/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    caches["strict"].clear()


@pytest.fixture
def directory(home):
    page = NewMediaDirectoryPage(title="政务新媒体矩阵", slug="zwxmt")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def account(unit, name, status, platform=Platform.WECHAT, **fields):
    item = NewMediaAccount.objects.create(
        unit=unit, name=name, platform=platform, status=status, verified_entity=unit.name, **fields
    )
    item.qr_code.save(f"{name}.png", ContentFile(qr_png(item)))
    return item


@pytest.fixture
def accounts(township_a, township_b):
    return {
        "active": account(township_a, "石羊镇人民政府", AccountStatus.ACTIVE, account_id="shiyang_gov"),
        "weibo": account(township_a, "石羊发布", AccountStatus.ACTIVE, platform=Platform.WEIBO),
        "closing": account(
            township_b,
            "龙台镇人民政府",
            AccountStatus.CLOSING,
            notice_start=datetime.date(2026, 12, 1),
            notice_end=datetime.date(2026, 12, 31),
        ),
        "applied": account(township_b, "龙台镇政务申请中", AccountStatus.APPLIED, platform=Platform.DOUYIN),
        "deregistered": account(township_a, "石羊镇已注销", AccountStatus.DEREGISTERED, platform=Platform.TOUTIAO),
        "rejected": account(township_b, "龙台镇未获批准", AccountStatus.REJECTED, platform=Platform.KUAISHOU),
        "withdrawn": account(township_a, "石羊镇已撤回", AccountStatus.WITHDRAWN, platform=Platform.APP),
    }


def test_directory_lists_running_and_closing_accounts_by_unit_and_platform(client, directory, accounts):
    response = client.get(DIRECTORY_URL)
    html = response.content.decode()
    assert response.status_code == 200
    for key in ("active", "weibo", "closing"):
        item = accounts[key]
        assert item.name in html and f'src="{DIRECTORY_URL}qr/{item.pk}/"' in html
        image = client.get(f"{DIRECTORY_URL}qr/{item.pk}/")
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "shiyang_gov" in html and "微博" in html and "微信公众号" in html
    assert accounts["active"].verified_entity in html
    # Grouped by unit: each unit's heading once, its accounts under it.
    assert html.count(f">{accounts['active'].unit.name}</h2>") == 1
    # The closing account shows its notice period; the running one does not.
    assert "关停公示中" in html and "2026年12月1日至2026年12月31日" in html
    assert html.count('class="closure-notice"') == 1


def test_directory_hides_accounts_not_yet_or_no_longer_running(client, directory, accounts):
    html = client.get(DIRECTORY_URL).content.decode()
    for key in ("applied", "deregistered", "rejected", "withdrawn"):
        assert accounts[key].name not in html
        assert f"qr/{accounts[key].pk}/" not in html
        assert client.get(f"{DIRECTORY_URL}qr/{accounts[key].pk}/").status_code == 404


def captcha(client):
    assert client.get(REPORT_URL).status_code == 200
    return client.session[CAPTCHA_SESSION_KEY]


def valid_data(**changes):
    return {
        "platform": Platform.DOUYIN,
        "account": "https://www.douyin.com/user/fake-anyue",
        "description": "该账号冒用县政府名义发布收费招聘信息。",
        "contact": "13800001234",
        **changes,
    }


def file_report(client, **changes):
    return client.post(REPORT_URL, {**valid_data(**changes), "captcha": captcha(client)})


def test_report_is_stored_with_its_due_date_and_a_receipt(client, directory, settings):
    settings.NEWMEDIA_REPORT_DUE_WORKING_DAYS = 5
    response = file_report(client)
    assert response.status_code == 302 and response["Location"] == "/zwxmt/report/done/"
    report = FakeAccountReport.objects.get()
    assert report.contact == "13800001234" and report.status == ReportStatus.RECEIVED
    assert report.due_on == add_working_days(timezone.localdate(), 5)
    receipt = client.get(response["Location"]).content.decode()
    assert report.receipt_number in receipt and "办理期限" in receipt
    # The receipt is shown once.
    assert client.get(response["Location"]).status_code == 302


def test_both_offices_are_told_without_the_reporters_contact(
    client, directory, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(client)
    report = FakeAccountReport.objects.get()
    (message,) = mailoutbox
    assert set(message.to) == {people["cyberspace"].email, people["supervisor"].email}
    assert report.receipt_number in message.subject
    assert f"/admin/newmedia/fake-reports/{report.pk}/" in message.body and "13800001234" not in message.body


def test_report_errors_are_in_chinese(client, directory):
    response = client.post(
        REPORT_URL,
        {"platform": "", "account": "", "description": "太短", "captcha": captcha(client) + 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "请选择假冒账号所在的平台。",
        "请填写假冒账号的名称或链接。",
        "举报内容至少10个字",
        "验证题答案不正确",
    ):
        assert message in html
    too_long = file_report(client, description="假" * 2001).content.decode()
    assert "举报内容不能超过2000个字（现有2001个字）。" in too_long
    assert not FakeAccountReport.objects.exists()


def test_captcha_answer_is_used_once(client, directory):
    answer = captcha(client)
    assert client.post(REPORT_URL, {**valid_data(), "captcha": answer}).status_code == 302
    assert client.post(REPORT_URL, {**valid_data(), "captcha": answer}).status_code == 400
    assert FakeAccountReport.objects.count() == 1


def test_reports_are_rate_limited_per_address(client, directory, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"newmedia_report": (2, 3600)}
    assert file_report(client).status_code == 302
    assert file_report(client).status_code == 302
    response = file_report(client)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert FakeAccountReport.objects.count() == 2
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert file_report(other).status_code == 302


@pytest.fixture
def report(client, directory):
    file_report(client)
    return FakeAccountReport.objects.get()


def test_offices_handle_a_report_in_order_with_a_record(client, report, people):
    url = reverse("newmedia_fake_reports:detail", args=[report.pk])
    log_in(client, people["cyberspace"])
    listing = client.get(reverse("newmedia_fake_reports:index")).content.decode()
    assert report.receipt_number in listing
    assert "13800001234" in client.get(url).content.decode()
    assert client.post(url, {"comment": ""}).status_code == 400
    assert client.post(url, {"comment": "经核实系假冒账号。"}).status_code == 302
    client.logout()
    log_in(client, people["supervisor"])
    assert client.post(url, {"comment": "已通知平台关闭该账号。"}).status_code == 302
    assert client.post(url, {"comment": "平台已关闭，告知举报人。"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    steps = list(report.steps.values_list("kind", "user__username", "comment"))
    assert steps == [
        (StepKind.VERIFY, "wxb_nm", "经核实系假冒账号。"),
        (StepKind.DISPOSE, "xzfb_nm", "已通知平台关闭该账号。"),
        (StepKind.RESULT, "xzfb_nm", "平台已关闭，告知举报人。"),
    ]
    page = client.get(url).content.decode()
    assert "已办结" in page and "下一环节" not in page
    assert client.post(url, {"comment": "再次办理"}).status_code == 400


def test_steps_come_in_order_and_only_for_the_offices(report, people):
    with pytest.raises(ReportError, match="请先完成“核实”环节"):
        record_step(report, people["cyberspace"], StepKind.DISPOSE, "处置")
    with pytest.raises(ReportError, match="只有县委网信办和县政府办公室"):
        record_step(report, people["operator"], StepKind.VERIFY, "核实")
    record_step(report, people["cyberspace"], StepKind.VERIFY, "核实")
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED


@pytest.mark.parametrize("who", ["officer", "head", "operator", "outsider"])
def test_other_units_cannot_see_reports(client, report, people, who):
    # The admin answers a refusal by sending the user back to the dashboard.
    log_in(client, people[who])
    detail = reverse("newmedia_fake_reports:detail", args=[report.pk])
    for response in (
        client.get(reverse("newmedia_fake_reports:index")),
        client.get(detail),
        client.post(detail, {"comment": "核实"}),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not report.steps.exists()


def test_a_registry_change_moves_the_directorys_fingerprint(township_a, directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account(township_a, "石羊镇人民政府", AccountStatus.ACTIVE)
    fingerprint = PageFingerprint.objects.get(page=directory)
    assert fingerprint.reason == PageFingerprint.Reason.REFRESH
    assert fingerprint.content_sha256 == snapshot_page(directory)[1].content_sha256


def test_a_lost_qr_code_file_is_not_found(client, directory, accounts):
    item = accounts["active"]
    item.qr_code.storage.delete(item.qr_code.name)
    assert client.get(f"{DIRECTORY_URL}qr/{item.pk}/").status_code == 404


def test_the_directory_page_is_offered_under_the_home_page_and_structure_columns_only(home, township_a, county_office):
    from newmedia.public import NewMediaDirectoryPage
    from tests.factories import make_column

    interaction = make_column(home, "互动交流", county_office, slug="hdjl")
    township = make_column(home, "石羊镇", township_a, slug="sy")
    assert NewMediaDirectoryPage.can_create_at(home)
    assert NewMediaDirectoryPage.can_create_at(interaction)
    assert not NewMediaDirectoryPage.can_create_at(township)
    assert NewMediaDirectoryPage in home.specific.creatable_subpage_models()
