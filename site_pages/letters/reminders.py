"""The daily reminder to units about their letters in 预警 or later (send_letter_reminders, run by cron).

Each unit with such letters gets one e-mail a day, to every active member holding a role there who has an
address; the day's reminder is remembered (LetterReminder), so running the command twice sends nothing new.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Membership

from ..models.letter_replies import LetterReminder
from ..models.letters import OPEN_STATUSES, Message
from .clock import Level, letter_clock


@dataclass
class ReminderRun:
    mailed: list = field(default_factory=list)  # (unit, letters)
    already: list = field(default_factory=list)
    unreachable: list = field(default_factory=list)


def letters_needing_attention(today):
    """{unit: [(letter, clock), ...]} for open letters past their warning line or three months old."""
    found = defaultdict(list)
    letters = Message.objects.filter(status__in=OPEN_STATUSES, handling_unit__isnull=False).select_related(
        "board", "handling_unit"
    )
    for message in letters.order_by("submitted_at", "pk"):
        clock = letter_clock(message, today)
        if clock and (clock.level != Level.NORMAL or clock.severely_overdue):
            found[message.handling_unit].append((message, clock))
    return found


def describe(message, clock):
    level = str(clock.level_label) + (_("，严重超期") if clock.severely_overdue else "")
    return _("%(number)s《%(subject)s》：%(level)s，答复期限 %(due)s") % {
        "number": message.receipt_number,
        "subject": message.subject,
        "level": level,
        "due": clock.due.isoformat(),
    }


def send(today=None):
    today = today or timezone.localdate()
    run = ReminderRun()
    for unit, rows in sorted(letters_needing_attention(today).items(), key=lambda item: item[0].pk):
        emails = sorted(
            set(
                Membership.objects.active()
                .filter(unit=unit)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
        if not emails:
            run.unreachable.append(unit)
            continue
        try:
            # The record goes first: a second run the same day stops here even while the first is mailing.
            with transaction.atomic():
                reminder = LetterReminder.objects.create(
                    unit=unit,
                    sent_on=today,
                    letters=[message.receipt_number for message, _clock in rows],
                    recipients=len(emails),
                )
        except IntegrityError:
            run.already.append(unit)
            continue
        body = _("%(unit)s：\n\n以下留言已进入预警或超期，请登录后台“留言办理”尽快办理：\n\n%(lines)s\n") % {
            "unit": unit.name,
            "lines": "\n".join(describe(message, clock) for message, clock in rows),
        }
        subject = _("%(site)s：%(count)d件留言待尽快办理") % {"site": settings.WAGTAIL_SITE_NAME, "count": len(rows)}
        try:
            send_mail(subject, body, None, emails)
        except Exception:
            # Not sent: forget the record, so the next run tries again the same day.
            reminder.delete()
            raise
        run.mailed.append((unit, rows))
    return run
