"""A survey's answers as rows (one per response), written as .xlsx (openpyxl) or UTF-8 CSV for Excel.

Every cell is text with formula prefixes neutralised: answers are typed by the public.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.reports import neutralise_formula

# Excel's longest sheet title.
SHEET_TITLE_CHARS = 31


def answer_text(value):
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    return str(value or "")


def header(survey):
    return [_("序号"), _("提交时间"), *(f"{n}. {b.value['question']}" for n, b in enumerate(survey.questions, 1))]


def rows(survey):
    blocks = list(survey.questions)
    for number, response in enumerate(survey.responses.order_by("submitted_at", "pk"), start=1):
        submitted = timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
        yield [str(number), submitted, *(answer_text(response.answers.get(block.id)) for block in blocks)]


def _safe(row):
    return [neutralise_formula(cell) for cell in row]


def as_csv(survey):
    buffer = io.StringIO()
    # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(_safe(header(survey)))
    for row in rows(survey):
        writer.writerow(_safe(row))
    return buffer.getvalue().encode("utf-8")


def as_xlsx(survey):
    from openpyxl import Workbook  # about half a second to import: only when answers are exported
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("调查回答")[:SHEET_TITLE_CHARS]
    titles = header(survey)
    sheet.append(_safe(titles))
    for row in rows(survey):
        sheet.append(_safe(row))
    for index in range(1, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
