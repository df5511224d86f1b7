"""How long letter writers' personal data is kept, and its erasure afterwards (purge_letter_personal_data).

A letter closed (answered or refused) longer ago than ``LETTER_RETENTION_DAYS`` loses its writer's name,
mobile, e-mail, attachments and the staff's notes about them; the letter stays with its receipt number,
dates, type, content, reply, unit and handling events (who, what, when), because the statistics and the
inspections count them. Open letters are never touched.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cms.security import audit
from cms.security.retention import PurgeResult, RetentionError, RetentionPeriod  # noqa: F401 - the commands' API

from ..models.letters import LetterStatus, Message, MessageAction, MessageAttachment, MessageEvent

# Three years after the reply, as for requests for disclosure: room for complaints and reviews about the
# handling, and for the annual assessments that look back at a year's letters.
DEFAULT_RETENTION_DAYS = 3 * 365
ERASED_FIELDS = ("name", "mobile", "email")
# Staff-written text addressed to or about the writer, which may quote or name them.
ERASED_STAFF_NOTES = ("refusal_note",)


PERIOD = RetentionPeriod(
    "LETTER_RETENTION_DAYS",
    DEFAULT_RETENTION_DAYS,
    gettext_lazy("写信人个人信息须在办结后保存%(days)d天：截止日期不能晚于 %(cutoff)s。"),
)
retention_days = PERIOD.days
latest_allowed_cutoff = PERIOD.latest_allowed_cutoff
check_cutoff = PERIOD.check_cutoff


def purgeable(before):
    start = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    refused_before = MessageEvent.objects.filter(message=OuterRef("pk"), action=MessageAction.REFUSED, at__lt=start)
    return (
        Message.objects.filter(personal_data_purged_at__isnull=True)
        .filter(
            Q(status=LetterStatus.CLOSED, replied_at__lt=start) | Q(Exists(refused_before), status=LetterStatus.REFUSED)
        )
        .order_by("submitted_at", "pk")
    )


def purge(before):
    """Erase the writers' personal data of every letter closed before `before`; one audit entry per run.

    Attachment files are deleted after the commit: a rolled-back purge must not have lost them already.
    """
    check_cutoff(before)
    now = timezone.now()
    with transaction.atomic():
        letters = list(purgeable(before).select_for_update())
        ids = [letter.pk for letter in letters]
        attachments = MessageAttachment.objects.filter(message_id__in=ids)
        files = [(a.file.storage, a.file.name) for a in attachments if a.file]
        attachments.delete()
        # Event comments are free text that can name the writer; the events themselves (who, what, when) stay.
        MessageEvent.objects.filter(message_id__in=ids).update(comment="")
        for letter in letters:
            for name in (*ERASED_FIELDS, *ERASED_STAFF_NOTES):
                setattr(letter, name, "")
            letter.show_name = False
            letter.personal_data_purged_at = now
            letter.save(update_fields=[*ERASED_FIELDS, *ERASED_STAFF_NOTES, "show_name", "personal_data_purged_at"])
            MessageEvent.objects.create(message=letter, action=MessageAction.PURGED, unit=letter.handling_unit)
        audit.record(
            "personal_data.purge",
            detail=gettext("按保存期限清除%(count)d件留言的写信人个人信息（办结日期早于 %(before)s）")
            % {"count": len(letters), "before": before.isoformat()},
            data={
                "ids": ids,
                "receipt_numbers": [letter.receipt_number for letter in letters],
                "before": before.isoformat(),
                "retention_days": retention_days(),
                "attachments": len(files),
            },
        )
    return PurgeResult(letters).delete_files(files)
