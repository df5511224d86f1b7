"""季度通报: issued from a run with the ranked table frozen on the page, through 三审三校, exported as PDF and xlsx."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from cms.inspection.bulletin import Bulletin
from cms.inspection.bulletin_export import deduction_lines
from cms.inspection.bulletin_issue import issue_bulletin
from cms.inspection.scoring import score_run
from cms.inspection.scoring_models import DeductionRule
from tests.factories import make_column

from .bulletin_support import (
    STALE_DETAIL,
    VETO_DETAIL,
    make_run,
    notice_column,
    office_reviewers,
    publish_through_workflow,
    row,
)

pytestmark = pytest.mark.usefixtures("shared_portal")


@pytest.fixture
def run(township_a, township_b):
    return make_run(township_a, township_b)


@pytest.fixture
def column(portal, county_office):
    return notice_column(portal["home"], county_office)


@pytest.fixture
def bulletin(run, column):
    return issue_bulletin(run, column)


@pytest.fixture
def published(bulletin, county_office):
    return publish_through_workflow(bulletin, office_reviewers(county_office))


def entry_of(page, unit):
    return next(entry for entry in page.entries if entry["unit_code"] == unit.organisation_code)


def test_issued_draft_holds_the_runs_ranking(bulletin, run, column, township_a, township_b, county_office):
    assert not bulletin.live
    assert bulletin.get_parent().pk == column.pk
    assert bulletin.owning_unit == county_office
    assert bulletin.quarter == "2026Q4" and bulletin.run == run
    assert "2026年第四季度" in bulletin.title
    scores = score_run(run)
    assert [entry["unit_code"] for entry in bulletin.entries] == [score.unit_code for score in scores]
    assert [entry["rank"] for entry in bulletin.entries] == [score.rank for score in scores]
    stale_points = DeductionRule.objects.get(kind="column_stale").points
    a = entry_of(bulletin, township_a)
    # The warning and the false positive cost nothing and are not findings.
    assert a["findings"] == 1
    assert Decimal(a["score"]) == Decimal("100") - stale_points
    assert [d["detail"] for d in a["deductions"]] == [STALE_DETAIL]
    assert a["deductions"][0]["label"] == "栏目未按时更新"
    assert Decimal(a["deductions"][0]["points"]) == stale_points
    assert not a["vetoed"] and not a["praised"]
    b = entry_of(bulletin, township_b)
    assert b["vetoed"] and not b["praised"] and b is bulletin.entries[-1]
    assert [d["detail"] for d in b["deductions"]] == [VETO_DETAIL]
    office = entry_of(bulletin, county_office)
    assert office["praised"] and office["findings"] == 0 and office["score"] == "100"
    assert bulletin.entries[0]["praised"]


def test_a_later_run_or_rule_change_does_not_touch_the_bulletin(bulletin, township_a, township_b):
    before = Bulletin.objects.get(pk=bulletin.pk).entries
    DeductionRule.objects.filter(kind="column_stale").update(points=Decimal("30"))
    make_run(township_a, township_b)
    page = Bulletin.objects.get(pk=bulletin.pk)
    assert page.entries == before
    assert page.get_latest_revision_as_object().entries == before


def test_one_bulletin_per_run(bulletin, run, column):
    with pytest.raises(ValidationError, match="已生成季度通报"):
        issue_bulletin(run, column)
    assert Bulletin.objects.filter(run=run).count() == 1


def test_a_news_column_takes_no_bulletin(portal, run, county_office):
    news = make_column(portal["home"], "政务要闻", county_office, update_class="news", slug="zwyw")
    assert not Bulletin.can_exist_under(news)
    with pytest.raises(ValidationError, match="通知公告"):
        issue_bulletin(run, news)
    unclassified = make_column(portal["home"], "工作通报", county_office, update_class="unclassified", slug="gztb")
    assert Bulletin.can_exist_under(unclassified)
    # Issued from a run only: Wagtail's 添加子页面 never offers it.
    assert not Bulletin.can_create_at(unclassified)


def test_through_the_workflow_to_published(published, column, client):
    assert published.live and published.first_published_at
    response = client.get(published.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html and STALE_DETAIL in html and "单项否决" in html and "通报表扬" in html
    assert published.url + "pdf/" in html and published.url + "xlsx/" in html
    listing = client.get(column.url).content.decode()
    assert published.title in listing


def pdf_text(content):
    """The PDF's text in drawing order with line breaks and spaces dropped, so a cell's wrapped text reads whole."""
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True)
    return "".join(result.stdout.decode().split())


def test_pdf_export(published, township_a, township_b, county_office, client):
    response = client.get(published.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "%E5%AD%A3%E5%BA%A6%E9%80%9A%E6%8A%A5-2026Q4.pdf" in response["Content-Disposition"]  # 季度通报-2026Q4.pdf
    text = pdf_text(response.content)
    assert "政府网站和政务新媒体检查情况的通报" in text
    assert "各单位得分排名" in text
    for unit in (township_a, township_b, county_office):
        assert unit.name in text
    assert "栏目未按时更新" in text and "单项否决" in text and "通报表扬" in text


def test_xlsx_export(published, township_a, township_b, client):
    response = client.get(published.url + "xlsx/")
    assert response.status_code == 200
    assert "2026Q4.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("排名", "单位", "统一社会信用代码", "得分", "问题数", "扣分情况", "单项否决", "通报表扬")
    assert len(rows) == 1 + len(published.entries)
    by_code = {r[2]: r for r in rows[1:]}
    a, b = by_code[township_a.organisation_code], by_code[township_b.organisation_code]
    assert a[1] == township_a.name and a[4] == 1 and STALE_DETAIL in a[5] and a[6] == "否"
    assert a[3] == float(entry_of(published, township_a)["score"])
    assert b[6] == "是" and VETO_DETAIL in b[5]
    assert rows[-1][2] == township_b.organisation_code


def test_a_draft_is_never_exported_or_shown(bulletin, client):
    for suffix in ("", "pdf/", "xlsx/"):
        assert client.get(f"/tzgg/{bulletin.slug}/{suffix}").status_code == 404


def test_exports_show_the_live_content_not_a_newer_draft(published, client):
    draft = published.get_latest_revision_as_object()
    draft.intro = "<p>尚未审核的草稿说明甲</p>"
    draft.save_revision()
    assert "尚未审核的草稿说明甲" not in client.get(published.url).content.decode()
    assert "尚未审核的草稿说明甲" not in pdf_text(client.get(published.url + "pdf/").content)
    assert Bulletin.objects.get(pk=published.pk).intro != draft.intro


def test_the_table_is_not_editable_in_the_page_form(bulletin):
    form_class = Bulletin.get_edit_handler().get_form_class()
    assert {"title", "intro"} <= set(form_class.base_fields)
    assert not {"entries", "run", "quarter"} & set(form_class.base_fields)


def test_search_finds_a_bulletin_by_unit_name(published, township_a):
    # The index holds words and character pairs (site_pages.segmentation).
    assert {"石羊", "羊镇"} <= set(published.search_text().split())


def test_flagged_words_and_hidden_links_are_not_republished(run, column, township_a):
    flagged = "《石羊镇招商公告》敏感词：“某违禁词”（正文）（共 1 处）。"
    hidden = "《石羊镇简介》正文中隐藏的外部链接 http://spam.example.invalid/（字号为 0）"
    run.findings = [
        row(township_a, "content_flagged", flagged, rule="内容复查（敏感词）"),
        row(township_a, "hidden_link", hidden, rule="不得有暗链"),
    ]
    run.save()
    page = issue_bulletin(run, column)
    details = [d["detail"] for d in entry_of(page, township_a)["deductions"]]
    assert details == ["《石羊镇招商公告》存在问题，详见检查记录。", "《石羊镇简介》存在问题，详见检查记录。"]
    assert [d["rule"] for d in entry_of(page, township_a)["deductions"]] == ["内容复查（敏感词）", "不得有暗链"]
    # Several deductions of one unit are numbered in the exports' single cell.
    lines = deduction_lines(entry_of(page, township_a))
    assert lines[0].startswith("1. 内容问题：《石羊镇招商公告》") and lines[1].startswith("2. 暗链：")
