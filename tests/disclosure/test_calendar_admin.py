"""The working calendar's admin: entering days, validation, permissions, status and calculator."""

from datetime import date

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from disclosure import calendar
from disclosure.calendar import Source
from disclosure.models import CalendarDay
from disclosure.views import year_statuses
from tests.factories import PASSWORD, UserFactory, log_in


def day_form(day, kind, name="春节", note=""):
    return {"date": day, "kind": kind, "name": name, "note": note}


def test_superuser_enters_a_make_up_saturday_and_deadlines_follow(admin_client, db):
    assert not calendar.is_working_day(date(2027, 2, 6))
    response = admin_client.post(reverse("calendar_days:add"), day_form("2027-02-06", "workday"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.get(date=date(2027, 2, 6)).kind == "workday"
    assert calendar.is_working_day(date(2027, 2, 6))
    assert not calendar.is_provisional(2027)


def test_make_up_workday_on_a_weekday_is_refused_in_chinese(admin_client, db):
    response = admin_client.post(reverse("calendar_days:add"), day_form("2027-02-03", "workday"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2027年2月3日是星期三，本来就是工作日，无需登记为调休上班日" in html
    assert not CalendarDay.objects.exists()


def test_make_up_workday_may_correct_a_package_holiday_on_a_weekday(admin_client, db):
    response = admin_client.post(reverse("calendar_days:add"), day_form("2025-10-08", "workday", "国庆节", "更正"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert calendar.is_working_day(date(2025, 10, 8))


def test_holiday_on_a_weekend_is_allowed(admin_client, db):
    response = admin_client.post(reverse("calendar_days:add"), day_form("2027-02-07", "holiday"))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_duplicate_date_is_refused(admin_client, db):
    CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="春节")
    response = admin_client.post(reverse("calendar_days:add"), day_form("2027-02-08", "holiday"))
    assert response.status_code == 200
    assert "该日期已经登记，请修改原有记录。" in response.content.decode()
    assert CalendarDay.objects.count() == 1


def test_superuser_edits_and_deletes_a_day(admin_client, db):
    day = CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="春节")
    assert not calendar.is_working_day(date(2027, 2, 8))
    response = admin_client.post(
        reverse("calendar_days:edit", args=[day.pk]), day_form("2027-02-09", "holiday", note="更正日期")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert calendar.is_working_day(date(2027, 2, 8))
    assert not calendar.is_working_day(date(2027, 2, 9))
    assert admin_client.post(reverse("calendar_days:delete", args=[day.pk])).status_code == 302
    assert calendar.is_provisional(2027)


def test_listing_filters_by_year_and_kind(admin_client, db):
    CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="二七年春节")
    CalendarDay.objects.create(date=date(2026, 3, 7), kind="workday", name="二六年更正")
    html = admin_client.get(reverse("calendar_days:index"), {"year": "2027"}).content.decode()
    assert "二七年春节" in html and "二六年更正" not in html
    html = admin_client.get(reverse("calendar_days:index"), {"kind": "workday"}).content.decode()
    assert "二六年更正" in html and "二七年春节" not in html
    html = admin_client.get(reverse("calendar_days:index")).content.decode()
    # The year after next never has package data, so the status panel always warns about it.
    assert "各年度节假日数据" in html and "临时：仅按周末计算" in html
    assert reverse("working_day_calculator:index") in html


def test_year_status_names_the_source_of_each_year(db):
    CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="春节")
    statuses = year_statuses(today=date(2026, 3, 1))
    assert [(s.year, s.source, s.entered_count) for s in statuses] == [
        (2026, Source.PACKAGE, 0),
        (2027, Source.ENTERED, 1),
        (2028, Source.NONE, 0),
    ]


def test_editors_cannot_see_or_change_the_calendar_but_can_use_the_calculator(client, editor_a):
    client.login(username=editor_a.username, password=PASSWORD)
    for name in ("calendar_days:index", "calendar_days:add"):
        assert client.get(reverse(name)).status_code in (302, 403)
    response = client.post(reverse("calendar_days:add"), day_form("2027-02-06", "workday"))
    assert response.status_code in (302, 403)
    assert not CalendarDay.objects.exists()
    assert client.get(reverse("working_day_calculator:index")).status_code == 200


def test_view_permission_alone_does_not_allow_adding(client, db):
    group = Group.objects.create(name="日历查看")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="disclosure", codename="view_calendarday"),
    )
    user = UserFactory()
    user.groups.add(group)
    client.login(username=user.username, password=PASSWORD)
    assert client.get(reverse("calendar_days:index")).status_code == 200
    response = client.post(reverse("calendar_days:add"), day_form("2027-02-06", "workday"))
    assert response.status_code in (302, 403)
    assert not CalendarDay.objects.exists()
    group.permissions.add(Permission.objects.get(content_type__app_label="disclosure", codename="add_calendarday"))
    user = type(user).objects.get(pk=user.pk)  # drop the cached permissions
    log_in(client, user)
    assert client.post(reverse("calendar_days:add"), day_form("2027-02-06", "workday")).status_code == 302


def test_calculator_gives_the_due_date(admin_client, db):
    url = reverse("working_day_calculator:index")
    html = admin_client.get(url, {"start": "2025-09-30", "working_days": "3"}).content.decode()
    assert "2025年10月11日（星期六）" in html
    assert "临时结果" not in html


def test_calculator_flags_a_provisional_result(admin_client, db):
    url = reverse("working_day_calculator:index")
    html = admin_client.get(url, {"start": "2026-12-28", "working_days": "10"}).content.decode()
    assert "2027年1月11日" in html
    assert "临时结果" in html and "2027 年尚无官方节假日安排" in html


def test_calculator_rejects_bad_input(admin_client, db):
    url = reverse("working_day_calculator:index")
    html = admin_client.get(url, {"start": "9999-12-31", "working_days": "-1"}).content.decode()
    assert "起算日须在" in html
    assert "data-due-date" not in html
    assert admin_client.get(url).status_code == 200
