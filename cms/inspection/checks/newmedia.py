"""New-media checks: update monitoring, filings left unacknowledged, duplicate accounts, notices.

Every state comes from ``newmedia`` itself (monitoring.staleness, filings.overdue, checks.duplicate_accounts,
the lifecycle's notice count), judged on the inspection's date.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from newmedia import checks as account_checks
from newmedia import filings, monitoring
from newmedia.lifecycle import FORCED_CLOSURE_NOTICES
from newmedia.models import AccountStatus, NewMediaAccount

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url, code_of, in_scope, unit_filter


def account_url(account):
    return admin_url("newmedia_accounts:inspect", account.pk)


def _accounts(context):
    return NewMediaAccount.objects.filter(**unit_filter(context, "unit")).select_related("unit", "other_platform")


def _last_post(account):
    if account.last_updated_at is not None:
        return _("最近发文 %(date)s") % {"date": timezone.localdate(account.last_updated_at).isoformat()}
    if account.opened_on is not None:
        return _("开通（%(date)s）以来未发文") % {"date": account.opened_on.isoformat()}
    return _("从未发文，开通日期不详")


@check
def newmedia_stale(context):
    rule = _("政务新媒体 %(days)s 天未更新") % {"days": monitoring.stale_days()}
    for account in _accounts(context).filter(status=AccountStatus.ACTIVE):
        level = monitoring.staleness(account, context.as_of)
        if level == monitoring.OK:
            continue
        days = monitoring.days_since_post(account, context.as_of)
        limit = monitoring.stale_days() if level == monitoring.STALE else monitoring.warning_days()
        yield Finding(
            kind=Kind.NEWMEDIA_STALE,
            unit=code_of(account.unit),
            object=account_url(account),
            detail=_("%(account)s：%(last)s，已 %(days)s 天未更新（%(label)s，%(limit)s 天）。")
            % {
                "account": account,
                "last": _last_post(account),
                "days": "?" if days is None else days,
                "label": monitoring.LABELS[level],
                "limit": limit,
            },
            severity=Severity.FINDING if level == monitoring.STALE else Severity.WARNING,
            rule=rule,
            data={"days": days, "account": account.pk},
        )


def _missing_offices(event):
    missing = []
    if event.supervisor_ack_at is None:
        missing.append(_("县政府办（备案）"))
    if event.cyberspace_ack_at is None:
        missing.append(_("县委网信办（抄送）"))
    return "、".join(missing)


@check
def newmedia_unfiled(context):
    rule = _("新媒体变更 %(days)s 个工作日内备案") % {"days": filings.FILING_WORKING_DAYS}
    for event in filings.overdue(context.as_of):
        code = code_of(event.account.unit)
        if not in_scope(context, code):
            continue
        yield Finding(
            kind=Kind.NEWMEDIA_UNFILED,
            unit=code,
            object=f"{account_url(event.account)}#event-{event.pk}",
            detail=_("%(account)s 的“%(step)s”（%(date)s）超过 %(days)s 个工作日未完成备案：%(offices)s未签收。")
            % {
                "account": event.account,
                "step": event.get_kind_display(),
                "date": timezone.localdate(event.created_at).isoformat(),
                "days": filings.FILING_WORKING_DAYS,
                "offices": _missing_offices(event),
            },
            severity=Severity.FINDING,
            rule=rule,
            data={"event": event.pk},
        )


@check
def newmedia_duplicate(context):
    for group in account_checks.duplicate_accounts(_accounts(context)):
        first = group[0]
        yield Finding(
            kind=Kind.NEWMEDIA_DUPLICATE,
            unit=code_of(first.unit),
            object=account_url(first),
            detail=_("%(unit)s在%(platform)s有 %(count)s 个账号（%(names)s），未经批准列为例外。")
            % {
                "unit": first.unit.display_name,
                "platform": first.platform_label,
                "count": len(group),
                "names": "、".join(f"“{account.name}”" for account in group),
            },
            severity=Severity.FINDING,
            rule=_("同一单位同一平台只开设一个账号"),
            data={"accounts": [account.pk for account in group]},
        )


@check
def newmedia_notices(context):
    accounts = _accounts(context)
    for account in accounts.filter(provincial_notice_count__gte=FORCED_CLOSURE_NOTICES).exclude(
        status=AccountStatus.DEREGISTERED
    ):
        yield Finding(
            kind=Kind.NEWMEDIA_NOTICES,
            unit=code_of(account.unit),
            object=account_url(account),
            detail=_("%(account)s 已被省政府办公厅通报 %(count)s 次，应予强制关停，仍为“%(status)s”。")
            % {"account": account, "count": account.provincial_notice_count, "status": account.get_status_display()},
            severity=Severity.FINDING,
            rule=_("通报 %(count)s 次强制关停") % {"count": FORCED_CLOSURE_NOTICES},
            data={"notices": account.provincial_notice_count},
        )
    for account in accounts.filter(status=AccountStatus.CLOSING, notice_end__lt=context.as_of):
        yield Finding(
            kind=Kind.NEWMEDIA_NOTICES,
            unit=code_of(account.unit),
            object=f"{account_url(account)}#closure",
            detail=_("%(account)s 关停公示已于 %(end)s 结束（%(days)s 天前），仍未注销。")
            % {
                "account": account,
                "end": account.notice_end.isoformat(),
                "days": (context.as_of - account.notice_end).days,
            },
            severity=Severity.FINDING,
            rule=_("关停公示期满后注销"),
            data={"notice_end": account.notice_end.isoformat()},
        )
