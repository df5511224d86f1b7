"""Figures of the 政府信息公开工作年度报告 in the 2021 national format (国办公开办函〔2021〕30号).

Table 三 (requests) is counted from DisclosureRequest:

* 本年新收: requests received in the year;
* 上年结转: received before the year and not answered before it started;
* the outcome rows: requests answered in the year, by reply type and sub-reason;
* 总计: all requests answered in the year (the sum of the outcome rows);
* 结转下年度: received by the year's end and not answered by then.

so that 本年新收 + 上年结转 = 总计 + 结转下年度 in every column.
"""

import io
from datetime import date

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from disclosure.statutory import WithholdingReason

from .choices import OUTCOME_REASONS, ApplicantCategory, Outcome
from .models import DisclosureRequest

TOTAL = "total"
COLUMNS = [*ApplicantCategory.values, TOTAL]
# The catalogue category whose items are the county's 规范性文件 (seeded by the disclosure app).
NORMATIVE_CATEGORY_NAME = "行政法规、规章和规范性文件"


def request_rows():
    """(key, label, depth) of every row of table 三, in the national format's order."""
    rows = [
        ("new", _("一、本年新收政府信息公开申请数量"), 0),
        ("carried_in", _("二、上年结转政府信息公开申请数量"), 0),
        ("results", _("三、本年度办理结果"), 0),
        (Outcome.DISCLOSED.value, _("（一）予以公开"), 1),
        (Outcome.PARTIAL.value, _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), 1),
        (Outcome.WITHHELD.value, _("（三）不予公开"), 1),
    ]
    rows += [
        (f"{Outcome.WITHHELD}:{reason.value}", f"{n}．{reason.label}", 2)
        for n, reason in enumerate(WithholdingReason, start=1)
    ]
    for heading, outcome in (
        (_("（四）无法提供"), Outcome.UNABLE),
        (_("（五）不予处理"), Outcome.NOT_PROCESSED),
        (_("（六）其他处理"), Outcome.OTHER),
    ):
        rows.append((outcome.value, heading, 1))
        rows += [
            (f"{outcome}:{reason.value}", f"{n}．{reason.label}", 2)
            for n, reason in enumerate(OUTCOME_REASONS[outcome], start=1)
        ]
    rows += [(TOTAL, _("（七）总计"), 1), ("carried_out", _("四、结转下年度继续办理"), 0)]
    return rows


def _add(table, row, category, count):
    table[row][category] += count
    table[row][TOTAL] += count


def request_figures(year):
    """{row key: {column key: count}} for table 三 of `year`; the heading row "results" is empty."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {key: dict.fromkeys(COLUMNS, 0) for key, _label, _depth in request_rows() if key != "results"}
    requests = DisclosureRequest.objects.all()
    buckets = {
        "new": requests.filter(received_on__range=(start, end)),
        "carried_in": requests.filter(received_on__lt=start).filter(
            Q(answered_on__isnull=True) | Q(answered_on__gte=start)
        ),
        "carried_out": requests.filter(received_on__lte=end).filter(
            Q(answered_on__isnull=True) | Q(answered_on__gt=end)
        ),
    }
    for row, queryset in buckets.items():
        for entry in queryset.values("applicant_category").annotate(n=Count("pk")):
            _add(table, row, entry["applicant_category"], entry["n"])
    answered = (
        requests.filter(answered_on__range=(start, end))
        .values("applicant_category", "outcome", "withholding_reason", "outcome_reason")
        .annotate(n=Count("pk"))
    )
    for entry in answered:
        category, outcome, n = entry["applicant_category"], entry["outcome"], entry["n"]
        _add(table, outcome, category, n)
        reason = entry["withholding_reason"] or entry["outcome_reason"]
        if reason:
            _add(table, f"{outcome}:{reason}", category, n)
        _add(table, TOTAL, category, n)
    return table


def catalogue_normative_figures(year):
    """规范性文件 issued / repealed / in force in `year`, counted from the disclosure catalogue.

    The only coupling to the catalogue app: None when it is not installed or has no such category,
    and the report then relies on the figures staff enter. Issued = live items written in the year;
    repealed = live items marked 已废止/已失效 whose last change fell in the year; in force = live
    items marked 有效/已修订 written by the year's end.
    """
    try:
        item_model = apps.get_model("disclosure", "DisclosureItem")
        category_model = apps.get_model("disclosure", "DisclosureCategory")
    except LookupError:
        return None
    if not category_model.objects.filter(name=NORMATIVE_CATEGORY_NAME).exists():
        return None
    items = item_model.objects.live().filter(category__name=NORMATIVE_CATEGORY_NAME)
    end = date(year, 12, 31)
    return {
        "issued": items.filter(written_date__year=year).count(),
        "repealed": items.filter(validity__in=["repealed", "expired"])
        .filter(Q(changed_date__year=year) | Q(changed_date__isnull=True, written_date__year=year))
        .count(),
        "in_force": items.filter(validity__in=["valid", "revised"], written_date__lte=end).count(),
    }


def write_xlsx(page):
    """The report's three tables as one worksheet each; returns the workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("主动公开")
    sheet.append([page.title])
    sheet.append([_("二、主动公开政府信息情况")])
    sheet.append([_("信息内容"), _("本年制发件数"), _("本年废止件数"), _("现行有效件数"), _("数据来源")])
    for row in page.proactive_document_rows():
        sheet.append([str(row["label"]), row["issued"], row["repealed"], row["in_force"], str(row["source"])])
    sheet.append([_("信息内容"), _("本年处理决定数量"), "", "", _("数据来源")])
    for label, value in page.proactive_decision_rows():
        sheet.append([str(label), value, "", "", _("人工填报")])
    sheet.append([_("信息内容"), _("本年收费金额（单位：万元）"), "", "", _("数据来源")])
    sheet.append([_("行政事业性收费"), page.fee_amount, "", "", _("人工填报")])

    requests_sheet = workbook.create_sheet(_("依申请公开"))
    requests_sheet.append([_("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和")])
    requests_sheet.append(["", *[str(ApplicantCategory(c).label) for c in ApplicantCategory.values], _("总计")])
    figures = page.request_figures_table()
    for key, label, depth in request_rows():
        values = [figures[key][c] for c in COLUMNS] if key in figures else [""] * len(COLUMNS)
        requests_sheet.append(["　" * depth + str(label), *values])
        requests_sheet.cell(requests_sheet.max_row, 1).alignment = Alignment(wrap_text=True)

    review_sheet = workbook.create_sheet(_("行政复议和行政诉讼"))
    review_sheet.append(["", *[str(label) for label in page.review_column_labels()]])
    for label, values in page.review_rows():
        review_sheet.append([str(label), *values])

    for ws in workbook.worksheets:
        ws.column_dimensions["A"].width = 60
        for cell in ws[1]:
            cell.font = bold
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
