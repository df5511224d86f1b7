"""留言统计: letters received, replied, on time, overdue and rated, per handling unit and month.

Figures only, never a writer's name, mobile or text. A letter counts in the month it was submitted
(county time) and for the unit handling it (the board's default unit while nobody has taken it). Every
refused letter is counted as 不予受理; those refused as 信访 or 纪检 matters (``Message.clock_exempt``)
belong to other statutory channels and are not counted as received for the clock. On time, overdue and
working days come from the letter's clock (site_pages.letters.clock) as of today.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Membership, Unit, UnitKind

from ..models.base import add_months
from ..models.letters import LetterStatus, Message, MessageBoardPage, Satisfaction
from .clock import Level, letter_clock

LATE_LEVELS = (Level.YELLOW, Level.RED)
CLOCK_FIELDS = (
    "board_id",
    "submitted_at",
    "status",
    "refusal_reason",
    "replied_at",
    "satisfaction",
    "handling_unit_id",
)


def month_start(day):
    return day.replace(day=1)


def months_between(first, last):
    """The first day of each month from `first` to `last`, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_label(month):
    return month.strftime("%Y-%m")


def letters_between(first, last, queryset=None):
    """Letters submitted from the first day of month `first` to the last day of month `last`, county time."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(month_start(first), datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(add_months(month_start(last), 1), datetime.time.min, tzinfo=zone)
    queryset = Message.objects.all() if queryset is None else queryset
    return queryset.filter(submitted_at__gte=start, submitted_at__lt=end)


def statistics_unit_id(message, default_units):
    """The handling unit, or the board's default unit (from `default_units`, board id -> unit id)."""
    return message.handling_unit_id or default_units[message.board_id]


@dataclass
class Figures:
    total: int = 0
    refused: int = 0
    refused_exempt: int = 0
    received: int = 0
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    severely_overdue: int = 0
    open: int = 0
    working_days: int = field(default=0, repr=False)
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    def add(self, message, clock):
        self.total += 1
        if message.status == LetterStatus.REFUSED:
            self.refused += 1
            self.refused_exempt += message.clock_exempt
            if message.clock_exempt:
                return
        self.received += 1
        if clock is None:
            return
        if clock.running:
            self.open += 1
        else:
            self.replied += 1
            self.working_days += clock.working_days_taken
            self.on_time += clock.on_time
        self.overdue += clock.level in LATE_LEVELS
        self.severely_overdue += clock.severely_overdue
        self.satisfied += message.satisfaction == Satisfaction.SATISFIED
        self.basically += message.satisfaction == Satisfaction.BASICALLY
        self.unsatisfied += message.satisfaction == Satisfaction.UNSATISFIED

    def merge(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def rated(self):
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def average_days(self):
        """Mean working days from receipt to reply over replied letters, or None."""
        return round(self.working_days / self.replied, 1) if self.replied else None

    @property
    def on_time_rate(self):
        return _percent(self.on_time, self.replied)

    @property
    def satisfaction_rate(self):
        """满意率: 满意 and 基本满意 among the rated replies."""
        return _percent(self.satisfied + self.basically, self.rated)


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class UnitStatistics:
    unit: Unit
    months: dict  # month -> Figures
    total: Figures


@dataclass
class Statistics:
    months: list
    units: list  # UnitStatistics, by unit name
    by_month: dict  # month -> Figures over all units
    total: Figures


def compute(first, last, *, queryset=None, unit_ids=None, today=None):
    """Figures for the months `first`..`last`; `unit_ids` (None = all) limits the units counted."""
    today = today or timezone.localdate()
    months = months_between(first, last)
    letters = list(letters_between(first, last, queryset).only(*CLOCK_FIELDS))
    boards = {board.pk: board for board in MessageBoardPage.objects.filter(pk__in={m.board_id for m in letters})}
    default_units = {pk: board.default_unit_id for pk, board in boards.items()}
    per_unit = {}
    for message in letters:
        unit_id = statistics_unit_id(message, default_units)
        if unit_ids is not None and unit_id not in unit_ids:
            continue
        message.board = boards[message.board_id]
        month = month_start(timezone.localdate(message.submitted_at))
        cells = per_unit.setdefault(unit_id, {m: Figures() for m in months})
        cells[month].add(message, letter_clock(message, today))
    units = Unit.objects.in_bulk(per_unit)
    rows = sorted(
        (
            UnitStatistics(unit=units[unit_id], months=cells, total=_sum(cells.values()))
            for unit_id, cells in per_unit.items()
        ),
        key=lambda row: row.unit.name,
    )
    by_month = {month: _sum(row.months[month] for row in rows) for month in months}
    return Statistics(months=months, units=rows, by_month=by_month, total=_sum(by_month.values()))


def _sum(figures):
    total = Figures()
    for item in figures:
        total.merge(item)
    return total


def visible_unit_ids(user):
    """None when the user sees every unit (superusers, 县政府办公室); else the ids of the user's units."""
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships = Membership.objects.active().filter(user=user)
    if user.is_superuser or memberships.filter(unit__kind=UnitKind.SUPERVISOR).exists():
        return None
    return set(memberships.values_list("unit_id", flat=True))


def figure_columns():
    """(heading, Figures attribute) for tables and the export, in reading order."""
    return [
        (_("收到留言"), "received"),
        (_("已答复"), "replied"),
        (_("按时答复"), "on_time"),
        (_("按时答复率（%）"), "on_time_rate"),
        (_("平均答复用时（工作日）"), "average_days"),
        (_("办理中"), "open"),
        (_("超期"), "overdue"),
        (_("严重超期"), "severely_overdue"),
        (_("不予受理"), "refused"),
        (_("其中信访、纪检"), "refused_exempt"),
        (_("满意"), "satisfied"),
        (_("基本满意"), "basically"),
        (_("不满意"), "unsatisfied"),
        (_("满意率（%）"), "satisfaction_rate"),
    ]


def figure_values(figures):
    return [getattr(figures, name) for _heading, name in figure_columns()]


def write_xlsx(statistics, title):
    """Two worksheets: per unit and month, and per unit over the period; returns the workbook's bytes."""
    from openpyxl import Workbook

    headings = [heading for heading, _name in figure_columns()]
    workbook = Workbook()
    detail = workbook.active
    detail.title = _("按单位和月份")
    detail.append([title])
    detail.append([_("单位"), _("月份"), *headings])
    for row in statistics.units:
        for month in statistics.months:
            detail.append([row.unit.name, month_label(month), *figure_values(row.months[month])])
    summary = workbook.create_sheet(_("按单位汇总"))
    summary.append([title])
    summary.append([_("单位"), *headings])
    for row in statistics.units:
        summary.append([row.unit.name, *figure_values(row.total)])
    summary.append([_("合计"), *figure_values(statistics.total)])
    return workbook_bytes(workbook)


def workbook_bytes(workbook):
    """The workbook saved, each sheet's title and heading rows in bold; the reports' shared xlsx style."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for sheet in workbook.worksheets:
        sheet.column_dimensions["A"].width = 30
        for cell in (*sheet[1], *sheet[2]):
            cell.font = bold
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
