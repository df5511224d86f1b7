"""The 信息发布审核单 as a PDF, apart from the register: loading the admin does not load reportlab."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Built into reportlab's CID support and rendered by every PDF reader with the Adobe-GB1 collection,
# so no font file has to be shipped or found on the server.
PDF_FONT = "STSong-Light"
# Symbols used in labels that the font's GB character collection lacks, and their nearest GB equivalents.
PDF_SUBSTITUTES = str.maketrans({"›": "＞", "‹": "＜", "•": "·", "✓": "√"})


STAGE_HEADINGS = (_("环节"), _("审核角色"), _("审核人"), _("时间"), _("已确认要点"), _("意见"))
FINDING_HEADINGS = (_("类别"), _("处理方式"), _("位置"), _("内容"), _("建议"), _("负责人放行"))


def _pdf_styles():
    base = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "cell": base,
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2),
        "number": ParagraphStyle("number", parent=base, fontSize=9, alignment=TA_CENTER, textColor=colors.grey),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "alert": ParagraphStyle("alert", parent=base, fontSize=10.5, leading=15, textColor=colors.red),
    }


def _para(text, style):
    # Paragraph parses its text as markup, so user-entered text is escaped and line breaks kept.
    text = str(text or "").translate(PDF_SUBSTITUTES)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(rows, widths, style, header=True):
    table = Table([[_para(cell, style) for cell in row] for row in rows], colWidths=widths, repeatRows=int(header))
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def render_approval_form_pdf(form):
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    styles = _pdf_styles()
    cell = styles["cell"]
    record = form["record"]
    width = A4[0] - 30 * mm
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=gettext("信息发布审核单：%(title)s") % {"title": record.title},
        author=gettext("县政府门户网站内容管理系统"),
    )
    story = [
        _para(gettext("信息发布审核单"), styles["title"]),
        _para(gettext("登记号：%(number)s") % {"number": form["number"]}, styles["number"]),
        Spacer(0, 4 * mm),
    ]
    if record.emergency:
        story += [
            _para(gettext("紧急发布：%(reason)s") % {"reason": record.emergency_reason}, styles["alert"]),
            Spacer(0, 2 * mm),
        ]
    label_width, value_width = 24 * mm, width / 2 - 24 * mm
    story.append(
        _grid(
            [
                [gettext("单位"), record.unit_name, gettext("栏目"), record.column_title],
                [gettext("标题"), record.title, gettext("信息类型"), record.content_kind],
                [gettext("网址"), form["url"], gettext("审核流程"), record.workflow_name],
                [gettext("提交人"), record.submitted_by_name, gettext("提交时间"), form["submitted_at"]],
                [gettext("发布人"), form["published_by"], gettext("发布时间"), form["published_at"]],
            ],
            [label_width, value_width, label_width, value_width],
            cell,
            header=False,
        )
    )
    story.append(_para(gettext("审核环节"), styles["heading"]))
    stage_rows = [list(map(str, STAGE_HEADINGS))]
    stage_rows += [[s["label"], s["role"], s["user"], s["time"], s["checked"], s["comment"]] for s in form["stages"]]
    if not form["stages"]:
        stage_rows.append([gettext("无审核环节记录（紧急发布）"), "", "", "", "", ""])
    story.append(_grid(stage_rows, [w * mm for w in (25, 36, 18, 27, 38, 36)], cell))

    story.append(_para(gettext("自动检查"), styles["heading"]))
    if form["findings"]:
        finding_rows = [list(map(str, FINDING_HEADINGS))]
        finding_rows += [
            [f["category"], f["severity"], f["field"], f["matched"], f["suggestion"], f["overridden"]]
            for f in form["findings"]
        ]
        story.append(_grid(finding_rows, [w * mm for w in (22, 20, 34, 38, 44, 22)], cell))
    else:
        story.append(_para(gettext("未发现问题。"), cell))
    for text in form["acknowledgements"]:
        story.append(_para(gettext("提示确认：%(text)s") % {"text": text}, cell))

    for heading, items, empty in (
        (gettext("主要负责人决定"), form["overrides"], gettext("无。")),
        (gettext("联合发文会签"), form["consents"], gettext("无。")),
    ):
        story.append(_para(heading, styles["heading"]))
        story += [_para(item, cell) for item in items] or [_para(empty, cell)]

    footer = gettext("本审核单由系统根据审核记录自动生成　登记号：%(number)s") % {"number": form["number"]}

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, gettext("第 %(page)d 页") % {"page": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
