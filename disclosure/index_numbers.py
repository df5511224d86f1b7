"""索引号: the catalogue number every disclosure item receives at its first publication.

A number is built from a pattern configured in 信息公开设置 (site settings). The serial is per
unit and year and comes from a counter row that is locked (``SELECT ... FOR UPDATE``) while it is
incremented, so two publications at the same moment, in different processes, never share a
serial: the second waits for the first to commit and then reads its value.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

DEFAULT_PATTERN = "{code}/{year}-{serial:05d}"
PLACEHOLDERS = {"code", "year", "serial"}
MAX_LENGTH = 100
# Example values for trying a pattern out: an 18-character code and the largest 6-digit serial.
_SAMPLE = {"code": "11512021MB1511234X", "year": 2026, "serial": 999999}


def validate_pattern(pattern):
    """A pattern uses {code}, {year} and {serial} and nothing else, so that numbers are unique per unit and year."""
    try:
        fields = [name for _literal, name, _spec, _conv in Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise ValidationError(_("索引号格式有误：花括号不成对（%(error)s）。"), params={"error": error}) from error
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("索引号格式只能使用 {code}（信用代码）、{year}（年份）和 {serial}（序号），不能使用：%(names)s。"),
            params={"names": "、".join(unknown) or "{}"},
        )
    missing = [name for name in ("code", "year", "serial") if name not in fields]
    if missing:
        raise ValidationError(
            _("索引号格式必须包含 %(names)s，否则不同单位或年份的索引号会重复。"),
            params={"names": "、".join(f"{{{name}}}" for name in missing)},
        )
    try:
        sample = pattern.format(**_SAMPLE)
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise ValidationError(_("索引号格式有误：%(error)s。"), params={"error": error}) from error
    if len(sample) > MAX_LENGTH:
        raise ValidationError(_("按此格式生成的索引号超过 %(max)s 个字符。"), params={"max": MAX_LENGTH})


def format_number(pattern, *, code, year, serial):
    return pattern.format(code=code, year=year, serial=serial)


def lock_counter(unit_id, year):
    """The (unit, year) counter row, locked until the caller's transaction ends (created on first use)."""
    from .models import IndexNumberCounter

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index number counters are locked inside the publishing transaction")
    IndexNumberCounter.objects.get_or_create(unit_id=unit_id, year=year)
    return IndexNumberCounter.objects.select_for_update().get(unit_id=unit_id, year=year)


def next_serial(unit_id, year):
    """Reserve the next serial of (unit, year)."""
    counter = lock_counter(unit_id, year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def allocate(unit_id, *, code, year, pattern, taken):
    """The next free number of (unit, year); ``taken(number)`` says whether a record already holds it."""
    while True:
        number = format_number(pattern, code=code, year=year, serial=next_serial(unit_id, year))
        # A pattern changed during the year could reproduce a number given under the old one.
        if not taken(number):
            return number
