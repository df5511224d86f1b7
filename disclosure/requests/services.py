"""State changes of a request for disclosure. Each one checks the statutory rules, saves, and logs
who did it and when; a refusal raises RequestError with the Chinese message shown to staff.

Callers check *access* (access.can_access) before calling; these functions check the rules.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.statutory import WithholdingReason

from . import access
from .choices import OPEN_STATUSES, OUTCOME_REASONS, EventAction, Outcome, OutcomeReason, Status
from .clock import MAX_EXTENSION_DAYS, effective_receipt, supplement_notice_deadline
from .models import ConsultationPeriod, DisclosureRequest, RequestEvent


class RequestError(Exception):
    pass


def _date_text(d):
    return d.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")


def _log(request, action, user, on=None, note=""):
    RequestEvent.objects.create(request=request, action=action, actor=user, effective_on=on, note=note)


def _check_date(on, not_before, label):
    if on > timezone.localdate():
        raise RequestError(_("%(label)s不能晚于今天。") % {"label": label})
    if on < not_before:
        raise RequestError(_("%(label)s不能早于%(date)s。") % {"label": label, "date": _date_text(not_before)})


def _require_status(request, *statuses):
    if request.status not in statuses:
        raise RequestError(_("申请当前状态为“%(status)s”，不能执行此操作。") % {"status": request.get_status_display()})


def submit(request: DisclosureRequest):
    """Save a new request from the public form; returns the query code to show the applicant.

    The request goes straight to the agency the applicant addressed it to, so that unit's staff see it
    at once; intake staff can still transfer it elsewhere (assign).
    """
    request.received_on = timezone.localdate(request.submitted_at)
    request.clock_start = effective_receipt(request.received_on)
    request.status = Status.RECEIVED
    request.handling_unit = request.agency
    with transaction.atomic():
        secret = request.issue_receipt()
        request.save()
        _log(request, EventAction.SUBMITTED, None, request.received_on)
        if request.agency_id:
            _log(
                request,
                EventAction.ASSIGNED,
                None,
                request.received_on,
                _("按申请人选择转至%(unit)s") % {"unit": request.agency},
            )
    return secret


@transaction.atomic
def assign(request, user, unit, note=""):
    if not access.is_intake(user):
        raise RequestError(_("只有政府信息公开工作机构的受理人员可以分办申请。"))
    _require_status(request, *OPEN_STATUSES)
    if not unit.active:
        raise RequestError(_("“%(unit)s”已停用，不能承办申请。") % {"unit": unit})
    request.handling_unit = unit
    request.save(update_fields=["handling_unit"])
    _log(request, EventAction.ASSIGNED, user, timezone.localdate(), note or str(unit))


def accepted_since_assignment(request):
    """Whether the handling unit has signed for the request since it was last assigned."""
    last = request.events.filter(action__in=[EventAction.ASSIGNED, EventAction.ACCEPTED]).order_by("at", "pk").last()
    return last is not None and last.action == EventAction.ACCEPTED


@transaction.atomic
def accept(request, user):
    """The handling unit signs for the request (签收): from now on the applicant sees it as 办理中."""
    _require_status(request, *OPEN_STATUSES)
    if not request.handling_unit_id:
        raise RequestError(_("申请尚未分办，不能签收。"))
    if not (user.is_superuser or request.handling_unit_id in access.handling_unit_ids(user)):
        raise RequestError(_("只有承办单位的人员可以签收申请。"))
    if accepted_since_assignment(request):
        raise RequestError(_("承办单位已签收本申请。"))
    _log(request, EventAction.ACCEPTED, user, timezone.localdate(), str(request.handling_unit))


@transaction.atomic
def request_supplement(request, user, on, note):
    _require_status(request, Status.RECEIVED)
    if request.supplement_requested_on:
        raise RequestError(_("补正应一次性告知，本申请已告知过补正。"))
    if request.extension_days or request.consultations.exists():
        raise RequestError(_("已延期或已征求第三方意见的申请不能再告知补正。"))
    if not note.strip():
        raise RequestError(_("请写明需要补正的事项和合理的补正期限。"))
    _check_date(on, request.received_on, _("告知补正日期"))
    due = supplement_notice_deadline(request).due
    if on > due:
        raise RequestError(
            _("补正应在收到申请之日起7个工作日内告知（截止%(date)s），已超过期限，不能再要求补正。")
            % {"date": _date_text(due)}
        )
    request.status = Status.SUPPLEMENT
    request.supplement_requested_on = on
    request.supplement_note = note
    request.save(update_fields=["status", "supplement_requested_on", "supplement_note"])
    _log(request, EventAction.SUPPLEMENT_REQUESTED, user, on, note)


@transaction.atomic
def receive_supplement(request, user, on, note=""):
    """The clock restarts: the 20 working days count afresh from the supplement's receipt."""
    _require_status(request, Status.SUPPLEMENT)
    _check_date(on, request.supplement_requested_on, _("收到补正日期"))
    request.status = Status.RECEIVED
    request.supplement_received_on = on
    request.clock_start = effective_receipt(on)
    request.save(update_fields=["status", "supplement_received_on", "clock_start"])
    _log(request, EventAction.SUPPLEMENT_RECEIVED, user, on, note)


@transaction.atomic
def start_consultation(request, user, on, third_party):
    _require_status(request, Status.RECEIVED)
    if not third_party.strip():
        raise RequestError(_("请填写被征求意见的第三方。"))
    _check_date(on, request.clock_start, _("发出征求意见日期"))
    ConsultationPeriod.objects.create(request=request, third_party=third_party.strip(), started_on=on)
    request.status = Status.CONSULTING
    request.save(update_fields=["status"])
    _log(request, EventAction.CONSULTATION_STARTED, user, on, third_party)


@transaction.atomic
def end_consultation(request, user, on, note=""):
    _require_status(request, Status.CONSULTING)
    consultation = request.consultations.filter(ended_on__isnull=True).get()
    _check_date(on, consultation.started_on, _("征询结束日期"))
    consultation.ended_on = on
    consultation.save(update_fields=["ended_on"])
    request.status = Status.RECEIVED
    request.save(update_fields=["status"])
    _log(request, EventAction.CONSULTATION_ENDED, user, on, note)


@transaction.atomic
def approve_extension(request, user, on, days, reason):
    _require_status(request, Status.RECEIVED, Status.CONSULTING)
    if not access.can_approve_extension(user, request):
        raise RequestError(_("延期答复须经承办单位主要负责人同意，您不是该单位的主要负责人。"))
    if request.extension_days:
        raise RequestError(_("答复期限只能延长一次，本申请已延期。"))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise RequestError(_("延长的期限应为1至20个工作日。"))
    if not reason.strip():
        raise RequestError(_("请填写延期理由，以便告知申请人。"))
    _check_date(on, request.clock_start, _("延期批准日期"))
    due = request.clock.due.due
    if on > due:
        raise RequestError(_("答复期限已于%(date)s届满，不能再延期。") % {"date": _date_text(due)})
    request.extension_days = days
    request.extension_reason = reason
    request.extension_approved_on = on
    request.extension_approved_by = user
    request.save(update_fields=["extension_days", "extension_reason", "extension_approved_on", "extension_approved_by"])
    _log(
        request,
        EventAction.EXTENDED,
        user,
        on,
        _("延长%(days)d个工作日：%(reason)s") % {"days": days, "reason": reason},
    )


def validate_outcome(outcome, withholding_reason, outcome_reason):
    """Every reply type except 予以公开 and 部分公开 names the annual report row it belongs to."""
    if outcome not in Outcome.values:
        raise RequestError(_("请选择答复类型。"))
    if outcome == Outcome.WITHHELD:
        if withholding_reason not in WithholdingReason.values:
            raise RequestError(_("不予公开必须选择条例规定的不予公开理由。"))
        if outcome_reason:
            raise RequestError(_("不予公开只需选择不予公开理由，不应再选择其他具体情形。"))
        return
    if withholding_reason:
        raise RequestError(_("只有“不予公开”才能选择不予公开理由。"))
    allowed = OUTCOME_REASONS.get(outcome, ())
    if allowed and outcome_reason not in allowed:
        raise RequestError(
            _("“%(outcome)s”必须选择具体情形：%(choices)s。")
            % {"outcome": Outcome(outcome).label, "choices": "、".join(str(r.label) for r in allowed)}
        )
    if not allowed and outcome_reason:
        raise RequestError(_("“%(outcome)s”不需要选择具体情形。") % {"outcome": Outcome(outcome).label})


@transaction.atomic
def answer(request, user, on, outcome, document, withholding_reason="", outcome_reason="", note=""):
    _require_status(request, *OPEN_STATUSES)
    if not request.handling_unit_id:
        raise RequestError(_("请先将申请分办到承办单位。"))
    validate_outcome(outcome, withholding_reason, outcome_reason)
    if request.status == Status.SUPPLEMENT and outcome_reason != OutcomeReason.NO_SUPPLEMENT:
        raise RequestError(_("申请人尚未补正，只能以“申请人无正当理由逾期不补正”作出处理。"))
    if outcome_reason == OutcomeReason.NO_SUPPLEMENT and request.status != Status.SUPPLEMENT:
        raise RequestError(_("只有已告知补正且申请人未补正的申请才能以“逾期不补正”处理。"))
    if not document:
        raise RequestError(_("请上传答复书。"))
    _check_date(on, request.received_on, _("答复日期"))
    if request.status == Status.CONSULTING:
        request.consultations.filter(ended_on__isnull=True).update(ended_on=on)
    request.status = Status.ANSWERED
    request.outcome = outcome
    request.withholding_reason = withholding_reason if outcome == Outcome.WITHHELD else ""
    request.outcome_reason = outcome_reason
    request.answered_on = on
    request.reply_document = document
    request.reply_note = note
    request.save()
    label = Outcome(outcome).label
    detail = (
        WithholdingReason(withholding_reason).label
        if withholding_reason
        else (OutcomeReason(outcome_reason).label if outcome_reason else "")
    )
    _log(request, EventAction.ANSWERED, user, on, f"{label}（{detail}）" if detail else str(label))


@transaction.atomic
def archive(request, user):
    _require_status(request, Status.ANSWERED)
    request.status = Status.ARCHIVED
    request.archived_on = timezone.localdate()
    request.save(update_fields=["status", "archived_on"])
    _log(request, EventAction.ARCHIVED, user, request.archived_on)
