"""Letter checks: letters late by unit on the board's clock, and the two veto lines of the consultation channel.

The clock is ``site_pages.letters.clock`` (working days, 预警/黄牌/红牌): open letters past their warning line
(the daily reminders' list) and letters answered late in the last three months are late. The veto lines are the national
indicators': a valid 政务咨询 letter (type 咨询, not refused as 信访 or 纪检 — refused letters have no clock) left
unanswered for more than three months at any time in the past year, and no working consultation channel.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from site_pages.letters.clock import SEVERE_MONTHS, Level, letter_clock
from site_pages.letters.reminders import letters_needing_attention
from site_pages.models import MessageBoardPage
from site_pages.models.base import add_months
from site_pages.models.letters import LetterStatus, LetterType, Message

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url, code_of, in_scope

LATE_LEVELS = {Level.WARNING: Severity.WARNING, Level.YELLOW: Severity.FINDING, Level.RED: Severity.FINDING}


def letter_url(message):
    return admin_url("letters_admin:detail", message.pk)


def _late_letters(context):
    """(letter, clock, unit) of open letters past their warning line and of letters answered late this quarter."""
    for unit, letters in letters_needing_attention(context.as_of).items():
        for message, clock in letters:
            yield message, clock, unit
    quarter_start = add_months(context.as_of, -3)
    answered = Message.objects.filter(
        replied_at__date__gt=quarter_start, replied_at__date__lte=context.as_of, handling_unit__isnull=False
    ).select_related("board", "handling_unit")
    for message in answered.order_by("replied_at", "pk"):
        clock = letter_clock(message, context.as_of)
        if clock is not None and clock.level in (Level.YELLOW, Level.RED):
            yield message, clock, message.handling_unit


@check
def letter_overdue(context):
    for message, clock, unit in _late_letters(context):
        code = code_of(unit)
        if clock.level not in LATE_LEVELS or not in_scope(context, code):
            continue
        state = (
            _("已用 %(days)s 个工作日未答复") % {"days": clock.working_days_taken}
            if clock.running
            else _("%(date)s 才答复，用了 %(days)s 个工作日")
            % {"date": timezone.localdate(message.replied_at).isoformat(), "days": clock.working_days_taken}
        )
        yield Finding(
            kind=Kind.LETTER_OVERDUE,
            unit=code,
            object=letter_url(message),
            detail=_("留言 %(number)s（%(board)s，%(received)s 收到）答复期限 %(due)s，%(state)s：%(level)s。")
            % {
                "number": message.receipt_number,
                "board": message.board.title,
                "received": clock.received.isoformat(),
                "due": clock.due.isoformat(),
                "state": state,
                "level": clock.level_label,
            },
            severity=LATE_LEVELS[clock.level],
            rule=_("留言 %(days)s 个工作日内答复") % {"days": message.board.deadline_days},
            data={"level": clock.level, "due": clock.due.isoformat(), "answered": not clock.running},
        )


def _unanswered_until(message, as_of):
    """(the day the letter stopped waiting, answered): its reply, or the inspection's date while it waits."""
    if message.replied_at is not None and timezone.localdate(message.replied_at) <= as_of:
        return timezone.localdate(message.replied_at), True
    return as_of, False


@check
def letter_severely_overdue(context):
    year_ago = add_months(context.as_of, -12)
    letters = (
        Message.objects.filter(letter_type=LetterType.CONSULT, submitted_at__date__lte=context.as_of)
        .exclude(status=LetterStatus.REFUSED)
        .exclude(replied_at__date__lt=year_ago)
        .select_related("board", "handling_unit", "board__default_unit")
        .order_by("submitted_at", "pk")
    )
    for message in letters:
        if letter_clock(message, context.as_of) is None:
            continue
        submitted = timezone.localdate(message.submitted_at)
        limit = add_months(submitted, SEVERE_MONTHS)
        end, answered = _unanswered_until(message, context.as_of)
        if end <= limit or end < year_ago:
            continue
        unit = message.handling_unit or message.board.default_unit
        code = code_of(unit)
        if not in_scope(context, code):
            continue
        state = (
            _("%(date)s 才答复") % {"date": end.isoformat()}
            if answered
            else _("至 %(date)s 仍未答复") % {"date": end.isoformat()}
        )
        yield Finding(
            kind=Kind.LETTER_VETO,
            unit=code,
            object=letter_url(message),
            detail=_(
                "政务咨询留言 %(number)s（%(board)s）%(submitted)s 提交，超过三个月（%(limit)s）未答复，%(state)s。"
            )
            % {
                "number": message.receipt_number,
                "board": message.board.title,
                "submitted": submitted.isoformat(),
                "limit": limit.isoformat(),
                "state": state,
            },
            severity=Severity.VETO,
            rule=_("有效政务咨询留言超过 3 个月未答复"),
            data={"submitted": submitted.isoformat(), "answered": end.isoformat() if answered else None},
        )


def portal_url():
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.root_url}/" if site else "/"


def working_boards():
    """Live, public boards reachable on a site: every ancestor published too."""
    found = []
    for board in MessageBoardPage.objects.live().public().specific():
        if board.get_url() is None:
            continue
        if board.get_ancestors().filter(depth__gt=1, live=False).exists():
            continue
        found.append(board)
    return found


@check
def letter_channel(context):
    if context.unit_code is not None or working_boards():
        return
    yield Finding(
        kind=Kind.LETTER_VETO,
        unit="",
        object=portal_url(),
        detail=_("门户网站没有可用的留言信箱（已发布、公开访问且可提交留言的“留言信箱”页面），公众无法咨询。"),
        severity=Severity.VETO,
        rule=_("互动交流渠道可用"),
    )
