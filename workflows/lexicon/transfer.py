"""Import and export of the lexicon: UTF-8 text (tab-separated) and .xlsx, with the same six columns.

Columns: term, category, severity, suggestion, whitelist phrases joined by |, context rules (one a
line in a spreadsheet cell, joined by a literal \\n in text files; a row without this column keeps
the entry's rules, so five-column files of earlier exports still import). Category and
severity are written as codes in text files and as Chinese labels in spreadsheets; both forms
are read back. A text line holding only a term takes the category and severity chosen on the
import form. Lines starting with # and blank lines are ignored.

openpyxl (already required by Wagtail's own spreadsheet export) reads and writes the .xlsx files.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .matcher import matcher_cache, whitelist_phrases
from .models import Category, LexiconEntry, Severity

COLUMN_COUNT = 6
HEADER = (_("词条"), _("类别"), _("处理方式"), _("正确表述"), _("白名单（多个用|分隔）"), _("上下文规则"))
# Rules are lines; a text file has one line per entry, so they are joined by a visible escape.
TEXT_RULE_SEPARATOR = "\\n"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# Fields a line of the file sets; anything else (note, timestamps) is kept as it is.
IMPORTED_FIELDS = ("severity", "suggestion", "whitelist", "context_rules", "active")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # (line number, message)

    @property
    def ok(self):
        return not self.errors


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


def _choice_lookup(choices):
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        lookup[str(label)] = value
    return lookup


def _clean_cell(value):
    return "" if value is None else str(value).strip()


def rows_from_text(data):
    """(line number, cells) of a UTF-8 text file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(gettext("文件不是 UTF-8 编码的文本，请另存为 UTF-8 后重新导入。")) from error
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append((number, [cell.strip() for cell in line.split("\t")]))
    return rows


def rows_from_xlsx(data):
    """(row number, cells) of the first sheet of an .xlsx file; a header row is skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise ImportFileError(gettext("无法读取 Excel 文件，请确认是 .xlsx 格式。")) from error
    header_terms = {str(HEADER[0]), "term"}
    rows = []
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_clean_cell(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if not cells or (number == 1 and cells[0] in header_terms):
                continue
            rows.append((number, cells))
    finally:
        workbook.close()
    return rows


def read_rows(uploaded_name, data):
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(gettext("文件超过 10 MB，请分批导入。"))
    if uploaded_name.lower().endswith(".xlsx"):
        return rows_from_xlsx(data)
    return rows_from_text(data)


def _validation_messages(error):
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def import_rows(rows, default_category, default_severity):
    """Create or update entries from `rows`; all or nothing: any bad line means nothing is saved.

    An existing entry (same term and category) is updated when the line changes it and skipped
    when it does not; a line repeating an earlier line of the same file is skipped too.
    """
    categories = _choice_lookup(Category.choices)
    severities = _choice_lookup(Severity.choices)
    result = ImportResult()
    parsed = {}
    for number, cells in rows:
        if len(cells) > COLUMN_COUNT:
            result.errors.append((number, gettext("列数过多：每行最多6列，用制表符分隔。")))
            continue
        term, category, severity, suggestion, whitelist, rules = (cells + [""] * COLUMN_COUNT)[:COLUMN_COUNT]
        rules = rules.replace(TEXT_RULE_SEPARATOR, "\n") if len(cells) == COLUMN_COUNT else None
        if not term:
            result.errors.append((number, gettext("词条不能为空。")))
            continue
        category_value = categories.get(category.lower() if category else default_category)
        severity_value = severities.get(severity.lower() if severity else default_severity)
        problems = []
        if category_value is None:
            problems.append(gettext("未知的类别“%(value)s”。") % {"value": category})
        if severity_value is None:
            problems.append(gettext("未知的处理方式“%(value)s”。") % {"value": severity})
        if problems:
            result.errors.append((number, " ".join(problems)))
            continue
        key = (term, category_value)
        if key in parsed:
            result.skipped += 1
            continue
        parsed[key] = (number, severity_value, suggestion, "\n".join(whitelist_phrases(whitelist)), rules)

    existing = {
        (entry.term, entry.category): entry
        for entry in LexiconEntry.objects.filter(term__in={term for term, _category in parsed})
    }
    to_create, to_update = [], []
    now = timezone.now()
    for (term, category), (number, severity, suggestion, whitelist, rules) in parsed.items():
        entry = existing.get((term, category)) or LexiconEntry(term=term, category=category)
        before = {name: getattr(entry, name) for name in IMPORTED_FIELDS}
        entry.severity, entry.suggestion, entry.whitelist, entry.active = severity, suggestion, whitelist, True
        if rules is not None:
            entry.context_rules = rules
        try:
            # Uniqueness is settled by the lookup above; each line is otherwise checked like the admin form.
            entry.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            result.errors.extend((number, message) for message in _validation_messages(error))
            continue
        if entry.pk is None:
            to_create.append(entry)
        elif before != {name: getattr(entry, name) for name in IMPORTED_FIELDS}:
            entry.updated_at = now
            to_update.append(entry)
        else:
            result.skipped += 1

    result.errors.sort(key=lambda item: item[0])
    if result.errors:
        result.skipped = 0
        return result
    with transaction.atomic():
        LexiconEntry.objects.bulk_create(to_create, batch_size=500)
        LexiconEntry.objects.bulk_update(to_update, [*IMPORTED_FIELDS, "term", "updated_at"], batch_size=500)
    # Bulk operations send no post_save: tell this process's scanner directly.
    matcher_cache.invalidate()
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _export_rows(queryset, labels):
    category_labels, severity_labels = dict(Category.choices), dict(Severity.choices)
    for entry in queryset:
        yield (
            entry.term,
            str(category_labels[entry.category]) if labels else entry.category,
            str(severity_labels[entry.severity]) if labels else entry.severity,
            entry.suggestion,
            "|".join(entry.whitelist_phrases),
            entry.context_rules if labels else entry.context_rules.replace("\n", TEXT_RULE_SEPARATOR),
        )


def export_text(queryset):
    lines = [
        "# " + gettext("词库导出（UTF-8）：每行一个词条，列之间用制表符分隔"),
        "# " + "\t".join(str(title) for title in HEADER),
    ]
    for row in _export_rows(queryset, labels=False):
        lines.append("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def export_xlsx(queryset):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("词库"))
    sheet.append([str(title) for title in HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _export_rows(queryset, labels=True):
        sheet.append(list(row))
    for column, width in zip("ABCDEF", (20, 12, 12, 24, 60, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
