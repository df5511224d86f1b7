"""The lifecycle through the admin's HTTP views: each refusal shows its Chinese message and changes nothing."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.menu import admin_menu

from newmedia import lifecycle
from newmedia.models import (
    AccountEvent,
    AccountStatus,
    ChangeRequest,
    EventKind,
    NewMediaAccount,
    Platform,
    PlatformOption,
)
from tests.factories import log_in

from .conftest import active, applied, submitted

pytestmark = pytest.mark.usefixtures("shared_portal")


def opening(unit, **fields):
    return {
        "unit": unit.pk,
        "platform": "wechat",
        "name": "石羊镇人民政府",
        "account_id": "gh_sy",
        "verified_entity": "安岳县石羊镇人民政府",
        "purpose": "政务信息发布",
        "justification": "本镇政务信息发布需要",
        **fields,
    }


def table(response):
    """The listing's rows, without the filter's unit names."""
    return response.content.decode().split('<table class="listing', 1)[-1].split("</table>", 1)[0]


def action(client, account, name, data):
    return client.post(reverse("newmedia_accounts:action", args=[account.pk, name]), data)


def test_a_unit_member_applies_through_the_add_view(client, township_a, people):
    log_in(client, people["officer"])
    response = client.post(reverse("newmedia_accounts:add"), opening(township_a))
    account = NewMediaAccount.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("newmedia_accounts:inspect", args=[account.pk])
    assert (account.status, account.verified_entity) == (AccountStatus.APPLIED, "安岳县石羊镇人民政府")
    page = client.get(response["Location"]).content.decode()
    assert "开设申请" in page and "登记开通" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "石羊镇王书记说事"}, "不得使用个人名字或私人称谓"),
        ({"name": "石羊镇招商活动"}, "临时性、活动性、专项性"),
        ({"verified_entity": "王小明"}, "不得以个人身份认证"),
    ],
)
def test_refused_applications_show_the_reason(client, township_a, people, fields, message):
    log_in(client, people["officer"])
    response = client.post(reverse("newmedia_accounts:add"), opening(township_a, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NewMediaAccount.objects.exists()


def test_a_second_account_on_a_platform_is_refused(client, township_a, people):
    applied(township_a, people["officer"])
    log_in(client, people["officer"])
    response = client.post(reverse("newmedia_accounts:add"), opening(township_a, name="石羊镇发布"))
    assert response.status_code == 200
    assert "同一单位在同一平台只能开设一个账号" in response.content.decode()
    assert NewMediaAccount.objects.count() == 1


def test_activation_without_approval_or_registration_is_refused(client, township_a, people):
    account = applied(township_a, people["officer"])
    log_in(client, people["officer"])
    response = action(client, account, "activate", {"opened_on": "2026-03-06"})
    assert response.status_code == 200
    assert "严禁先开设账号后报批" in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.APPLIED


def test_the_whole_lifecycle_through_the_views(client, township_a, people, monkeypatch):
    account = applied(township_a, people["officer"])
    log_in(client, people["supervisor"])
    approval = {"document_number": "资府办函〔2026〕1号", "approved_on": "2026-03-02"}
    refusal = action(client, account, "approve", approval)
    assert refusal.status_code == 200 and "须经电子政务外网管理办公室审核" in refusal.content.decode()
    refusal = action(client, account, "review", {})
    assert refusal.status_code == 200 and "由电子政务外网管理办公室审核" in refusal.content.decode()
    log_in(client, people["operator"])
    assert action(client, account, "review", {"comment": "符合开设条件"}).status_code == 302
    log_in(client, people["supervisor"])
    assert action(client, account, "submit", {}).status_code == 302
    assert (
        action(
            client, account, "approve", {"document_number": "资府办函〔2026〕1号", "approved_on": "2026-03-02"}
        ).status_code
        == 302
    )
    assert action(client, account, "register", {"registered_on": "2026-03-05"}).status_code == 302
    log_in(client, people["officer"])
    assert action(client, account, "activate", {"opened_on": "2026-03-06"}).status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    response = action(
        client,
        account,
        "closure",
        {"reason": "mostly_reposts", "notice_start": "2026-12-01", "notice_end": "2026-12-31"},
    )
    assert "主要负责人" in response.content.decode()
    log_in(client, people["head"])
    assert (
        action(
            client,
            account,
            "closure",
            {"reason": "mostly_reposts", "notice_start": "2026-12-01", "notice_end": "2026-12-31"},
        ).status_code
        == 302
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2026, 12, 20))
    response = action(client, account, "deregister", {"deregistered_on": "2026-12-20"})
    assert response.status_code == 200
    assert "公示期内不得注销" in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSING
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2027, 1, 4))
    assert action(client, account, "deregister", {"deregistered_on": "2027-01-04"}).status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.DEREGISTERED


def test_rename_in_the_edit_form_is_refused_then_done_by_change_request(client, township_a, people):
    account = active(township_a, people)
    log_in(client, people["officer"])
    url = reverse("newmedia_accounts:edit", args=[account.pk])
    form = {"name": "石羊镇发布", "verified_entity": account.verified_entity, "account_id": "", "purpose": "发布"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "须提交变更申请，经批准后生效" in response.content.decode()
    account.refresh_from_db()
    assert account.name == "石羊镇人民政府"
    assert client.post(url, {**form, "name": account.name}).status_code == 302
    assert action(client, account, "change", {"name": "石羊镇发布", "comment": "统一名称"}).status_code == 302
    change = ChangeRequest.objects.get()
    approve = reverse("newmedia_accounts:approve_change", args=[change.pk])
    assert "变更只能由" in client.post(approve, {}).content.decode()
    log_in(client, people["operator"])
    assert client.post(approve, {"document_number": "安府办〔2026〕9号"}).status_code == 302
    account.refresh_from_db()
    assert account.name == "石羊镇发布"


def test_filings_reach_both_offices_inboxes(client, township_a, people):
    account = active(township_a, people)
    opening_event = account.events.get(kind=EventKind.ACTIVATED)
    for office in ("supervisor", "cyberspace"):
        log_in(client, people[office])
        page = client.get(reverse("newmedia_filings:index")).content.decode()
        assert "石羊镇人民政府" in page and "开通" in page
        response = client.post(reverse("newmedia_filings:acknowledge", args=[opening_event.pk]))
        assert response.status_code == 302
    opening_event.refresh_from_db()
    assert opening_event.acknowledged
    log_in(client, people["officer"])
    refused = client.get(reverse("newmedia_filings:index"))
    assert refused.status_code in (302, 403)
    assert "石羊镇人民政府" not in refused.content.decode()


def test_third_notice_through_the_view_flags_forced_closure(client, township_a, people):
    account = active(township_a, people)
    log_in(client, people["operator"])
    for day in (1, 2, 3):
        response = action(
            client, account, "notice", {"notified_on": f"2026-06-0{day}", "document_number": f"川办通〔2026〕{day}号"}
        )
        assert response.status_code == 302
    account.refresh_from_db()
    assert (account.provincial_notice_count, account.forced_closure) == (3, True)
    assert AccountEvent.objects.filter(account=account, kind=EventKind.NOTICE, filed=True).count() == 1
    log_in(client, people["supervisor"])
    assert "应予强制关停" in client.get(reverse("newmedia_accounts:inspect", args=[account.pk])).content.decode()
    assert "石羊镇人民政府" in client.get(reverse("newmedia_checks:index")).content.decode()


def test_access_by_unit_and_office(client, township_a, township_b, people):
    mine = active(township_a, people)
    theirs = NewMediaAccount.objects.create(
        unit=township_b, platform=Platform.WEIBO, name="龙台镇微博", status="active"
    )
    log_in(client, people["officer"])
    listing = table(client.get(reverse("newmedia_accounts:index")))
    assert "石羊镇人民政府" in listing and "龙台镇微博" not in listing
    assert client.get(reverse("newmedia_accounts:inspect", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("newmedia_accounts:edit", args=[theirs.pk])).status_code == 404
    log_in(client, people["cyberspace"])
    listing = table(client.get(reverse("newmedia_accounts:index")))
    assert "石羊镇人民政府" in listing and "龙台镇微博" in listing
    assert client.get(reverse("newmedia_accounts:edit", args=[mine.pk])).status_code in (302, 403)
    log_in(client, people["supervisor"])
    assert client.get(reverse("newmedia_accounts:edit", args=[theirs.pk])).status_code == 200
    listing = table(client.get(reverse("newmedia_accounts:index"), {"unit": township_b.pk}))
    assert "龙台镇微博" in listing and "石羊镇人民政府" not in listing


def test_export_lists_the_visible_accounts(client, township_a, township_b, people):
    active(township_a, people)
    NewMediaAccount.objects.create(unit=township_b, platform=Platform.WEIBO, name="龙台镇", status="active")
    log_in(client, people["officer"])
    response = client.get(reverse("newmedia_accounts:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("单位", "平台", "账号名称")
    assert [row[2] for row in rows[1:]] == ["石羊镇人民政府"]
    log_in(client, people["supervisor"])
    response = client.get(reverse("newmedia_accounts:export"), {"platform": "weibo", "unit": "x"})
    assert [row[2] for row in list(load_workbook(io.BytesIO(response.content)).active.values)[1:]] == ["龙台镇"]


def test_lifecycle_refusal_keeps_the_account_when_another_unit_posts(client, township_a, people):
    account = applied(township_a, people["officer"])
    log_in(client, people["outsider"])
    assert action(client, account, "activate", {}).status_code == 404
    submitted(account, people)
    lifecycle.record_approval(account, people["supervisor"], "资府办函〔2026〕1号", datetime.date(2026, 3, 2))
    assert account.status == AccountStatus.APPROVED


def menu_labels(rf, user):
    request = rf.get(reverse("wagtailadmin_home"))  # reversing loads the URLs, which registers the viewsets' menus
    request.user = user
    labels = []
    for item in admin_menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        labels += [str(i.label) for i in submenu.menu_items_for_request(request)] if submenu else [str(item.label)]
    return labels


def test_the_offices_menu_items_are_shown_only_to_the_offices(rf, people):
    officer = menu_labels(rf, people["officer"])
    assert "账号台账" in officer and "检查与清理整合" in officer and "备案收件箱" not in officer
    assert "备案收件箱" in menu_labels(rf, people["cyberspace"])


def test_the_unit_records_a_password_change_date(client, township_a, people):
    account = active(township_a, people)
    log_in(client, people["officer"])
    form = {"name": account.name, "verified_entity": account.verified_entity, "account_id": ""}
    response = client.post(
        reverse("newmedia_accounts:edit", args=[account.pk]), {**form, "password_changed_at": "2026-12-01 09:00"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert timezone.localtime(account.password_changed_at).date() == datetime.date(2026, 12, 1)


def test_activation_after_approval_without_national_registration_is_refused(client, township_a, people):
    account = submitted(applied(township_a, people["officer"]), people)
    lifecycle.record_approval(account, people["supervisor"], "资府办函〔2026〕2号", datetime.date(2026, 3, 2))
    log_in(client, people["officer"])
    response = action(client, account, "activate", {"opened_on": "2026-03-06"})
    assert response.status_code == 200
    assert "严禁先开设账号后报批：尚未登记全国政务新媒体信息报送系统报送" in response.content.decode()
    account.refresh_from_db()
    assert (account.status, account.opened_on) == (AccountStatus.APPROVED, None)


def test_the_operator_sees_all_and_the_registry_filters_by_status_and_platform(client, township_a, township_b, people):
    active(township_a, people)
    applied(township_b, people["operator"], platform=Platform.DOUYIN, name="龙台镇人民政府")
    log_in(client, people["operator"])
    index = reverse("newmedia_accounts:index")
    listing = table(client.get(index))
    assert "石羊镇人民政府" in listing and "龙台镇人民政府" in listing
    listing = table(client.get(index, {"status": AccountStatus.APPLIED}))
    assert "龙台镇人民政府" in listing and "石羊镇人民政府" not in listing
    listing = table(client.get(index, {"platform": Platform.WECHAT}))
    assert "石羊镇人民政府" in listing and "龙台镇人民政府" not in listing


def test_filings_unacknowledged_after_five_working_days_are_listed_for_the_offices(client, township_a, people):
    account = active(township_a, people)
    old = timezone.now() - datetime.timedelta(days=30)
    AccountEvent.objects.filter(account=account, kind=EventKind.ACTIVATED).update(created_at=old)
    log_in(client, people["cyberspace"])
    assert "1 项备案超过 5 个工作日仍未签收" in client.get(reverse("newmedia_filings:index")).content.decode()
    checks_page = client.get(reverse("newmedia_checks:index")).content.decode()
    overdue = checks_page.split("超过 5 个工作日未签收的备案", 1)[1]
    assert "石羊镇人民政府" in overdue and "没有逾期未签收的备案" not in overdue


def test_the_offices_keep_the_platform_list_and_the_opening_form_offers_its_active_entries(client, township_a, people):
    log_in(client, people["officer"])
    assert client.post(reverse("newmedia_platforms:add"), {"name": "哔哩哔哩", "active": "on"}).status_code == 302
    assert not PlatformOption.objects.exists()
    log_in(client, people["operator"])
    assert client.post(reverse("newmedia_platforms:add"), {"name": "哔哩哔哩", "active": "on"}).status_code == 302
    PlatformOption.objects.create(name="旧平台", active=False)
    log_in(client, people["officer"])
    form = client.get(reverse("newmedia_accounts:add")).content.decode()
    assert "哔哩哔哩" in form and "旧平台" not in form
    bilibili = PlatformOption.objects.get(name="哔哩哔哩")
    response = client.post(
        reverse("newmedia_accounts:add"), opening(township_a, platform="other", other_platform=bilibili.pk)
    )
    assert response.status_code == 302
    assert str(NewMediaAccount.objects.get()) == "哔哩哔哩：石羊镇人民政府"


def test_checks_page_lists_duplicates_and_names_inconsistent_across_platforms(client, township_a, township_b, people):
    for platform, name in (
        (Platform.WECHAT, "石羊镇人民政府"),
        (Platform.WECHAT, "石羊发布"),
        (Platform.DOUYIN, "石羊印象"),
    ):
        NewMediaAccount.objects.create(unit=township_a, platform=platform, name=name, status="active")
    NewMediaAccount.objects.create(unit=township_b, platform=Platform.WECHAT, name="龙台镇人民政府", status="active")
    log_in(client, people["supervisor"])
    page = client.get(reverse("newmedia_checks:index")).content.decode()
    duplicates = page.split("同一单位同一平台的多个账号（须清理整合）", 1)[1].split("<h2>", 1)[0]
    assert "石羊发布" in duplicates and "石羊镇人民政府" in duplicates and "龙台镇" not in duplicates
    inconsistent = page.split("各平台名称不一致的单位", 1)[1].split("<h2>", 1)[0]
    assert "抖音“石羊印象”" in inconsistent and "龙台镇" not in inconsistent


def test_the_unit_records_its_commissioned_operator_and_it_is_exported(client, township_a, people):
    account = active(township_a, people)
    log_in(client, people["officer"])
    form = {"name": account.name, "verified_entity": account.verified_entity, "account_id": ""}
    contractor = {
        "contractor": "四川某某文化传媒有限公司",
        "contractor_nda_on": "2026-01-10",
        "contractor_contract_end": "2027-01-09",
        "purpose": "发布镇政务信息",
    }
    response = client.post(reverse("newmedia_accounts:edit", args=[account.pk]), {**form, **contractor})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.contractor, account.contractor_nda_on, account.contractor_contract_end) == (
        "四川某某文化传媒有限公司",
        datetime.date(2026, 1, 10),
        datetime.date(2027, 1, 9),
    )
    rows = list(load_workbook(io.BytesIO(client.get(reverse("newmedia_accounts:export")).content)).active.values)
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["承办机构"] == "四川某某文化传媒有限公司" and exported["委托合同截止日期"] == "2027-01-09"
