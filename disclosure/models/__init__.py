"""Disclosure models, one module per concern; import them from `disclosure.models`."""

from .calendar_days import CalendarDay

__all__ = ["CalendarDay"]
