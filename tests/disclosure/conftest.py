import pytest

from disclosure import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts and ends with an empty calendar cache.

    Test transactions roll back without sending delete signals, so a year cached in one test
    would otherwise carry another test's CalendarDay rows.
    """
    calendar.invalidate()
    yield
    calendar.invalidate()
