"""A 季度通报 as PDF (reportlab, the 审核单's built-in Chinese font) and as xlsx (openpyxl, one row per unit)."""

import re
from io import BytesIO

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate, Spacer

from cms.reports import neutralise_formula
from workflows.register_pdf import PDF_FONT, _grid, _para, _pdf_styles

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's longest sheet title.
SHEET_TITLE_CHARS = 31
MARGINS = {"leftMargin": 15 * mm, "rightMargin": 15 * mm, "topMargin": 15 * mm, "bottomMargin": 18 * mm}
# Where the introduction's rich text breaks into paragraphs.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li)>|<br\s*/?>", re.IGNORECASE)


def deduction_lines(entry):
    """One line per deduction, numbered when there are several: "1. 栏目未按时更新：…（依据）扣 5 分"."""
    lines = [
        _("%(label)s：%(detail)s（%(rule)s）扣 %(points)s 分")
        % {"label": item["label"], "detail": item["detail"], "rule": item["rule"], "points": item["points"]}
        for item in entry["deductions"]
    ]
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)] if len(lines) > 1 else lines


def remarks(entry):
    notes = []
    if entry["vetoed"]:
        notes.append(_("单项否决"))
    if entry["praised"]:
        notes.append(_("通报表扬"))
    return "、".join(notes)


def intro_paragraphs(page):
    return [text for text in (strip_tags(part).strip() for part in BLOCK_END.split(page.intro or "")) if text]


def published_date(page):
    moment = page.last_published_at or timezone.now()
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def bulletin_pdf(page):
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    styles = _pdf_styles()
    cell = styles["cell"]
    body = cell.clone("body", fontSize=11, leading=18, firstLineIndent=22, spaceAfter=4)
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=page.title, author=page.source_display(), **MARGINS)
    story = [
        _para(page.title, styles["title"]),
        _para(
            _("%(unit)s　%(date)s") % {"unit": page.source_display(), "date": published_date(page)}, styles["number"]
        ),
        Spacer(0, 4 * mm),
        *(_para(text, body) for text in intro_paragraphs(page)),
        _para(_("%(quarter)s各单位得分排名") % {"quarter": page.quarter_label}, styles["heading"]),
    ]
    rows = [[_("排名"), _("单位"), _("得分"), _("问题数"), _("扣分情况"), _("备注")]]
    rows += [
        [
            str(entry["rank"]),
            entry["unit_name"],
            entry["score"],
            str(entry["findings"]),
            "\n".join(deduction_lines(entry)) or _("无"),
            remarks(entry),
        ]
        for entry in page.entries
    ]
    story.append(_grid(rows, [w * mm for w in (12, 46, 14, 14, 76, 18)], cell))
    praised = page.praised_entries()
    story.append(_para(_("通报表扬"), styles["heading"]))
    if praised:
        names = "、".join(entry["unit_name"] for entry in praised)
        story.append(_para(_("以下单位本季度检查未发现问题，予以通报表扬：%(names)s。") % {"names": names}, body))
    else:
        story.append(_para(_("本季度没有未发现问题的单位。"), body))

    footer = _("%(title)s　%(quarter)s") % {"title": page.title, "quarter": page.quarter_label}

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, footer[:60])
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, _("第 %(page)d 页") % {"page": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def xlsx_rows(page):
    yield [
        _("排名"),
        _("单位"),
        _("统一社会信用代码"),
        _("得分"),
        _("问题数"),
        _("扣分情况"),
        _("单项否决"),
        _("通报表扬"),
    ]
    for entry in page.entries:
        yield [
            entry["rank"],
            neutralise_formula(entry["unit_name"]),
            entry["unit_code"],
            float(entry["score"]),
            entry["findings"],
            neutralise_formula("\n".join(deduction_lines(entry))),
            _("是") if entry["vetoed"] else _("否"),
            _("是") if entry["praised"] else _("否"),
        ]


def bulletin_xlsx(page):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = page.quarter_label[:SHEET_TITLE_CHARS]
    for row in xlsx_rows(page):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((8, 36, 24, 10, 10, 80, 10, 10), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
