"""The new-media account lifecycle (issue 14 §2): one state machine, every step recorded and, where the regulation
asks, filed (备案) to the supervisor and copied (抄送) to the cyberspace office.

    开设申请 applied --review_application (operator), submit_for_approval (supervisor), record_approval-->
        approved --record_national_registration--> registered --activate--> active
    active --request_change / approve_change--> active (renamed, new entity, new 责任人, new platform ID)
    active --start_closure--> closing (public notice) --deregister (after the notice)--> deregistered
    record_notice: a provincial notice on a live account; at three the account is flagged for forced closure.
    applied (submitted) --reject_application (资阳市政府办公室 refused)--> rejected
    applied, approved, registered --withdraw_application (unit head or offices)--> withdrawn
    rejected and withdrawn are final: the record stays as history, and the unit may apply again with a new
    application (``apply_for_opening``), which neither the one-per-platform check nor the name check holds up.

Every refusal raises ``LifecycleError`` with the Chinese message the admin shows. Filing, the offices' inbox
and the overdue list are in ``newmedia.filings``.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import UnitKind
from cms.organisation.people import person_name

from . import access, checks
from .filings import alert_forced_closure
from .models import (
    ENDED_APPLICATION_STATUSES,
    AccountEvent,
    AccountStatus,
    ChangeRequest,
    ChangeStatus,
    ClosureReason,
    EventKind,
    Platform,
)
from .models import NewMediaAccount as Account

FORCED_CLOSURE_NOTICES = 3
CHANGEABLE = {"name", "verified_entity", "responsible", "account_id"}
OPENING_DETAILS = {"account_id", "verified_entity", "purpose", "other_platform", "responsible", "deputy"}


class LifecycleError(Exception):
    """A refused step; ``str(error)`` is the Chinese reason for the user."""


def _refuse_unless(condition, message):
    if not condition:
        raise LifecycleError(message)


def _checked(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except checks.CheckError as error:
        raise LifecycleError(str(error)) from error


def _record(
    account, kind, user, *, to_status=None, filed=False, comment="", document_number="", document=None, **details
):
    event = AccountEvent(
        account=account,
        kind=kind,
        from_status=account.status,
        to_status=to_status or account.status,
        user=user,
        comment=comment,
        document_number=document_number,
        details={k: str(v) if isinstance(v, datetime.date) else v for k, v in details.items()},
        filed=filed,
    )
    if document:
        event.document = document
    event.save()
    if to_status:
        account.status = to_status
    return event


def _status(account, *allowed, message):
    _refuse_unless(account.status in allowed, message % {"status": account.get_status_display()})


@transaction.atomic
def apply_for_opening(unit, platform, name, user, justification, **details):
    """A unit applies to open an account; new accounts are the exception, never for one campaign or activity."""
    _refuse_unless(
        access.can_act_for_unit(user, unit), _("只有本单位人员或县政府办、电子政务外网管理办公室可以申请开设账号。")
    )
    _refuse_unless(justification and justification.strip(), _("请说明开设理由：新开设账号须确有必要。"))
    name = (name or "").strip()
    _refuse_unless(name, _("请填写账号名称。"))
    if platform != Platform.OTHER:
        details.pop("other_platform", None)
    other_platform = details.get("other_platform")
    _refuse_unless(
        platform != Platform.OTHER or other_platform is not None, _("平台选“其他”时，请从平台名录中选择平台。")
    )
    _refuse_unless(
        other_platform is None or other_platform.active,
        _("平台“%(platform)s”已在平台名录中停用，不能开设新账号。") % {"platform": other_platform},
    )
    _checked(checks.check_name, unit, name)
    _checked(checks.check_verified_entity, details.get("verified_entity"))
    _checked(checks.check_one_per_platform, unit, platform, other_platform)
    _refuse_unless(
        not _named(name, checks.platform_filter(platform, other_platform)).exists(),
        _("该平台已登记同名的政务新媒体账号。"),
    )
    unknown = set(details) - OPENING_DETAILS
    _refuse_unless(not unknown, _("无法登记的字段：%(fields)s。") % {"fields": "、".join(sorted(unknown))})
    account = Account.objects.create(
        unit=unit,
        platform=platform,
        name=name,
        justification=justification.strip(),
        status=AccountStatus.APPLIED,
        **details,
    )
    event = _record(account, EventKind.APPLIED, user, filed=True, comment=justification.strip())
    event.from_status = ""
    event.save(update_fields=["from_status"])
    return account


def _named(name, same_platform):
    """Accounts holding the name on the platform; an ended application holds none."""
    return Account.objects.filter(same_platform, name=name).exclude(status__in=ENDED_APPLICATION_STATUSES)


def _since_application(account, kind):
    """Whether a `kind` step was recorded after the account's latest application."""
    applied = account.events.filter(kind=EventKind.APPLIED).order_by("-created_at", "-pk").first()
    steps = account.events.filter(kind=kind)
    if applied is not None:
        steps = steps.filter(pk__gt=applied.pk)
    return steps.exists()


@transaction.atomic
def review_application(account, user, comment=""):
    """电子政务外网管理办公室 reviews the application before the supervisor submits it upward."""
    _refuse_unless(
        user.is_superuser or access.in_office(user, UnitKind.OPERATOR),
        _("开设申请由电子政务外网管理办公室审核。"),
    )
    _status(account, AccountStatus.APPLIED, message=_("账号当前状态为“%(status)s”，不能审核开设申请。"))
    _refuse_unless(not _since_application(account, EventKind.REVIEWED), _("该开设申请已审核。"))
    _record(account, EventKind.REVIEWED, user, comment=comment)
    return account


@transaction.atomic
def submit_for_approval(account, user, comment=""):
    """县政府办 submits the reviewed application to 资阳市政府办公室."""
    _refuse_unless(user.is_superuser or access.is_supervisor(user), _("开设申请由县政府办报资阳市政府办公室审批。"))
    _status(account, AccountStatus.APPLIED, message=_("账号当前状态为“%(status)s”，不能报批。"))
    _refuse_unless(
        _since_application(account, EventKind.REVIEWED), _("开设申请须先经电子政务外网管理办公室审核，方可报批。")
    )
    _refuse_unless(not _since_application(account, EventKind.SUBMITTED), _("该开设申请已报批。"))
    _record(account, EventKind.SUBMITTED, user, comment=comment)
    return account


def may_record_decision(user):
    """Who records 资阳市政府办公室's decision on an application: the supervisor or the operator."""
    return access.is_keeping_office(user)


def _check_decision(account, user, document_number, decided_on, decision):
    """A decision (批复 or 不予批准决定) is recorded by the offices, on a submitted application, with 文号 and date."""
    words = {"decision": decision, "status": account.get_status_display()}
    _refuse_unless(may_record_decision(user), _("%(decision)s只能由县政府办或电子政务外网管理办公室登记。") % words)
    _refuse_unless(
        account.status == AccountStatus.APPLIED, _("账号当前状态为“%(status)s”，不能登记%(decision)s。") % words
    )
    _refuse_unless(
        _since_application(account, EventKind.SUBMITTED),
        _("开设申请须经电子政务外网管理办公室审核、县政府办报批后，方可登记资阳市政府办公室的%(decision)s。") % words,
    )
    _refuse_unless((document_number or "").strip(), _("请填写资阳市政府办公室%(decision)s的文号。") % words)
    _refuse_unless(decided_on is not None, _("请填写%(decision)s的日期。") % words)


@transaction.atomic
def record_approval(account, user, document_number, approved_on, document=None, comment=""):
    """The 资阳市政府办公室 approval, recorded by the supervisor or the operator after the submission upward."""
    _check_decision(account, user, document_number, approved_on, _("批复"))
    account.approval_document_number = document_number.strip()
    account.approved_on = approved_on
    _record(
        account,
        EventKind.APPROVED,
        user,
        to_status=AccountStatus.APPROVED,
        document_number=account.approval_document_number,
        document=document,
        comment=comment,
        approved_on=approved_on,
    )
    account.save()
    return account


def may_withdraw(user, account):
    return access.is_unit_head(user, account.unit) or access.is_keeping_office(user)


@transaction.atomic
def reject_application(account, user, document_number, rejected_on, comment, document=None):
    """资阳市政府办公室 refuses the submitted application; recorded like its approval, and the application ends."""
    _check_decision(account, user, document_number, rejected_on, _("不予批准决定"))
    _refuse_unless((comment or "").strip(), _("请填写不予批准的理由。"))
    _record(
        account,
        EventKind.REJECTED,
        user,
        to_status=AccountStatus.REJECTED,
        filed=True,
        document_number=document_number.strip(),
        document=document,
        comment=comment.strip(),
        rejected_on=rejected_on,
    )
    account.save()
    return account


@transaction.atomic
def withdraw_application(account, user, reason):
    """The unit gives up the application (its head decides), or an office ends it; only before the account opens."""
    _refuse_unless(
        may_withdraw(user, account),
        _("撤回开设申请须由本单位主要负责人办理，或由县政府办、电子政务外网管理办公室办理。"),
    )
    _status(
        account,
        AccountStatus.APPLIED,
        AccountStatus.APPROVED,
        AccountStatus.REGISTERED,
        message=_("账号当前状态为“%(status)s”：只有开通前的开设申请可以撤回。"),
    )
    _refuse_unless((reason or "").strip(), _("请填写撤回开设申请的理由。"))
    _record(account, EventKind.WITHDRAWN, user, to_status=AccountStatus.WITHDRAWN, filed=True, comment=reason.strip())
    account.save()
    return account


@transaction.atomic
def record_national_registration(account, user, registered_on, comment=""):
    """The report to 全国政务新媒体信息报送系统, after the approval."""
    _refuse_unless(access.is_keeping_office(user), _("全国系统报送只能由县政府办或电子政务外网管理办公室登记。"))
    _status(
        account,
        AccountStatus.APPROVED,
        message=_("账号当前状态为“%(status)s”：须先登记资阳市政府办公室批复，再登记全国系统报送。"),
    )
    _refuse_unless(registered_on is not None, _("请填写报送日期。"))
    account.nationally_registered_on = registered_on
    _record(
        account,
        EventKind.REGISTERED,
        user,
        to_status=AccountStatus.REGISTERED,
        comment=comment,
        registered_on=registered_on,
    )
    account.save()
    return account


@transaction.atomic
def activate(account, user, opened_on=None, comment=""):
    """The account goes live; refused unless both the approval and the national registration are recorded."""
    _refuse_unless(access.can_act_for_unit(user, account.unit), _("只有本单位人员或县政府办可以登记账号开通。"))
    missing = []
    if not account.approval_document_number or account.approved_on is None:
        missing.append(_("资阳市政府办公室批复"))
    if account.nationally_registered_on is None:
        missing.append(_("全国政务新媒体信息报送系统报送"))
    _refuse_unless(
        not missing, _("严禁先开设账号后报批：尚未登记%(missing)s，不能开通。") % {"missing": "、".join(missing)}
    )
    _status(account, AccountStatus.REGISTERED, message=_("账号当前状态为“%(status)s”，不能开通。"))
    account.opened_on = opened_on or timezone.localdate()
    _record(
        account,
        EventKind.ACTIVATED,
        user,
        to_status=AccountStatus.ACTIVE,
        filed=True,
        comment=comment,
        opened_on=account.opened_on,
    )
    account.save()
    return account


def _describe(account, field, value):
    if field == "responsible":
        return person_name(value)
    return value


@transaction.atomic
def request_change(account, user, comment="", **changes):
    """A rename, new verified entity, new 责任人 or new platform ID, waiting for approval; the checks run now."""
    _refuse_unless(access.can_edit(user, account), _("只有本单位人员或县政府办可以申请变更该账号。"))
    _status(
        account,
        AccountStatus.APPLIED,
        AccountStatus.APPROVED,
        AccountStatus.REGISTERED,
        AccountStatus.ACTIVE,
        message=_("账号当前状态为“%(status)s”，不能申请变更。"),
    )
    unknown = set(changes) - CHANGEABLE
    _refuse_unless(not unknown, _("只能申请变更账号名称、认证主体、责任人或平台账号。"))
    changes = {k: v for k, v in changes.items() if v not in (None, "") and v != getattr(account, k)}
    _refuse_unless(changes, _("没有需要变更的内容。"))
    _refuse_unless(
        not account.change_requests.filter(status=ChangeStatus.PENDING).exists(),
        _("该账号已有待批准的变更申请，请等待批准后再申请。"),
    )
    _check_changes(account, changes)
    stored = {k: (v.pk if k == "responsible" else v) for k, v in changes.items()}
    change = ChangeRequest.objects.create(account=account, changes=stored, requested_by=user)
    _record(
        account,
        EventKind.CHANGE_REQUESTED,
        user,
        comment=comment,
        change=change.pk,
        **{k: _describe(account, k, v) for k, v in changes.items()},
    )
    return change


def _check_changes(account, changes):
    if "name" in changes:
        _checked(checks.check_name, account.unit, changes["name"])
        same_platform = checks.platform_filter(account.platform, account.other_platform)
        clash = _named(changes["name"], same_platform).exclude(pk=account.pk)
        _refuse_unless(not clash.exists(), _("该平台已登记同名的政务新媒体账号。"))
    if "verified_entity" in changes:
        _checked(checks.check_verified_entity, changes["verified_entity"])


@transaction.atomic
def approve_change(change, user, comment="", document_number=""):
    """The supervisor or the operator approves a change; the checks run again and the change is filed."""
    from django.contrib.auth import get_user_model

    _refuse_unless(access.is_keeping_office(user), _("变更只能由县政府办或电子政务外网管理办公室批准。"))
    _refuse_unless(change.status == ChangeStatus.PENDING, _("该变更申请已经处理。"))
    account = change.account
    _refuse_unless(
        account.status not in (AccountStatus.DEREGISTERED, *ENDED_APPLICATION_STATUSES),
        _("账号当前状态为“%(status)s”，不能批准变更。") % {"status": account.get_status_display()},
    )
    values = dict(change.changes)
    if "responsible" in values:
        values["responsible"] = get_user_model().objects.filter(pk=values["responsible"]).first()
        _refuse_unless(values["responsible"] is not None, _("申请中的责任人已不存在，请重新申请。"))
    _check_changes(account, values)
    before = {k: _describe(account, k, getattr(account, k)) for k in values}
    for field, value in values.items():
        setattr(account, field, value)
    change.status = ChangeStatus.APPROVED
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save()
    _record(
        account,
        EventKind.CHANGE_APPROVED,
        user,
        filed=True,
        comment=comment,
        document_number=document_number,
        change=change.pk,
        before=before,
        after={k: _describe(account, k, v) for k, v in values.items()},
    )
    account.save()
    return account


@transaction.atomic
def start_closure(account, user, reason, notice_start, notice_end, comment=""):
    """The unit's head closes the account for an article-9 reason; the notice period is public on the account."""
    _refuse_unless(access.is_unit_head(user, account.unit), _("关停账号须经本单位主要负责人批准，由主要负责人办理。"))
    _status(account, AccountStatus.ACTIVE, message=_("账号当前状态为“%(status)s”，不能启动关停。"))
    _refuse_unless(reason in ClosureReason.values, _("请选择第九条规定的关停理由。"))
    _refuse_unless(notice_start is not None and notice_end is not None, _("请填写关停公示的起止日期。"))
    _refuse_unless(notice_end >= notice_start, _("公示结束日期不能早于开始日期。"))
    account.closure_reason = reason
    account.notice_start, account.notice_end = notice_start, notice_end
    _record(
        account,
        EventKind.CLOSURE_STARTED,
        user,
        to_status=AccountStatus.CLOSING,
        filed=True,
        comment=comment,
        reason=reason,
        notice_start=notice_start,
        notice_end=notice_end,
    )
    account.save()
    return account


@transaction.atomic
def deregister(account, user, deregistered_on, comment=""):
    """Deregistration on the platform and in the national system, only once the notice period is over."""
    _refuse_unless(access.can_edit(user, account), _("只有本单位人员或县政府办可以登记注销。"))
    _status(account, AccountStatus.CLOSING, message=_("账号当前状态为“%(status)s”：须先经关停公示，才能注销。"))
    _refuse_unless(deregistered_on is not None, _("请填写注销日期。"))
    today = timezone.localdate()
    _refuse_unless(
        deregistered_on > account.notice_end and today > account.notice_end,
        _("关停公示至 %(end)s 结束，公示期内不得注销账号。") % {"end": account.notice_end.isoformat()},
    )
    _refuse_unless(deregistered_on <= today, _("注销日期不能晚于今天。"))
    account.deregistered_on = deregistered_on
    _record(
        account,
        EventKind.DEREGISTERED,
        user,
        to_status=AccountStatus.DEREGISTERED,
        filed=True,
        comment=comment,
        deregistered_on=deregistered_on,
    )
    account.save()
    return account


@transaction.atomic
def record_notice(account, user, notified_on, document, document_number="", comment=""):
    """A provincial notice (省政府办公厅通报); the third flags the account for forced closure and alerts the office."""
    _refuse_unless(access.is_keeping_office(user), _("通报只能由县政府办或电子政务外网管理办公室登记。"))
    _refuse_unless(account.status != AccountStatus.DEREGISTERED, _("账号已注销，不能登记通报。"))
    _refuse_unless(
        account.status not in ENDED_APPLICATION_STATUSES,
        _("账号当前状态为“%(status)s”，从未开通，不能登记通报。") % {"status": account.get_status_display()},
    )
    _refuse_unless(notified_on is not None, _("请填写通报日期。"))
    _refuse_unless(document or document_number, _("请上传通报文件或填写通报文号。"))
    account.provincial_notice_count += 1
    flagged = account.provincial_notice_count >= FORCED_CLOSURE_NOTICES and not account.forced_closure
    account.forced_closure = account.forced_closure or flagged
    event = _record(
        account,
        EventKind.NOTICE,
        user,
        filed=flagged,
        comment=comment,
        document_number=document_number,
        document=document,
        notified_on=notified_on,
        count=account.provincial_notice_count,
    )
    account.save()
    if flagged:
        transaction.on_commit(lambda: alert_forced_closure(account, event))
    return account
