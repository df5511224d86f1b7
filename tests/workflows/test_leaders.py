"""领导职务名录: the leader detector (names, titles, former titles, order), its xlsx transfer, the admin
kept by the 县政府办 and the demo seeder."""

import datetime
import io
from dataclasses import fields

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import UserFactory, log_in, member
from workflows import checks
from workflows.checks import Finding
from workflows.lexicon import leader_transfer
from workflows.lexicon.leaders import leader_findings, register_cache
from workflows.lexicon.leaders_admin import LeaderTitleViewSet
from workflows.lexicon.models import LeaderTitle

pytestmark = pytest.mark.usefixtures("shared_portal")

TODAY = datetime.date(2026, 12, 1)
IMPORT = "/admin/leader_titles/import/"
EXPORT = "/admin/leader_titles/export/"


@pytest.fixture(autouse=True)
def register(db):
    register_cache.invalidate()
    rows = [
        ("林志远", "县委书记", 1, datetime.date(2024, 3, 1), None),
        ("林志远", "县长", 2, datetime.date(2021, 6, 1), datetime.date(2024, 2, 29)),
        ("周文博", "县长", 2, datetime.date(2024, 4, 1), None),
        ("吴静怡", "常务副县长", 5, datetime.date(2023, 2, 1), None),
        ("郑浩然", "副县长", 6, datetime.date(2023, 2, 1), None),
        ("孙雨桐", "副县长", 7, datetime.date(2027, 1, 1), None),
    ]
    for name, title, rank, valid_from, valid_to in rows:
        LeaderTitle.objects.create(name=name, title=title, rank=rank, valid_from=valid_from, valid_to=valid_to)
    yield
    register_cache.invalidate()


def found(text, day=TODAY):
    findings = leader_findings(text, day)
    for finding in findings:
        assert text[finding["start"] : finding["end"]] == finding["matched"]
    return [(f["matched"], f["severity"], f["kind"]) for f in findings]


def test_findings_have_the_scanner_format():
    text = "会上，郑浩然县长指出"
    [finding] = leader_findings(text, TODAY)
    assert set(finding) == {field.name for field in fields(Finding)}
    assert Finding.from_dict(finding).blocks_publication
    assert finding["category"] == "expression"
    assert text[finding["start"] : finding["end"]] == finding["matched"] == "郑浩然县长"
    assert "副县长" in finding["suggestion"]


def test_wrong_title_is_blocked_in_either_order():
    assert found("郑浩然县长出席") == [("郑浩然县长", "block", "leader_title")]
    assert found("县长郑浩然出席") == [("县长郑浩然", "block", "leader_title")]
    assert found("郑浩然 县长出席") == [("郑浩然 县长", "block", "leader_title")]


def test_right_title_and_look_alikes_pass():
    assert found("副县长郑浩然出席") == []
    assert found("郑浩然副县长出席") == []
    assert found("常务副县长吴静怡主持") == []  # 副县长 inside 常务副县长, 县长 inside both
    assert found("县长周文博、副县长郑浩然出席") == []
    assert found("郑浩然同志出席，县长讲话") == []  # no title next to the name
    assert found("周文博，副县长郑浩然") == []  # punctuation between name and the next title


def test_title_is_judged_on_the_content_date():
    # 孙雨桐 becomes 副县长 on 2027-01-01.
    assert found("副县长孙雨桐", datetime.date(2026, 12, 31)) == [("副县长孙雨桐", "block", "leader_title")]
    assert found("副县长孙雨桐", datetime.date(2027, 1, 1)) == []
    finding = leader_findings("副县长孙雨桐", datetime.date(2026, 12, 31))[0]
    assert "没有孙雨桐的任职" in finding["suggestion"]


def test_former_title_used_as_current_is_blocked():
    assert found("县长林志远出席") == [("县长林志远", "block", "former_title")]
    finding = leader_findings("林志远县长出席", TODAY)[0]
    assert "原任职务" in finding["suggestion"] and "县委书记" in finding["suggestion"]
    # Still 县长 on the last day; 县委书记 only from 2024-03-01.
    assert found("县长林志远出席", datetime.date(2024, 2, 29)) == []
    assert found("县委书记林志远", datetime.date(2024, 2, 29)) == [("县委书记林志远", "block", "leader_title")]
    assert found("县委书记林志远") == []


def test_name_one_character_off_the_holder_is_blocked():
    assert found("县长周文搏主持会议") == [("县长周文搏", "block", "leader_name")]
    assert found("周闻博县长主持会议") == [("周闻博县长", "block", "leader_name")]
    finding = leader_findings("县长周文搏主持", TODAY)[0]
    assert "疑似领导姓名错误" in finding["suggestion"] and "周文博" in finding["suggestion"]


def test_names_near_the_holder_that_are_not_misspellings_pass():
    assert found("县长周文博主持会议") == []
    assert found("县长主持会议") == []  # 主持会 differs in three characters
    assert found("县长周小明主持会议") == []  # two characters differ
    # A title whose holder changed: 林志远's near misses count against 县长 only while he held it.
    assert found("县长林志达主持") == []
    assert found("县长林志达主持", datetime.date(2023, 1, 1)) == [("县长林志达", "block", "leader_name")]
    # A title with no current holder at all.
    assert found("副县长孙雨彤", datetime.date(2026, 1, 1)) == []


def test_leaders_out_of_protocol_order_warn():
    assert found("郑浩然、周文博、林志远出席会议") == [("郑浩然、周文博、林志远", "warn", "leader_order")]
    finding = leader_findings("县长周文博，县委书记林志远出席", TODAY)[0]
    assert finding["severity"] == "warn" and "林志远、周文博" in finding["suggestion"]


def test_leaders_in_order_or_in_separate_sentences_pass():
    assert found("林志远、周文博、吴静怡、郑浩然出席会议") == []
    assert found("县委书记林志远，县长周文博出席") == []
    assert found("郑浩然讲话。林志远指出") == []
    assert found("郑浩然说，要把这项工作落到实处，请各部门认真对照检查，林志远指出") == []  # too far apart
    # Ranks as of the date: before 2024-03-01 林志远 ranked 2 (县长), the same as 周文博 later.
    assert found("吴静怡、林志远", datetime.date(2023, 6, 1)) == [("吴静怡、林志远", "warn", "leader_order")]


def test_title_and_name_in_either_order_with_spaces_between():
    assert found("县长　周文博出席") == []
    assert found("县长 郑浩然出席") == [("县长 郑浩然", "block", "leader_title")]
    assert found("郑浩然　县长出席") == [("郑浩然　县长", "block", "leader_title")]
    assert found("会上，县长·郑浩然指出") == [("县长·郑浩然", "block", "leader_title")]
    # A title between two names: the one it touches takes it; with spaces on both sides it is nobody's.
    assert found("县委书记林志远 县长周文博出席") == []
    assert found("周文博县长 郑浩然副县长出席") == []
    assert found("周文博 县长 郑浩然 副县长") == []
    assert found("县委书记 林志远 县长 周文博") == []


def test_a_longer_title_containing_a_registered_one_claims_nothing_about_it():
    assert found("县长助理郑浩然出席") == []
    assert found("郑浩然县长助理出席") == []
    assert found("县长秘书周闻博") == [] and found("周闻博县长助理") == []  # no near miss of 周文博 either
    assert found("代县长郑浩然") == []  # 代县长 is not in the register: nothing to check against
    LeaderTitle.objects.filter(title="副县长").delete()
    # With only 县长 and 常务副县长 registered, 副县长 is still not 县长.
    assert found("副县长吴静怡出席") == []
    assert found("常务副县长吴静怡出席") == []
    assert found("县长吴静怡出席") == [("县长吴静怡", "block", "leader_title")]


def test_each_title_of_a_list_before_a_name_is_checked():
    LeaderTitle.objects.create(name="周文博", title="县委副书记", rank=2, valid_from=datetime.date(2024, 4, 1))
    LeaderTitle.objects.create(name="陈立新", title="县委副书记", rank=3, valid_from=datetime.date(2023, 1, 1))
    assert found("县委副书记、县长周文博出席") == []
    assert found("县委副书记 、 县长　周文博出席") == []
    assert found("县委副书记、县长郑浩然出席") == [
        ("县委副书记、县长郑浩然", "block", "leader_title"),
        ("县长郑浩然", "block", "leader_title"),
    ]
    assert found("县委副书记、副县长郑浩然出席") == [("县委副书记、副县长郑浩然", "block", "leader_title")]
    [finding] = leader_findings("县委书记、县长周文博出席", TODAY)
    assert finding["matched"] == "县委书记、县长周文博" and "不任“县委书记”" in finding["suggestion"]
    # A comma ends the list of titles: 县委书记 is then not said of 周文博.
    assert found("县委书记，县长周文博出席") == []
    # Names in the list start a new one: 林志远 is 县委书记, 周文博 县委副书记 and 县长.
    assert found("县委书记林志远、县委副书记、县长周文博出席") == []


def test_each_title_in_brackets_after_a_name_is_checked():
    assert found("出席：周文博（县长）、郑浩然（县长）") == [("郑浩然（县长）", "block", "leader_title")]
    assert found("周文博（县长）、郑浩然（ 县长 ）") == [("郑浩然（ 县长 ）", "block", "leader_title")]
    assert found("郑浩然(常务副县长)出席") == [("郑浩然(常务副县长)", "block", "leader_title")]
    assert found("郑浩然（副县长、县长）") == [("郑浩然（副县长、县长）", "block", "leader_title")]
    assert found("出席：林志远（县委书记）、周文博（县长）、郑浩然（ 副县长 ）") == []
    # Brackets holding more than registered titles say nothing about the name.
    assert found("郑浩然（县长助理）") == [] and found("郑浩然（县长讲话稿）") == []
    assert found("郑浩然（县长、局长）") == []


def test_width_traditional_characters_and_padded_names_are_read_as_the_register():
    assert found("鄭浩然縣長出席") == [("鄭浩然縣長", "block", "leader_title")]
    assert found("郑浩然县長出席") == [("郑浩然县長", "block", "leader_title")]
    assert found("縣長周文博、副縣長鄭浩然") == []
    assert found("縣長周文搏") == [("縣長周文搏", "block", "leader_name")]
    LeaderTitle.objects.create(name="何川", title="副县长", rank=8, valid_from=datetime.date(2025, 1, 1))
    assert found("副县长何　川出席") == []
    assert found("县长何　川出席") == [("县长何　川", "block", "leader_title")]
    assert found("何 川县长") == [("何 川县长", "block", "leader_title")]
    assert found("林志远、何　川、周文博") == [("林志远、何　川、周文博", "warn", "leader_order")]
    [finding] = checks.expression_findings("县长何　川", TODAY)
    assert isinstance(finding, Finding) and (finding.category, finding.matched) == ("expression", "县长何　川")


def test_a_title_marked_as_past_is_not_a_former_title_used_as_current():
    assert found("原县长林志远出席") == []
    assert found("时任县长林志远主持") == []
    assert found("原县委书记、县长林志远", datetime.date(2025, 1, 1)) == []  # 原 marks the whole list
    assert found("原县长郑浩然") == [("县长郑浩然", "block", "leader_title")]  # never held it
    assert found("原县长林志远", datetime.date(2021, 1, 1)) == [("县长林志远", "block", "leader_title")]  # not yet


def test_a_term_of_office_is_judged_on_each_side_of_its_dates():
    # 林志远 was 县长 from 2021-06-01 to 2024-02-29.
    before = leader_findings("县长林志远", datetime.date(2021, 5, 31))
    assert [(f["kind"], f["severity"]) for f in before] == [("leader_title", "block")]
    assert "名录中该日期没有林志远的任职" in before[0]["suggestion"]
    assert found("县长林志远", datetime.date(2021, 6, 1)) == []
    assert found("县长林志远", datetime.date(2024, 2, 29)) == []
    assert found("县长林志远", datetime.date(2024, 3, 1)) == [("县长林志远", "block", "former_title")]


def test_leaders_listed_with_titles_and_separators_follow_rank():
    assert found("县委书记林志远、县长周文博、副县长郑浩然出席") == []
    assert found("县委书记林志远 县长周文博 副县长郑浩然出席") == []
    assert found("林志远，周文博，吴静怡，郑浩然") == []
    assert found("副县长郑浩然、县长周文博、县委书记林志远出席") == [
        ("郑浩然、县长周文博、县委书记林志远", "warn", "leader_order")
    ]
    assert found("县长周文博，副县长郑浩然，常务副县长吴静怡出席") == [
        ("周文博，副县长郑浩然，常务副县长吴静怡", "warn", "leader_order")
    ]
    assert found("林志远　周文博　郑浩然　吴静怡") == [("林志远　周文博　郑浩然　吴静怡", "warn", "leader_order")]
    finding = leader_findings("副县长郑浩然、县长周文博、县委书记林志远", TODAY)[0]
    assert "林志远、周文博、郑浩然" in finding["suggestion"]


def test_at_most_one_query_per_call_however_many_matches(django_assert_max_num_queries):
    text = "县长周文博、副县长郑浩然出席。" * 200 + "郑浩然县长"
    leader_findings(text, TODAY)
    with django_assert_max_num_queries(1):
        assert len(leader_findings(text, TODAY)) == 1
    register_cache.invalidate()
    with django_assert_max_num_queries(2):
        assert len(leader_findings(text, TODAY)) == 1


def test_changes_in_another_process_are_noticed_after_the_trust_window(monkeypatch):
    assert found("郑浩然县长") != []
    # A queryset update sends no signal, as a save in another process would not reach this one.
    LeaderTitle.objects.filter(name="郑浩然").update(title="县长", updated_at=timezone.now())
    monkeypatch.setattr("workflows.lexicon.leaders.VERSION_CHECK_SECONDS", 0)
    assert found("郑浩然县长") == []


def test_a_changed_register_is_used_at_once():
    assert found("郑浩然县长") != []
    LeaderTitle.objects.create(name="郑浩然", title="县长", rank=2, valid_from=datetime.date(2026, 11, 1))
    assert found("郑浩然县长") == []


# ---------------------------------------------------------------------------------------------- xlsx


def workbook_bytes(rows, header=True):
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append([str(title) for title in leader_transfer.HEADER])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def post_import(client, content, name="leaders.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)}, follow=True)


def snapshot():
    return sorted(LeaderTitle.objects.values_list("name", "title", "unit", "rank", "valid_from", "valid_to"))


@pytest.fixture
def office_client(client, county_office):
    return log_in(client, member(county_office, "info_officer", username="xzfb_leaders"))


def test_import_creates_and_updates(office_client):
    content = workbook_bytes(
        [
            ["李晓东", "副县长", "安岳县人民政府", 8, datetime.datetime(2025, 3, 1), None],
            ["郑浩然", "副县长", "安岳县人民政府", 9, "2023/2/1", ""],
        ]
    )
    response = post_import(office_client, content)
    assert "新增 1 条，更新 1 条" in response.content.decode()
    assert LeaderTitle.objects.get(name="李晓东").valid_from == datetime.date(2025, 3, 1)
    assert LeaderTitle.objects.get(name="郑浩然").rank == 9
    assert found("李晓东副县长") == []


def test_import_is_all_or_nothing_with_an_error_per_row(office_client):
    before = snapshot()
    content = workbook_bytes(
        [
            ["李晓东", "副县长", "", 8, "2025-03-01", ""],
            ["", "副县长", "", 8, "2025-03-01", ""],
            ["王某", "副县长", "", "第一", "2025-03-01", ""],
            ["王某", "副县长", "", 3, "三月", ""],
            ["王某", "副县长", "", 3, "2025-03-01", "2024-01-01"],
            ["李晓东", "副县长", "", 8, "2025-03-01", ""],
            ["王某", "副县长", "", 3, "2025-03-01", "", "多余"],
        ]
    )
    page = post_import(office_client, content).content.decode()
    assert "未导入任何记录" in page
    for line, message in (
        (3, "姓名和职务不能为空"),
        (4, "排序“第一”不是非负整数"),
        (5, "任职起始日期“三月”不是有效日期"),
        (6, "任职终止日期早于起始日期"),
        (7, "与第 2 行重复"),
        (8, "列数过多"),
    ):
        assert f"第 {line} 行：" in page and message in page
    assert snapshot() == before


def test_import_refuses_other_files(office_client):
    response = post_import(office_client, b"name\ttitle\n", name="leaders.txt")
    assert response.status_code == 200 and "xlsx" in response.content.decode()
    response = post_import(office_client, b"not a workbook")
    assert "无法读取 Excel 文件" in response.content.decode()


def test_export_then_import_round_trip(office_client):
    response = office_client.get(EXPORT)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == [str(title) for title in leader_transfer.HEADER]
    assert sheet.max_row == 1 + LeaderTitle.objects.count()
    before = snapshot()
    LeaderTitle.objects.all().delete()
    assert "新增 6 条" in post_import(office_client, data).content.decode()
    assert snapshot() == before
    assert "跳过 6 条" in post_import(office_client, data).content.decode()


# ---------------------------------------------------------------------------------------------- admin


def refused(response):
    """403, or Wagtail's redirect to the dashboard (no permission) or to the login (no admin access)."""
    return response.status_code == 403 or (
        response.status_code == 302 and (response.url == "/admin/" or response.url.startswith("/admin/login/"))
    )


def viewset_urls():
    """Every URL of the register's viewset, those taking an object id included."""
    row = LeaderTitle.objects.first()
    urls = []
    for pattern in LeaderTitleViewSet("leader_titles").get_urlpatterns():
        if not pattern.name:
            continue
        args = [row.pk] if pattern.pattern.regex.groups or "<" in str(pattern.pattern) else []
        urls.append(reverse(f"leader_titles:{pattern.name}", args=args))
    return urls


def test_county_office_member_may_edit(office_client):
    for url in viewset_urls():
        assert office_client.get(url).status_code == 200, url
    data = {"name": "何嘉宁", "title": "副县长", "unit": "", "rank": "8", "valid_from": "2026-01-01", "valid_to": ""}
    assert office_client.post(reverse("leader_titles:add"), data).status_code == 302
    row = LeaderTitle.objects.get(name="何嘉宁")
    data["title"] = "常务副县长"
    assert office_client.post(reverse("leader_titles:edit", args=[row.pk]), data).status_code == 302
    assert LeaderTitle.objects.get(pk=row.pk).title == "常务副县长"
    assert office_client.post(reverse("leader_titles:delete", args=[row.pk])).status_code == 302
    assert not LeaderTitle.objects.filter(pk=row.pk).exists()


def test_township_editor_and_inactive_office_may_not(client, editor_a, county_office):
    log_in(client, editor_a)
    urls = viewset_urls()
    assert urls
    for url in urls:
        assert refused(client.get(url)), url
    before = snapshot()
    data = {"name": "何嘉宁", "title": "县长", "rank": "1", "valid_from": "2026-01-01"}
    assert refused(client.post(reverse("leader_titles:add"), data))
    row = LeaderTitle.objects.get(name="郑浩然")
    assert refused(client.post(reverse("leader_titles:delete", args=[row.pk])))
    assert refused(client.post(IMPORT, {"file": SimpleUploadedFile("l.xlsx", workbook_bytes([]))}))
    assert snapshot() == before
    # A member of the office loses the right when the office is deactivated.
    office_user = member(county_office, "head", username="xzfb_head")
    county_office.active = False
    county_office.save()
    log_in(client, office_user)
    assert refused(client.get(reverse("leader_titles:index")))


def test_superuser_may_edit(client):
    log_in(client, UserFactory(username="leaders_root", is_superuser=True, is_staff=True))
    for url in viewset_urls():
        assert client.get(url).status_code == 200, url


def test_invalid_form_gets_chinese_errors(office_client):
    data = {"name": "何", "title": "县", "rank": "1", "valid_from": "2026-01-01", "valid_to": "2025-01-01"}
    page = office_client.post(reverse("leader_titles:add"), data).content.decode()
    assert "姓名至少两个字" in page and "职务至少两个字" in page and "任职终止日期早于起始日期" in page


# ---------------------------------------------------------------------------------------------- demo


def test_demo_seeder_is_idempotent(settings):
    settings.DEMO_SEED_ALLOWED = True
    LeaderTitle.objects.all().delete()
    call_command("seed_leader_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("seed_leader_demo", stdout=io.StringIO())
    assert snapshot() == first and len(first) >= 8
    assert found("县长林志远") == [("县长林志远", "block", "former_title")]
    assert found("县委书记林志远，县长周文博出席") == []


def test_the_automated_check_finds_a_wrong_title_in_a_page_on_its_own_date(portal):
    from tests.factories import make_content, paragraph
    from workflows.checks import scan_object

    page = make_content(portal["a"], title="县政府常务会议", text="会上，郑浩然县长指出", publish=False)
    page.written_date = datetime.date(2026, 11, 30)
    [finding] = [f for f in scan_object(page) if f.category == "expression"]
    assert (finding.matched, finding.severity) == ("郑浩然县长", "block")
    assert finding.field.startswith("body.")
    assert finding.category_label == "严重表述错误"
    # The page's 成文日期 decides: 林志远 was 县长 until February 2024 and is 县委书记 since.
    page.body = paragraph("林志远县长出席")
    assert [f.matched for f in scan_object(page) if f.category == "expression"] == ["林志远县长"]
    page.written_date = datetime.date(2023, 5, 4)
    assert not [f for f in scan_object(page) if f.category == "expression"]
