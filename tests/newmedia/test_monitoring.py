"""Update monitoring: staleness at its exact calendar-day boundaries, and CSV import all-or-nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newmedia import monitoring
from newmedia.models import NewMediaAccount, NewMediaPost, Platform
from tests.factories import log_in

from .conftest import TODAY, active

pytestmark = pytest.mark.usefixtures("shared_portal")


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def account(township_a, people):
    return active(township_a, people)


@pytest.mark.parametrize(
    ("days", "level"),
    [(0, "ok"), (9, "ok"), (10, "warning"), (13, "warning"), (14, "stale"), (30, "stale")],
)
def test_staleness_boundaries_in_calendar_days(account, days, level):
    # Late in the evening or early in the morning makes no difference: only the dates count.
    for hour in (0, 23):
        account.last_updated_at = at(TODAY - datetime.timedelta(days=days), hour)
        assert monitoring.staleness(account, today=TODAY) == level


def test_thresholds_are_settings(account, settings):
    settings.NEWMEDIA_WARNING_DAYS, settings.NEWMEDIA_STALE_DAYS = 3, 5
    account.last_updated_at = at(TODAY - datetime.timedelta(days=3))
    assert monitoring.staleness(account, today=TODAY) == "warning"
    account.last_updated_at = at(TODAY - datetime.timedelta(days=5))
    assert monitoring.staleness(account, today=TODAY) == "stale"


def test_never_posted_counts_from_opening_and_only_active_accounts_are_watched(township_a, people, account):
    account.opened_on = TODAY - datetime.timedelta(days=10)
    assert monitoring.staleness(account, today=TODAY) == "warning"
    account.opened_on = None
    assert monitoring.staleness(account, today=TODAY) == "stale"
    assert monitoring.label(account, today=TODAY) == "从未发文"
    applying = NewMediaAccount.objects.create(platform=Platform.WEIBO, name="石羊镇", unit=township_a)
    assert monitoring.staleness(applying, today=TODAY) == "ok"


def test_outside_post_moves_the_last_post_time_forward_only(account, people):
    newer, older = at(TODAY - datetime.timedelta(days=2)), at(TODAY - datetime.timedelta(days=20))
    monitoring.record_outside_post(
        account, people["officer"], url="https://mp.example.cn/s/1", published_at=newer, title="一"
    )
    monitoring.record_outside_post(
        account, people["officer"], url="https://mp.example.cn/s/2", published_at=older, title="二"
    )
    account.refresh_from_db()
    assert account.last_updated_at == newer
    assert monitoring.staleness(account, today=TODAY) == "ok"
    assert NewMediaPost.objects.filter(account=account, live=True, recorded_outside=True).count() == 2


def csv(*lines, bom=False):
    text = "\n".join(("账号,标题,链接,发布时间", *lines)) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


@pytest.mark.parametrize("bom", [False, True])
def test_csv_import_records_every_row(account, people, bom):
    data = csv(
        "石羊镇人民政府,春耕生产动员,https://mp.example.cn/s/a,2026-11-30 09:30",
        "微信公众号：石羊镇人民政府,防汛通知,http://mp.example.cn/s/b,2026/12/01",
        bom=bom,
    )
    result = monitoring.import_posts(data, people["officer"])
    assert result.ok and result.created == 2
    account.refresh_from_db()
    assert timezone.localtime(account.last_updated_at).date() == datetime.date(2026, 12, 1)


def test_csv_bad_rows_are_reported_by_line_and_nothing_is_imported(account, township_b, people):
    NewMediaAccount.objects.create(platform=Platform.WECHAT, name="龙台镇人民政府", unit=township_b)
    data = csv(
        "石羊镇人民政府,好的一行,https://mp.example.cn/s/a,2026-11-30 09:30",
        "石羊镇人民政府,日期错误,https://mp.example.cn/s/b,2026-13-45",
        "不存在的账号,未知账号,https://mp.example.cn/s/c,2026-11-30",
        "龙台镇人民政府,别人的账号,https://mp.example.cn/s/d,2026-11-30",
        "石羊镇人民政府,链接错误,ftp://mp.example.cn/s/e,2026-11-30",
        "石羊镇人民政府,,https://mp.example.cn/s/f,2099-01-01",
    )
    result = monitoring.import_posts(data, people["officer"])
    assert not result.ok and result.created == 0
    lines = {line for line, _message in result.errors}
    assert lines == {3, 4, 5, 6, 7}
    messages = dict(result.errors)
    assert "发布时间“2026-13-45”无法识别" in messages[3]
    assert "台账中没有账号“不存在的账号”" in messages[4]
    assert "不属于本单位" in messages[5]
    assert "http://" in messages[6]
    assert not NewMediaPost.objects.exists()
    account.refresh_from_db()
    assert account.last_updated_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        ("\ufeff".encode(), "文件是空的"),
        ("账号,标题,发布时间\n石羊镇人民政府,一,2026-11-30\n".encode(), "第 1 行表头缺少列：链接"),
        ("账号,标题,链接,发布时间\n".encode(), "只有表头"),
        ("账号,标题,链接,发布时间\n".encode("gbk"), "UTF-8"),
    ],
)
def test_csv_file_errors(account, people, data, message):
    result = monitoring.import_posts(data, people["officer"])
    assert not result.ok
    assert message in result.errors[0][1]
    assert not NewMediaPost.objects.exists()


def test_csv_same_name_on_two_platforms_needs_the_platform(account, township_a, people):
    active(township_a, people, platform=Platform.WEIBO)
    result = monitoring.import_posts(csv("石羊镇人民政府,一,https://weibo.example.cn/1,2026-11-30"), people["officer"])
    assert "多个平台重名" in result.errors[0][1]
    result = monitoring.import_posts(
        csv("微博：石羊镇人民政府,一,https://weibo.example.cn/1,2026-11-30"), people["officer"]
    )
    assert result.ok and NewMediaPost.objects.get().account.platform == Platform.WEIBO


def test_registry_and_admin_home_show_warning_and_stale_accounts_of_the_users_units(
    client, township_a, township_b, people
):
    stale = active(township_a, people)
    warned = active(township_a, people, platform=Platform.WEIBO)
    fresh = active(township_a, people, platform=Platform.DOUYIN)
    today = timezone.localdate()
    for account, days in ((stale, 15), (warned, 11), (fresh, 1)):
        NewMediaAccount.objects.filter(pk=account.pk).update(last_updated_at=at(today - datetime.timedelta(days=days)))
    other = NewMediaAccount.objects.create(
        platform=Platform.WECHAT, name="龙台镇人民政府", unit=township_b, status="active"
    )
    NewMediaAccount.objects.filter(pk=other.pk).update(last_updated_at=at(today - datetime.timedelta(days=30)))

    log_in(client, people["officer"])
    registry = client.get(reverse("newmedia_accounts:index")).content.decode()
    assert "15 天未更新" in registry and "11 天未更新" in registry and "即将超期未更新" in registry
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政务新媒体更新监测" in home
    assert "15 天未更新" in home and "11 天未更新" in home
    assert "（1 天未更新）" not in home and "龙台镇人民政府" not in home

    log_in(client, people["supervisor"])
    assert "30 天未更新" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_csv_link_already_recorded_or_repeated_in_the_file_is_refused(account, people):
    row = "石羊镇人民政府,一,https://mp.example.cn/s/a,2026-11-30"
    assert monitoring.import_posts(csv(row), people["officer"]).ok
    again = monitoring.import_posts(csv(row), people["officer"])
    assert [line for line, _message in again.errors] == [2] and "已登记过" in again.errors[0][1]
    twice = monitoring.import_posts(
        csv(
            "石羊镇人民政府,二,https://mp.example.cn/s/b,2026-11-30",
            "石羊镇人民政府,二,https://mp.example.cn/s/b,2026-11-30",
        ),
        people["officer"],
    )
    assert [line for line, _message in twice.errors] == [3]
    assert NewMediaPost.objects.count() == 1
