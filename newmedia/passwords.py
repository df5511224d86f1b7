"""Password rotation of new-media accounts (article 30): the unit changes the platform password regularly and
whenever the 责任人 or 副责任人 leaves. Only the date of the change is recorded, never the password.

The period is ``NEWMEDIA_PASSWORD_MAX_AGE_DAYS`` (default 90 days); a hand-over marks the account at once.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import AccountStatus, NewMediaAccount

DEFAULT_MAX_AGE_DAYS = 90


def max_age_days():
    return getattr(settings, "NEWMEDIA_PASSWORD_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS)


def due_for_change(now=None, days=None):
    """Live accounts whose password was last changed longer ago than the period, never recorded, or marked."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days if days is not None else max_age_days())
    return (
        NewMediaAccount.objects.filter(status__in=[AccountStatus.ACTIVE, AccountStatus.CLOSING])
        .filter(
            Q(password_change_required=True)
            | Q(password_changed_at__lt=cutoff)
            | Q(password_changed_at__isnull=True, opened_on__lt=cutoff.date())
        )
        .select_related("unit", "responsible", "other_platform")
        .order_by("unit__name", "platform", "name")
    )
