"""Import and export of the 领导职务名录 as .xlsx (openpyxl, as for the lexicon).

Columns: 姓名, 职务, 单位, 排序, 任职起始日期, 任职终止日期 (empty = current). A row is identified by
name, title and start date: an existing row is updated, a new one created. All or nothing: any bad row
means nothing is saved, and every bad row is reported with its number.
"""

import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .leaders import register_cache
from .models import LeaderTitle
from .transfer import ImportFileError, ImportResult, _validation_messages, rows_from_xlsx

HEADER = (_("姓名"), _("职务"), _("单位"), _("排序"), _("任职起始日期"), _("任职终止日期"))
COLUMN_COUNT = len(HEADER)
IMPORTED_FIELDS = ("unit", "rank", "valid_to")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def read_rows(uploaded_name, data):
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(gettext("文件超过 5 MB，请分批导入。"))
    if not uploaded_name.lower().endswith(".xlsx"):
        raise ImportFileError(gettext("请上传 Excel 文件（.xlsx）。"))
    return [(number, cells) for number, cells in rows_from_xlsx(data) if cells[0] != str(HEADER[0])]


def _parse_date(value):
    """A date from a cell: openpyxl gives datetimes for date cells; text may be 2026-01-05 or 2026/1/5."""
    text = value.split(" ")[0].replace("/", "-").replace(".", "-")
    return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))


def _parse(number, cells, errors):
    if len(cells) > COLUMN_COUNT:
        errors.append((number, gettext("列数过多：每行最多6列。")))
        return None
    name, title, unit, rank, valid_from, valid_to = (cells + [""] * COLUMN_COUNT)[:COLUMN_COUNT]
    problems = []
    if not name or not title:
        problems.append(gettext("姓名和职务不能为空。"))
    try:
        rank_value = int(float(rank))
        if rank_value < 0 or float(rank) != rank_value:
            raise ValueError
    except ValueError:
        problems.append(gettext("排序“%(value)s”不是非负整数。") % {"value": rank})
        rank_value = None
    dates = []
    for label, value, required in (
        (gettext("任职起始日期"), valid_from, True),
        (gettext("任职终止日期"), valid_to, False),
    ):
        if not value:
            if required:
                problems.append(gettext("%(label)s不能为空。") % {"label": label})
            dates.append(None)
            continue
        try:
            dates.append(_parse_date(value))
        except ValueError:
            problems.append(
                gettext("%(label)s“%(value)s”不是有效日期，应为 2026-01-05 的格式。") % {"label": label, "value": value}
            )
            dates.append(None)
    if problems:
        errors.append((number, " ".join(problems)))
        return None
    return LeaderTitle(name=name, title=title, unit=unit, rank=rank_value, valid_from=dates[0], valid_to=dates[1])


def import_rows(rows):
    result = ImportResult()
    parsed = {}
    for number, cells in rows:
        leader = _parse(number, cells, result.errors)
        if leader is None:
            continue
        try:
            leader.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            result.errors.extend((number, message) for message in _validation_messages(error))
            continue
        key = (leader.name, leader.title, leader.valid_from)
        if key in parsed:
            result.errors.append((number, gettext("与第 %(line)d 行重复。") % {"line": parsed[key][0]}))
            continue
        parsed[key] = (number, leader)
    if result.errors:
        result.errors.sort(key=lambda item: item[0])
        return result

    existing = {
        (row.name, row.title, row.valid_from): row
        for row in LeaderTitle.objects.filter(name__in={key[0] for key in parsed})
    }
    to_create, to_update, now = [], [], timezone.now()
    for key, (_number, leader) in parsed.items():
        row = existing.get(key)
        if row is None:
            to_create.append(leader)
        elif any(getattr(row, name) != getattr(leader, name) for name in IMPORTED_FIELDS):
            for name in IMPORTED_FIELDS:
                setattr(row, name, getattr(leader, name))
            row.updated_at = now
            to_update.append(row)
        else:
            result.skipped += 1
    with transaction.atomic():
        LeaderTitle.objects.bulk_create(to_create, batch_size=500)
        LeaderTitle.objects.bulk_update(to_update, [*IMPORTED_FIELDS, "updated_at"], batch_size=500)
    register_cache.invalidate()
    result.created, result.updated = len(to_create), len(to_update)
    return result


def export_xlsx(queryset):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("领导职务名录"))
    sheet.append([str(title) for title in HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in queryset:
        sheet.append(
            [
                row.name,
                row.title,
                row.unit,
                row.rank,
                row.valid_from.isoformat(),
                row.valid_to.isoformat() if row.valid_to else "",
            ]
        )
    for column, width in zip("ABCDEF", (12, 24, 30, 8, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
