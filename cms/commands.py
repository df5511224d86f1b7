"""Small helpers shared by the project's management commands."""

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def parse_date(value):
    """An ISO date from the command line, or a CommandError in Chinese."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("日期格式应为 YYYY-MM-DD，例如 2025-01-31：%(value)s") % {"value": value}) from error
