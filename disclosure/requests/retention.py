"""How long applicants' personal data is kept, and its erasure afterwards (purge_personal_data).

A request closed longer ago than ``DISCLOSURE_REQUEST_RETENTION_DAYS`` loses everything that identifies or
describes the applicant; the record itself stays with its receipt number, dates, applicant category, outcome
and handling events, because the annual report counts them for every year it covers. Open requests are
never touched.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cms.security import audit
from cms.security.retention import PurgeResult, RetentionError, RetentionPeriod  # noqa: F401 - the commands' API

from .models import ConsultationPeriod, DisclosureRequest, RequestEvent

# Three years after the reply: well past the 60 days for 行政复议 and the six months for 行政诉讼 against the
# reply, with room for proceedings that run late. Deployments whose records rules differ set the setting.
DEFAULT_RETENTION_DAYS = 3 * 365

# Identity, contact details and the free text the applicant wrote (it often names them or their property).
ERASED_FIELDS = ("name", "id_number", "contact_person", "phone", "email", "address", "description", "purpose")
# Staff-written text addressed to or about the applicant, which may quote them.
ERASED_STAFF_NOTES = ("supplement_note", "extension_reason", "reply_note")


PERIOD = RetentionPeriod(
    "DISCLOSURE_REQUEST_RETENTION_DAYS",
    DEFAULT_RETENTION_DAYS,
    gettext_lazy("申请人个人信息须在办结后保存%(days)d天：截止日期不能晚于 %(cutoff)s。"),
)
retention_days = PERIOD.days
latest_allowed_cutoff = PERIOD.latest_allowed_cutoff
check_cutoff = PERIOD.check_cutoff


def purgeable(before):
    return DisclosureRequest.objects.purgeable(before).order_by("answered_on", "pk")


def purge(before):
    """Erase the personal data of every request answered before `before`.

    One transaction and one audit entry per run. Reply documents name the applicant, so they are deleted
    from storage, but only after the commit: a rolled-back purge must not have lost them already.
    """
    check_cutoff(before)
    now = timezone.now()
    storage = DisclosureRequest._meta.get_field("reply_document").storage
    with transaction.atomic():
        items = list(purgeable(before).select_for_update())
        files = [item.reply_document.name for item in items if item.reply_document]
        ids = [item.pk for item in items]
        for item in items:
            for field in (*ERASED_FIELDS, *ERASED_STAFF_NOTES):
                setattr(item, field, "")
            item.reply_document = ""
            item.personal_data_purged_at = now
            item.save(update_fields=[*ERASED_FIELDS, *ERASED_STAFF_NOTES, "reply_document", "personal_data_purged_at"])
        # Event notes and consulted third parties are free text that can name the applicant or another person;
        # the events themselves (who, what, when) stay as the handling record.
        RequestEvent.objects.filter(request_id__in=ids).update(note="")
        ConsultationPeriod.objects.filter(request_id__in=ids).update(third_party="")
        audit.record(
            "personal_data.purge",
            detail=gettext("按保存期限清除%(count)d件依申请公开申请的个人信息（答复日期早于 %(before)s）")
            % {"count": len(items), "before": before.isoformat()},
            data={
                "ids": ids,
                "receipt_numbers": [item.receipt_number for item in items],
                "before": before.isoformat(),
                "retention_days": retention_days(),
                "reply_documents": len(files),
            },
        )
    return PurgeResult(items).delete_files((storage, name) for name in files)
