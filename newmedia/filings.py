"""Filing (备案) of lifecycle steps: the supervisor receives each filed step, the cyberspace office a copy (抄送).

Both acknowledge it in their admin inbox; a filed step that either office has not acknowledged within
5 working days (the county's calendar, holidays included) is listed as overdue.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import UnitKind
from disclosure import calendar

from . import access
from .models import AccountEvent

FILING_WORKING_DAYS = 5


class FilingError(Exception):
    """A refused acknowledgement; the message is Chinese."""


def filings():
    return AccountEvent.objects.filter(filed=True).select_related("account", "account__unit", "user")


def inbox(user):
    """Filed steps this user's office has still to acknowledge (both offices' for a superuser)."""
    supervisor = access.is_supervisor(user)
    cyberspace = user.is_superuser or access.in_office(user, UnitKind.CYBERSPACE)
    query = Q(pk__in=[])
    if supervisor:
        query |= Q(supervisor_ack_at__isnull=True)
    if cyberspace:
        query |= Q(cyberspace_ack_at__isnull=True)
    return filings().filter(query)


def may_see_filings(user):
    return user.is_superuser or access.reads_all(user)


def may_acknowledge(user):
    return access.is_supervisor(user) or access.in_office(user, UnitKind.CYBERSPACE)


def acknowledge(event, user):
    """The user's office signs for the filing: the supervisor as 备案, the cyberspace office as 抄送."""
    if not event.filed:
        raise FilingError(_("该事项无须备案。"))
    now = timezone.now()
    done = False
    if access.is_supervisor(user) and event.supervisor_ack_at is None:
        event.supervisor_ack_by, event.supervisor_ack_at, done = user, now, True
    if (user.is_superuser or access.in_office(user, UnitKind.CYBERSPACE)) and event.cyberspace_ack_at is None:
        event.cyberspace_ack_by, event.cyberspace_ack_at, done = user, now, True
    if not done:
        if may_acknowledge(user):
            raise FilingError(_("本单位已签收该备案。"))
        raise FilingError(_("只有县政府办（备案）和县委网信办（抄送）可以签收备案。"))
    event.save(update_fields=["supervisor_ack_by", "supervisor_ack_at", "cyberspace_ack_by", "cyberspace_ack_at"])
    return event


def overdue(today=None):
    """Filed steps not acknowledged by both offices more than 5 working days after they happened."""
    today = today or timezone.localdate()
    pending = filings().filter(Q(supervisor_ack_at__isnull=True) | Q(cyberspace_ack_at__isnull=True))
    return [
        event
        for event in pending.order_by("created_at")
        if calendar.working_days_between(event.created_at, today) > FILING_WORKING_DAYS
    ]


def alert_forced_closure(account, event):
    """Tell the supervisor's staff that the account reached three provincial notices."""
    recipients = [u.email for u in access.office_members(UnitKind.SUPERVISOR) if u.email]
    if not recipients:
        return
    send_mail(
        f"{settings.EMAIL_SUBJECT_PREFIX}{_('政务新媒体账号应予强制关停')}",
        _("账号“%(account)s”（%(unit)s）已被省政府办公厅通报 %(count)d 次，应予强制关停。请在备案收件箱中签收处理。")
        % {"account": account, "unit": account.unit, "count": account.provincial_notice_count},
        None,
        recipients,
        fail_silently=True,
    )
