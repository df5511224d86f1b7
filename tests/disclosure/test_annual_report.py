"""The annual report's requests table equals counts computed here from a known set of requests."""

import io
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Revision

from disclosure.requests.annual_report import COLUMNS, TOTAL, request_figures, request_rows
from disclosure.requests.models import AnnualReportPage, DisclosureRequest
from tests.disclosure.test_requests_clock import make_request
from tests.factories import UnitFactory, log_in, make_home

pytestmark = pytest.mark.django_db

YEAR = 2025
# (category, received, answered, outcome, withholding reason, sub-reason)
SPECS = [
    ("natural_person", date(2024, 12, 20), date(2025, 1, 10), "disclosed", "", ""),  # carried in, answered
    ("natural_person", date(2024, 12, 28), None, "", "", ""),  # carried in, still open: carried out too
    ("natural_person", date(2024, 11, 1), date(2024, 12, 1), "disclosed", "", ""),  # closed before the year
    ("natural_person", date(2025, 2, 3), date(2025, 2, 20), "disclosed", "", ""),
    ("natural_person", date(2025, 3, 3), date(2025, 3, 25), "partial", "", ""),
    ("natural_person", date(2025, 4, 1), date(2025, 4, 20), "withheld", "third_party", ""),
    ("natural_person", date(2025, 5, 6), date(2025, 5, 30), "unable", "", "not_held"),
    ("natural_person", date(2025, 5, 7), date(2025, 6, 3), "unable", "", "not_held"),
    ("natural_person", date(2025, 6, 2), date(2025, 6, 30), "not_processed", "", "petition"),
    ("natural_person", date(2025, 12, 15), date(2026, 1, 8), "disclosed", "", ""),  # carried out
    ("commercial", date(2025, 1, 6), date(2025, 1, 30), "withheld", "state_secret", ""),
    ("commercial", date(2025, 7, 1), date(2025, 7, 20), "other", "", "no_supplement"),
    ("research", date(2025, 8, 4), date(2025, 8, 28), "unable", "", "needs_creation"),
    ("public_interest", date(2025, 9, 1), date(2025, 9, 22), "not_processed", "", "repeated"),
    ("legal_service", date(2025, 10, 9), date(2025, 11, 3), "withheld", "process_information", ""),
    ("legal_service", date(2025, 12, 30), None, "", "", ""),  # carried out
    ("other", date(2024, 12, 31), date(2025, 1, 5), "other", "", "fee_unpaid"),  # carried in
    ("other", date(2025, 11, 11), date(2025, 12, 1), "not_processed", "", "confirmation"),
    ("other", date(2026, 1, 5), None, "", "", ""),  # next year: counted nowhere
]


def build():
    unit = UnitFactory()
    for category, received, answered, outcome, withholding, reason in SPECS:
        applicant_type = "citizen" if category == "natural_person" else "organisation"
        make_request(
            received,
            unit,
            applicant_type=applicant_type,
            applicant_category=category,
            answered_on=answered,
            outcome=outcome,
            withholding_reason=withholding,
            outcome_reason=reason,
            status="answered" if answered else "received",
        )


def expected_cells():
    """Counted from SPECS with plain Python, independently of the report code."""
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    cells = Counter()

    def add(row, category):
        cells[(row, category)] += 1
        cells[(row, "total")] += 1

    for category, received, answered, outcome, withholding, reason in SPECS:
        if start <= received <= end:
            add("new", category)
        if received < start and (answered is None or answered >= start):
            add("carried_in", category)
        if received <= end and (answered is None or answered > end):
            add("carried_out", category)
        if answered and start <= answered <= end:
            add(outcome, category)
            add("total", category)
            if withholding or reason:
                add(f"{outcome}:{withholding or reason}", category)
    return cells


def test_every_cell_of_the_requests_table():
    build()
    figures = request_figures(YEAR)
    expected = expected_cells()
    rows = [key for key, _label, _depth in request_rows() if key != "results"]
    assert len(rows) == 29  # 2 + 6 outcomes + 8 + 3 + 5 + 3 sub-reasons + 总计 + 结转
    for row in rows:
        for column in COLUMNS:
            assert figures[row][column] == expected[(row, column)], (row, column)
    # Spot checks by hand, and the format's own identity: 一 + 二 = 三(总计) + 四.
    assert figures["new"][TOTAL] == 14 and figures["carried_in"][TOTAL] == 3
    assert figures["unable:not_held"]["natural_person"] == 2
    assert figures["carried_out"][TOTAL] == 3 and figures[TOTAL][TOTAL] == 14
    for column in COLUMNS:
        assert (
            figures["new"][column] + figures["carried_in"][column]
            == figures[TOTAL][column] + figures["carried_out"][column]
        )


def test_outcome_rows_follow_the_2021_format():
    labels = [str(label) for _key, label, _depth in request_rows()]
    assert labels[3:6] == [
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
    ]
    assert "1．属于国家秘密" in labels and "8．属于行政查询事项" in labels
    assert "5．要求行政机关确认或重新出具已获取信息" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]


@pytest.fixture
def report_page():
    build()
    home = make_home()
    catalogue_model = apps.get_model("disclosure", "DisclosureCatalogue")
    index_model = apps.get_model("disclosure", "AnnualReportIndexPage")
    unit = UnitFactory(kind="supervisor")
    catalogue = home.add_child(instance=catalogue_model(title="政府信息公开", slug="zfxxgk", owning_unit=unit))
    index = catalogue.add_child(instance=index_model(title="政府信息公开年报", slug="ndbg"))
    page = AnnualReportPage(
        title="安岳县2025年政府信息公开工作年度报告",
        slug="2025",
        year=YEAR,
        overview="<p>2025年，全县认真贯彻落实《政府信息公开条例》。</p>",
        licensing_decisions=1234,
        review_upheld=2,
        review_corrected=1,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return AnnualReportPage.objects.get(pk=page.pk)


def test_published_page_shows_counted_and_entered_figures(client, report_page):
    assert report_page.figures["requests"]["new"]["total"] == 14
    page = client.get(report_page.url).content.decode()
    assert "（七）总计" in page and "1234" in page and "人工填报" in page
    assert "2025年，全县认真贯彻落实" in page
    # Later requests do not change a published report until it is saved again.
    make_request(date(2025, 6, 1), applicant_category="natural_person")
    assert AnnualReportPage.objects.get(pk=report_page.pk).figures["requests"]["new"]["total"] == 14


def test_xlsx_download(client, report_page):
    response = client.get(report_page.url + "xlsx/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join([response.content])))
    assert workbook.sheetnames == ["主动公开", "依申请公开", "行政复议和行政诉讼"]
    requests_sheet = workbook["依申请公开"]
    rows = {row[0].strip("　"): row[1:] for row in requests_sheet.iter_rows(min_row=3, values_only=True)}
    assert list(rows["一、本年新收政府信息公开申请数量"]) == [7, 2, 1, 1, 2, 1, 14]
    review = list(workbook["行政复议和行政诉讼"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert review == ("行政复议", 2, 1, 0, 0, 3)
    assert DisclosureRequest.objects.count() == len(SPECS)


def test_admin_edit_form_renders(client, report_page):
    from tests.factories import UserFactory

    log_in(client, UserFactory(is_superuser=True))
    response = client.get(f"/admin/pages/{report_page.pk}/edit/")
    assert response.status_code == 200
    assert "人工填报" in response.content.decode()


HOSTILE_RICH_TEXT = (
    '<p>总体情况</p><svg><text>图</text></svg><li>孤立的列表项</li><input value="x"><noscript>无</noscript>'
)


def test_report_rich_text_is_cleaned_on_save_and_in_revisions_and_opens_in_the_editor(client, report_page, admin_user):
    from site_pages.sanitize import clean_rich_text

    report_page.problems = HOSTILE_RICH_TEXT
    report_page.save()
    assert AnnualReportPage.objects.get(pk=report_page.pk).problems == clean_rich_text(HOSTILE_RICH_TEXT)
    report_page.other_matters = HOSTILE_RICH_TEXT
    revision = report_page.save_revision()
    assert revision.content["other_matters"] == clean_rich_text(HOSTILE_RICH_TEXT)
    assert "<svg" not in clean_rich_text(HOSTILE_RICH_TEXT)
    log_in(client, admin_user)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(report_page.pk,))).status_code == 200


def test_migration_repairs_report_rich_text_stored_past_every_check(report_page):
    import importlib

    from site_pages.sanitize import clean_rich_text

    repair = importlib.import_module("disclosure.requests.migrations.0006_editor_rich_text")
    AnnualReportPage.objects.filter(pk=report_page.pk).update(overview=HOSTILE_RICH_TEXT)
    revision = report_page.latest_revision
    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "overview": HOSTILE_RICH_TEXT})
    repair.repair_rich_text(apps, None)
    assert AnnualReportPage.objects.get(pk=report_page.pk).overview == clean_rich_text(HOSTILE_RICH_TEXT)
    assert Revision.objects.get(pk=revision.pk).content["overview"] == clean_rich_text(HOSTILE_RICH_TEXT)
