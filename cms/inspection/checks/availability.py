"""Availability (站点无法访问): the share of probe visits that failed or took 15 seconds or more.

The window is the seven whole days before the inspection date, so that two runs on the same date agree
whatever the probes recorded since. 5% or more is the national veto line (累计超过（含）5%); 3% or more
warns while there is still time.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..findings import Finding, Kind, Severity, check
from ..probe_models import SLOW_SECONDS, ProbeResult
from ..veto import portal_url

WINDOW_DAYS = 7
VETO_PERCENT = 5
WARNING_PERCENT = 3


def window(as_of):
    """[start, end) of the seven days before `as_of`, in the site's time zone."""
    zone = timezone.get_default_timezone()
    end = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.min), zone)
    return end - datetime.timedelta(days=WINDOW_DAYS), end


def failed_visits():
    return Q(status__isnull=True) | Q(status__gte=400) | Q(elapsed__gte=SLOW_SECONDS) | ~Q(error="")


@check
def availability(context):
    if context.unit_code:
        return  # the portal as a whole, not any one unit's
    start, end = window(context.as_of)
    visits = ProbeResult.objects.filter(checked_at__gte=start, checked_at__lt=end)
    total = visits.count()
    period = _("%(start)s 至 %(end)s") % {
        "start": start.date().isoformat(),
        "end": (end - datetime.timedelta(days=1)).date().isoformat(),
    }
    rule = _("一周内打不开或超过 15 秒的访问达到 %(veto)s%%（%(warning)s%% 预警）") % {
        "veto": VETO_PERCENT,
        "warning": WARNING_PERCENT,
    }
    if total == 0:
        yield Finding(
            kind=Kind.AVAILABILITY,
            unit="",
            object=portal_url(),
            detail=_("%(period)s 没有可用性监测记录，无法计算网站可用性；请确认 probe_site 已按计划运行。")
            % {"period": period},
            severity=Severity.FINDING,
            rule=rule,
            data={"total": 0, "failed": 0},
        )
        return
    failed = visits.filter(failed_visits()).count()
    # Whole-number comparison: 5 of 100 is exactly 5%, with no floating-point rounding at the line.
    if failed * 100 >= VETO_PERCENT * total:
        severity = Severity.VETO
    elif failed * 100 >= WARNING_PERCENT * total:
        severity = Severity.WARNING
    else:
        return
    yield Finding(
        kind=Kind.AVAILABILITY,
        unit="",
        object=portal_url(),
        detail=_("%(period)s 共监测 %(total)s 次，打不开或超过 15 秒 %(failed)s 次，占 %(share).1f%%。")
        % {"period": period, "total": total, "failed": failed, "share": failed * 100 / total},
        severity=severity,
        rule=rule,
        data={"total": total, "failed": failed, "start": start.isoformat(), "end": end.isoformat()},
    )
