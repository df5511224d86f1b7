"""民意分析: counts by type, unit and month; each month's keywords (TF-IDF) find the planted topic, the rising
topic is found against the previous three months, stop words and personal data never become keywords;
the admin view's scope, charts and xlsx export."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from site_pages.letters import analysis
from tests.factories import log_in, member
from workflows.checks.personal_data import id_number_check_character

from .letter_reports_support import letter, make_board

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

JUL, AUG, SEP, OCT = (datetime.date(2025, month, 1) for month in (7, 8, 9, 10))
WRITER = "赵铁柱"
MOBILE = "13912345678"
ID_NUMBER = "51102119900101123" + id_number_check_character("51102119900101123")
STREETLIGHT = ("路灯坏了", "您好，请问领导，我反映一个问题：我们小区的路灯坏了很久，晚上出行不便，谢谢！")
ROAD = ("道路坑洼", "您好，村里通往镇上的道路坑洼积水，相关部门能否尽快修补？谢谢政府。")
NOISE = (
    "广场舞噪音扰民",
    f"您好，我是{WRITER}，电话{MOBILE}，身份证{ID_NUMBER}。小区广场舞噪音扰民严重，晚上十点还在放音乐，请问如何处理？",
)


@pytest.fixture
def built(home, township_a, township_b):
    board = make_board(home, township_a)
    for month in (JUL, AUG, SEP):
        for day, (subject, content) in ((3, STREETLIGHT), (10, STREETLIGHT), (17, ROAD)):
            letter(board, month.replace(day=day), subject=subject, content=content, letter_type="complaint")
    letter(board, OCT.replace(day=9), subject=STREETLIGHT[0], content=STREETLIGHT[1], letter_type="complaint")
    letter(board, OCT.replace(day=10), subject=ROAD[0], content=ROAD[1], unit=township_b, letter_type="suggestion")
    for day in (13, 14, 15):
        letter(board, OCT.replace(day=day), subject=NOISE[0], content=NOISE[1], name=WRITER, unit=township_b)
    # Left out: a duplicate and a letter held for screening.
    letter(
        board,
        OCT.replace(day=16),
        subject="重复",
        content="重复的留言内容",
        status="refused",
        refusal_reason="duplicate",
    )
    letter(board, OCT.replace(day=17), subject="待甄别", content="待甄别的留言内容", held_for_screening=True)
    return board


def all_keywords(result):
    return {keyword.word for month in result.month_analyses for keyword in month.keywords}


def test_counts_by_type_unit_and_month(built, township_a, township_b):
    result = analysis.analyse(AUG, OCT)
    assert result.months == [AUG, SEP, OCT]
    assert result.total == 3 + 3 + 5
    assert dict(result.by_type) == {"咨询": 3, "投诉": 7, "建议": 1}
    assert dict(result.by_unit) == {township_a.name: 7, township_b.name: 4}
    assert result.by_month_type["咨询"] == [("2025-08", 0), ("2025-09", 0), ("2025-10", 3)]
    assert [month.letters for month in result.month_analyses] == [3, 3, 5]


def test_keywords_find_the_planted_topics_and_the_rising_one(built):
    result = analysis.analyse(AUG, OCT)
    aug, sep, october = result.month_analyses
    assert aug.keywords[0].word == "路灯" and aug.keywords[0].letters == 2
    assert "噪音" in [keyword.word for keyword in october.keywords[:3]]
    assert [topic.word for topic in aug.rising + sep.rising] == []
    rising = {topic.word: topic for topic in october.rising}
    assert "噪音" in rising and "路灯" not in rising
    assert (rising["噪音"].letters, rising["噪音"].share, rising["噪音"].baseline) == (3, 60.0, 0.0)


def test_stop_words_and_personal_data_never_become_keywords(built):
    words = all_keywords(analysis.analyse(AUG, OCT))
    assert words
    assert not words & {"您好", "请问", "谢谢", "领导", "反映", "问题", "相关", "部门", "政府"}
    assert not words & analysis.stop_words()
    assert WRITER not in words and not any(char.isdigit() for word in words for char in word)
    assert {"赵铁柱", "13912345678"} & set(analysis.keywords_of(NOISE[1])) == set()
    assert all(MOBILE[-4:] not in word and ID_NUMBER[:6] not in word for word in words)


def test_personal_data_is_cut_out_before_segmenting():
    text = analysis.without_personal_data(NOISE[1], WRITER)
    assert MOBILE not in text and ID_NUMBER not in text and WRITER not in text
    assert "广场舞" in text


def test_unit_scope(built, township_b):
    result = analysis.analyse(AUG, OCT, unit_ids={township_b.pk})
    assert result.total == 4 and dict(result.by_unit) == {township_b.name: 4}


ADMIN_URL = "/admin/letter-analysis/"
RANGE = {"start": "2025-08", "end": "2025-10"}


def test_admin_page_with_charts_for_the_supervisor(client, built, county_office):
    log_in(client, member(county_office))
    response = client.get(ADMIN_URL, RANGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="img"') == 4 and "2025-10 热词" in page
    assert "噪音" in page and WRITER not in page and MOBILE not in page


def test_other_units_are_refused(client, built, township_a, township_b):
    log_in(client, member(township_b))
    page = client.get(ADMIN_URL, RANGE).content.decode()
    assert township_b.name in page and township_a.name not in page
    refused = client.get(ADMIN_URL, {**RANGE, "unit": township_a.pk})
    assert (refused.status_code, refused.url) == (302, "/admin/")


def test_xlsx_export(client, built, county_office):
    log_in(client, member(county_office))
    response = client.get(ADMIN_URL, {**RANGE, "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="public-opinion-2025-08-2025-10.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按类型", "按单位", "按月份", "热词", "上升话题"]
    types = {row[0]: row[1] for row in workbook["按类型"].iter_rows(min_row=3, values_only=True)}
    assert types == {"咨询": 3, "投诉": 7, "建议": 1}
    keywords = list(workbook["热词"].iter_rows(min_row=3, values_only=True))
    assert ("2025-08", 1, "路灯") == keywords[0][:3]
    rising = list(workbook["上升话题"].iter_rows(min_row=3, values_only=True))
    assert ("2025-10", "噪音", 3, 60.0, 0.0) in rising
    cells = " ".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row)
    assert WRITER not in cells and MOBILE not in cells and ID_NUMBER not in cells
