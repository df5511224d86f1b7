"""Password rotation of new-media accounts (article 30): the unit changes the platform password regularly and
whenever the 责任人 or 副责任人 leaves. Only the date of the change is recorded, never the password.

The period is ``NEWMEDIA_PASSWORD_MAX_AGE_DAYS`` (default 90 days); a hand-over marks the account at once.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cms.organisation.models import Membership, Role

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
        .select_related("unit", "responsible", "deputy", "other_platform")
        .order_by("unit__name", "platform", "name")
    )


def reachable(user):
    return user is not None and user.is_active and bool(user.email)


def reminder_recipients(account):
    """Who is told to change the password: the 责任人; once they have left (the hand-over stops their login),
    the 副责任人; failing both, the unit's 主要负责人, who also has a new 责任人 to name."""
    if reachable(account.responsible):
        return [account.responsible]
    if reachable(account.deputy):
        return [account.deputy]
    heads = Membership.objects.active().filter(unit=account.unit, role=Role.HEAD).select_related("user")
    return sorted({m.user for m in heads if reachable(m.user)}, key=lambda user: user.pk)
