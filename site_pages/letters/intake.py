"""Receiving a letter from the public, looking it up by its query code, and the writer's rating of the reply.

A letter is stored whatever it says: text is kept as typed and escaped when shown. Letters whose subject or
content trip a blocking content check (sensitive terms, secret markings, commercial links) are held for an
intake officer to screen; the writer is never told which term was found.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import calendar
from disclosure.requests.models import canonical_query_code, hash_secret, new_query_code
from workflows.checks import mask_name, mask_personal_data, scan_text

from ..models.letters import LetterStatus, Message, MessageAction, MessageAttachment, MessageEvent

RECEIPT_PREFIX = "LY"
RATING_WORKING_DAYS = 20
# Personal data in a letter is expected (writers give their own numbers); it is masked on publication.
NOT_HELD_CATEGORIES = {"personal_data"}


class RatingError(Exception):
    """A refused rating; the message is shown to the writer."""


def new_submission_token():
    return secrets.token_urlsafe(32)


def screening_findings(subject, content):
    """The blocking findings in what the writer typed, as stored JSON (for the screening officer only)."""
    findings = []
    for field, text in (("subject", subject), ("content", content)):
        for finding in scan_text(text):
            if finding.blocks_publication and finding.category not in NOT_HELD_CATEGORIES:
                findings.append({**finding.to_dict(), "field": field})
    return findings


def receipt_number(message):
    # Derived from the primary key, so two letters saved at the same moment can never share a number.
    return f"{RECEIPT_PREFIX}{timezone.localdate(message.submitted_at):%Y}{message.pk:06d}"


def receive(board, data, files, token):
    """Store one letter; returns (message, query code or None, created).

    `data` holds the form's cleaned fields, `files` the checked uploads. The same `token` twice returns the
    first letter without a query code (it is stored only as a hash), so a double submission creates one letter.
    """
    existing = Message.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing, None, False
    code = new_query_code()
    findings = screening_findings(data["subject"], data["content"])
    try:
        with transaction.atomic():
            message = Message.objects.create(
                board=board,
                # A placeholder that is unique until the primary key gives the real number below.
                receipt_number=f"T{secrets.token_hex(9)}",
                query_code_hash=hash_secret(code),
                submission_token=token,
                handling_unit=board.default_unit,
                held_for_screening=bool(findings),
                screening_findings=findings,
                **data,
            )
            message.receipt_number = receipt_number(message)
            Message.objects.filter(pk=message.pk).update(receipt_number=message.receipt_number)
            for upload in files:
                MessageAttachment.objects.create(
                    message=message, file=upload, original_name=upload.name[:200], size=upload.size
                )
            MessageEvent.objects.create(message=message, action=MessageAction.SUBMITTED, unit=board.default_unit)
            if findings:
                MessageEvent.objects.create(
                    message=message,
                    action=MessageAction.HELD,
                    unit=board.default_unit,
                    comment=_("自动检查发现%(n)d处须甄别的内容。") % {"n": len(findings)},
                )
    except IntegrityError:
        # The same form posted twice at once: the other request stored it first.
        return Message.objects.get(submission_token=token), None, False
    return message, code, True


def find_by_code(board, number, code):
    """The board's letter with this receipt number and query code, or None."""
    message = Message.objects.filter(board=board, receipt_number=number.strip().upper()).first()
    if message is None or not secrets.compare_digest(message.query_code_hash, hash_secret(canonical_query_code(code))):
        return None
    return message


def published_letters(board, query=""):
    """What the public may read: closed, published, with the writer's consent, on a board that publishes."""
    if not board.publish_letters:
        return Message.objects.none()
    letters = Message.objects.filter(
        board=board, status=LetterStatus.CLOSED, published=True, consent_to_publish=True
    ).select_related("reply_unit")
    query = query.strip()
    if query:
        letters = letters.filter(
            Q(subject__icontains=query) | Q(content__icontains=query) | Q(receipt_number__iexact=query)
        )
    return letters.order_by("-replied_at", "-pk")


class MaskedLetter:
    """A published letter as the public sees it: personal data masked, the writer's name reduced or withheld."""

    def __init__(self, message):
        self.message = message
        self.pk = message.pk
        self.receipt_number = message.receipt_number
        self.letter_type = message.get_letter_type_display()
        self.subject = mask_personal_data(message.subject)
        self.content = mask_personal_data(message.content)
        self.reply_text = mask_personal_data(message.reply_text)
        self.writer = mask_name(message.name) if message.show_name else _("匿名")
        self.submitted_at = message.submitted_at
        self.replied_at = message.replied_at
        self.reply_unit = message.reply_unit
        self.satisfaction = message.get_satisfaction_display()


def rating_deadline(message):
    """The last day the writer may rate the reply: 20 working days after it was given."""
    if message.replied_at is None:
        return None
    return calendar.add_working_days(timezone.localdate(message.replied_at), RATING_WORKING_DAYS)


def can_rate(message, today=None):
    deadline = rating_deadline(message)
    return (
        message.status == LetterStatus.CLOSED
        and not message.satisfaction
        and deadline is not None
        and (today or timezone.localdate()) <= deadline
    )


def rate(message, satisfaction, today=None):
    """Record the writer's one rating of the reply (满意, 基本满意, 不满意) within 20 working days."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != LetterStatus.CLOSED or message.replied_at is None:
            raise RatingError(_("留言尚未答复，答复后才能评价。"))
        if message.satisfaction:
            raise RatingError(_("您已评价过本次答复，每条留言只能评价一次。"))
        if (today or timezone.localdate()) > rating_deadline(message):
            raise RatingError(_("评价期限已过：答复后%(n)d个工作日内可以评价。") % {"n": RATING_WORKING_DAYS})
        message.satisfaction = satisfaction
        message.rated_at = timezone.now()
        message.save(update_fields=["satisfaction", "rated_at"])
        MessageEvent.objects.create(
            message=message, action=MessageAction.RATED, comment=message.get_satisfaction_display()
        )
    return message
