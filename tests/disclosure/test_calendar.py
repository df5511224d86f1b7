"""Working days (工作日) for disclosure deadlines: package data, entered days, provisional years."""

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from django.core.cache import cache

from disclosure import calendar
from disclosure.calendar import (
    Deadline,
    Source,
    add_working_days,
    deadline,
    is_provisional,
    is_working_day,
    working_days_between,
)
from disclosure.models import CalendarDay


def holiday(day, name="春节", **fields):
    return CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name, **fields)


def workday(day, name="春节", **fields):
    return CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.WORKDAY, name=name, **fields)


# Real dates from the State Council's notices for 2024-2026, as published in chinesecalendar 1.11.0.
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 26), True),  # Sunday, make-up workday before the 2025 Spring Festival
        (date(2025, 1, 28), False),  # 除夕 (Tuesday)
        (date(2025, 2, 4), False),  # last Spring Festival day (Tuesday)
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday, make-up workday
        (date(2025, 9, 28), True),  # Sunday, make-up workday before National Day
        (date(2025, 10, 6), False),  # 中秋 inside the National Day week
        (date(2025, 10, 8), False),  # Wednesday
        (date(2025, 10, 11), True),  # Saturday, make-up workday
        (date(2025, 10, 12), False),  # an ordinary Sunday
        (date(2024, 9, 29), True),  # Sunday, make-up workday
        (date(2024, 10, 7), False),
        (date(2024, 10, 12), True),  # Saturday, make-up workday
        (date(2026, 2, 14), True),  # Saturday, make-up workday before the 2026 Spring Festival
        (date(2026, 2, 23), False),  # Monday, ninth day of the 2026 Spring Festival
        (date(2026, 2, 28), True),  # Saturday, make-up workday
        (date(2026, 10, 10), True),  # Saturday, make-up workday
    ],
)
def test_known_days_of_2024_to_2026(db, day, working):
    assert chinese_calendar.is_workday(day) is working
    assert is_working_day(day) is working
    assert not is_provisional(day)


def test_every_day_of_2024_to_2026_agrees_with_the_package(db):
    day = date(2024, 1, 1)
    while day.year <= 2026:
        assert is_working_day(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_counting_starts_the_day_after_and_skips_the_spring_festival(db):
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_a_make_up_saturday_counts(db):
    assert add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_zero_working_days_returns_the_start_even_on_a_holiday(db):
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)
    assert deadline(date(2027, 3, 6), 0) == Deadline(date(2027, 3, 6), False)


def test_twenty_working_days_across_the_national_day_week(db):
    # 9-28 (make-up Sunday), 9-29, 9-30, 10-09, 10-10, 10-11 (make-up Saturday), then three full weeks
    # and four more days: the 20th working day after Friday 2025-09-26 is Thursday 2025-10-30.
    assert deadline(date(2025, 9, 26), 20) == Deadline(date(2025, 10, 30), False)


def test_negative_counts_go_backwards(db):
    assert add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)


def test_working_days_between_counts_after_start_through_end(db):
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert working_days_between(date(2025, 10, 11), date(2025, 9, 30)) == -3
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    for n in (0, 1, 7, 15, 20):
        start = date(2025, 9, 26)
        assert working_days_between(start, add_working_days(start, n)) == n


def test_a_year_without_data_counts_weekends_only_and_is_provisional(db):
    assert not calendar.package_covers(2027)
    assert is_provisional(2027)
    assert calendar.year_calendar(2027).source is Source.NONE
    assert deadline(date(2027, 1, 1), 5) == Deadline(date(2027, 1, 8), True, (2027,))
    assert is_working_day(date(2027, 10, 1))  # a Friday: no National Day without data
    assert not is_working_day(date(2027, 2, 6))


def test_a_deadline_that_crosses_into_a_year_without_data_is_provisional(db):
    result = deadline(date(2026, 12, 28), 10)
    assert result.due == date(2027, 1, 11)
    assert result.provisional and result.provisional_years == (2027,)
    assert not deadline(date(2026, 12, 21), 5).provisional
    assert calendar.spans_provisional(date(2026, 12, 28), date(2027, 1, 11))
    assert not calendar.spans_provisional(date(2026, 1, 1), date(2026, 12, 31))


def test_years_before_the_package_do_not_crash(db):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2003, 10, 1))
    assert is_working_day(date(2003, 10, 1))
    assert is_provisional(date(2003, 10, 1))
    assert add_working_days(date(2003, 12, 31), 1) == date(2004, 1, 2)  # 2004-01-01 from the package


def test_entered_days_make_a_later_year_official(db):
    # Invented schedule for 2027: the test must not depend on the real announcement.
    holiday(date(2027, 2, 8), note="测试用")
    workday(date(2027, 2, 6))
    assert not is_provisional(2027)
    assert calendar.year_calendar(2027).source is Source.ENTERED
    assert deadline(date(2027, 2, 5), 1) == Deadline(date(2027, 2, 6), False)  # make-up Saturday counted
    assert deadline(date(2027, 2, 6), 1) == Deadline(date(2027, 2, 9), False)  # entered holiday skipped
    assert deadline(date(2027, 5, 3), 5).provisional is False


def test_entered_days_override_the_package(db):
    workday(date(2025, 10, 8), name="国庆节", note="更正")
    holiday(date(2025, 10, 9), name="国庆节")
    holiday(date(2025, 10, 11), name="国庆节")  # cancels a package make-up Saturday
    assert is_working_day(date(2025, 10, 8))
    assert not is_working_day(date(2025, 10, 9))
    assert not is_working_day(date(2025, 10, 11))
    assert calendar.package_is_working_day(date(2025, 10, 9)) is True
    status = calendar.year_calendar(2025)
    assert status.source is Source.PACKAGE and status.entered_count == 3


def test_aware_datetimes_use_the_local_date(db):
    # 17:00 UTC on 30 September is already 1 October in Asia/Shanghai.
    assert not is_working_day(datetime(2025, 9, 30, 17, 0, tzinfo=UTC))
    assert is_working_day(datetime(2025, 9, 30, 12, 0, tzinfo=UTC))
    with pytest.raises(TypeError):
        is_working_day("2025-10-01")


def test_hundreds_of_deadlines_cost_at_most_one_query(db, django_assert_max_num_queries):
    holiday(date(2027, 2, 8))
    calendar.invalidate()
    starts = [date(2024, 1, 1) + timedelta(days=i * 3) for i in range(400)]
    with django_assert_max_num_queries(1):
        results = [deadline(start, n) for start in starts for n in (7, 15, 20)]
    assert len(results) == 1200


def test_saving_and_deleting_a_day_invalidates_the_cache(db, django_assert_num_queries):
    assert is_working_day(date(2027, 3, 1))
    with django_assert_num_queries(0):
        assert is_working_day(date(2027, 3, 2))
    day = holiday(date(2027, 3, 1), name="测试假日")
    assert not is_working_day(date(2027, 3, 1))
    day.kind = CalendarDay.Kind.WORKDAY
    day.save()
    assert is_working_day(date(2027, 3, 1))
    day.delete()
    assert is_provisional(2027)


def test_other_processes_reload_after_the_generation_changes(db, monkeypatch, django_capture_on_commit_callbacks):
    assert is_working_day(date(2027, 3, 1))
    # bulk_create sends no signals: this process keeps its cached year, as another process would.
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2027, 3, 1), kind="holiday", name="测试")])
    assert is_working_day(date(2027, 3, 1))
    before = cache.get(calendar.GENERATION_CACHE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        holiday(date(2027, 3, 2), name="测试")
    assert cache.get(calendar.GENERATION_CACHE_KEY) != before
    # Another process notices the new generation once its recheck interval has passed.
    calendar.invalidate()
    assert not is_working_day(date(2027, 3, 1))
    cache.set(calendar.GENERATION_CACHE_KEY, "changed-elsewhere", timeout=None)
    CalendarDay.objects.filter(date=date(2027, 3, 1)).update(kind="workday")
    assert not is_working_day(date(2027, 3, 1))
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    assert is_working_day(date(2027, 3, 1))
