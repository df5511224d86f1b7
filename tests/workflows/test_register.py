"""信息发布登记, 审核单 (HTML and PDF) and 退回情况统计: who sees what, filters, exports."""

import csv
import datetime
import io
import shutil
import subprocess
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.http import content_disposition_header
from openpyxl import load_workbook
from wagtail.admin.auth import require_admin_access
from wagtail.models import Site, TaskState, Workflow, WorkflowState

from cms import urls as cms_urls
from tests.factories import PASSWORD, UserFactory, make_content
from workflows import register_urls
from workflows.models import PublicationRecord, UnitRoleTask, UnitTaskState
from workflows.register import record_number

# The lead mounts register_urls through the register_admin_urls hook, which adds the admin access check;
# this urlconf does the same so the tests run whether or not the hook is in place yet.
urlpatterns = [
    path(
        "admin/register/",
        include(
            (
                [
                    path(str(p.pattern), require_admin_access(p.callback), name=p.name)
                    for p in register_urls.urlpatterns
                ],
                register_urls.app_name,
            )
        ),
    ),
    *cms_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__), pytest.mark.usefixtures("shared_portal")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
SPRING_TITLE = "石羊镇召开春耕生产工作会议"
FLOOD_TITLE = "龙台镇防汛紧急通知"
BRIEF_TITLE = "石羊镇三月工作简报"


def at(month, day, hour=10, minute=0):
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def stage_entry(stage, label, role_label, user, when, checked=(), comment=""):
    return {
        "task": label,
        "stage": stage,
        "stage_label": label,
        "role": "",
        "role_label": role_label,
        "unit": "安岳县石羊镇人民政府测试",
        "user_id": None,
        "user": user,
        "finished_at": when.isoformat(),
        "checked": [],
        "checked_labels": list(checked),
        "comment": comment,
    }


FULL_STAGES = [
    {**stage_entry("", "自动检查", "", "系统", at(3, 10, 8)), "unit": ""},
    stage_entry("review_1", "一审", "信息员", "张信息", at(3, 10, 8, 30), ["保密性", "准确性"], "同意"),
    stage_entry("review_2", "二审", "分管负责人", "李分管", at(3, 10, 9), ["事实依据"], "数据已核对"),
    stage_entry("review_3", "三审（签发）", "主要负责人", "王主要", at(3, 10, 9, 20), ["政治导向"], "同意发布"),
    stage_entry("proof_1", "一校", "排版人员", "赵排版", at(3, 10, 9, 30)),
    stage_entry("proof_2", "二校", "股室负责人", "钱股长", at(3, 10, 9, 40)),
    stage_entry("proof_3", "三校", "分管负责人", "孙校对", at(3, 10, 9, 50), comment="校对无误"),
]


def make_record(column, unit, title, published_at, **fields):
    page = make_content(column, title=title)
    return PublicationRecord.objects.create(
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        revision=page.latest_revision,
        title=title,
        content_kind="文章",
        unit=unit,
        unit_name=unit.name,
        column=column,
        column_title=column.title,
        url=page.url or "",
        published_at=published_at,
        workflow_name="三审三校",
        **fields,
    )


@pytest.fixture
def records(portal, township_a, township_b):
    spring = make_record(
        portal["a"],
        township_a,
        SPRING_TITLE,
        at(3, 10),
        submitted_by_name="张信息",
        submitted_at=at(3, 9, 16),
        stages=FULL_STAGES,
        findings=[
            {
                "category": "wording",
                "term": "国务院办公厅",
                "matched": "国务院办",
                "start": 3,
                "end": 7,
                "severity": "warn",
                "suggestion": "国务院办公厅",
                "field": "body",
                "field_label": "正文",
            }
        ],
        acknowledgements=[{"user": "李分管", "at": at(3, 10, 9).isoformat(), "phase": "submit"}],
        overrides=[
            {
                "kind": "repost_source",
                "kind_label": "转载来源不在权威来源名录",
                "legal_basis": "",
                "reason": "来源为市农业农村局官网",
                "user": "王主要",
                "at": at(3, 10, 9, 15).isoformat(),
            }
        ],
        consents=[
            {"unit": "安岳县农业农村局", "user": "周局长", "at": at(3, 10, 9, 10).isoformat(), "comment": "同意"}
        ],
    )
    flood = make_record(
        portal["b"],
        township_b,
        FLOOD_TITLE,
        at(4, 2),
        emergency=True,
        emergency_reason="汛情紧急，需立即发布转移避险通知",
    )
    brief = make_record(portal["a"], township_a, BRIEF_TITLE, at(5, 1))
    return {"spring": spring, "flood": flood, "brief": brief}


def login(client, user):
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def admin_user(*permissions):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="workflows", codename=codename))
    return user


def listed(response):
    return {record.title for record in response.context["object_list"]}


def streamed(response):
    return b"".join(response.streaming_content)


# 信息发布登记


def test_register_lists_every_stage_approver_in_chinese(admin_client, records):
    response = admin_client.get(reverse("workflows_register:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert listed(response) == {SPRING_TITLE, FLOOD_TITLE, BRIEF_TITLE}
    for heading in (
        "发布时间",
        "标题",
        "栏目",
        "单位",
        "一审",
        "二审",
        "三审（签发）",
        "一校",
        "二校",
        "三校",
        "紧急发布",
    ):
        assert heading in html
    for name in ("张信息", "李分管", "王主要", "赵排版", "钱股长", "孙校对"):
        assert name in html
    assert "2025-03-10 10:00" in html
    assert reverse("workflows_register:form", args=[records["spring"].pk]) in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"emergency": "true"}, {FLOOD_TITLE}),
        ({"emergency": "false"}, {SPRING_TITLE, BRIEF_TITLE}),
        ({"published_at_from": "2025-03-11", "published_at_to": "2025-04-30"}, {FLOOD_TITLE}),
        ({"published_at_to": "2025-03-10"}, {SPRING_TITLE}),
        ({"q": "简报"}, {BRIEF_TITLE}),
    ],
)
def test_register_filters(admin_client, records, params, expected):
    response = admin_client.get(reverse("workflows_register:index"), params)
    assert listed(response) == expected


def test_register_filters_by_unit_and_column(admin_client, records, portal, township_a):
    url = reverse("workflows_register:index")
    assert listed(admin_client.get(url, {"unit": township_a.pk})) == {SPRING_TITLE, BRIEF_TITLE}
    assert listed(admin_client.get(url, {"column": portal["b"].pk})) == {FLOOD_TITLE}
    results = admin_client.get(reverse("workflows_register:index_results"), {"unit": township_a.pk})
    assert FLOOD_TITLE not in results.content.decode()


def test_unit_editor_sees_only_own_units_records(client, records, editor_a, township_b):
    login(client, editor_a)
    response = client.get(reverse("workflows_register:index"))
    assert listed(response) == {SPRING_TITLE, BRIEF_TITLE}
    # Another unit's id in the filter is not a valid choice, so it cannot widen the list either.
    assert FLOOD_TITLE not in client.get(reverse("workflows_register:index"), {"unit": township_b.pk}).content.decode()
    csv_text = streamed(client.get(reverse("workflows_register:index"), {"export": "csv"})).decode("utf-8-sig")
    assert SPRING_TITLE in csv_text
    assert FLOOD_TITLE not in csv_text
    flood = records["flood"].pk
    assert client.get(reverse("workflows_register:form", args=[flood])).status_code == 404
    assert client.get(reverse("workflows_register:form_pdf", args=[flood])).status_code == 404
    assert client.get(reverse("workflows_register:form", args=[records["spring"].pk])).status_code == 200


def test_view_permission_sees_every_unit(client, records):
    login(client, admin_user("view_publicationrecord"))
    assert listed(client.get(reverse("workflows_register:index"))) == {SPRING_TITLE, FLOOD_TITLE, BRIEF_TITLE}


def test_admin_user_without_role_or_permission_is_refused(client, records):
    login(client, admin_user())
    for url in (
        reverse("workflows_register:index"),
        reverse("workflows_register:rejections"),
        reverse("workflows_register:form", args=[records["spring"].pk]),
    ):
        # Wagtail's admin turns PermissionDenied into a redirect home with "no permission" message.
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_anonymous_is_sent_to_login(client, records):
    for url in (
        reverse("workflows_register:index"),
        reverse("workflows_register:form_pdf", args=[records["spring"].pk]),
        reverse("workflows_register:rejections"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_xlsx_export_has_chinese_headings_and_stage_times(admin_client, records):
    response = admin_client.get(
        reverse("workflows_register:index"), {"export": "xlsx", "unit": records["spring"].unit_id}
    )
    sheet = load_workbook(io.BytesIO(streamed(response))).active
    assert sheet.title == "信息发布登记"
    rows = list(sheet.iter_rows(values_only=True))
    headings = rows[0]
    for heading in (
        "登记号",
        "标题",
        "一审办理人",
        "一审时间",
        "三审（签发）办理人",
        "自动检查发现（条）",
        "联合发文会签",
    ):
        assert heading in headings
    spring = dict(zip(headings, next(row for row in rows if row[headings.index("标题")] == SPRING_TITLE), strict=True))
    assert spring["一审办理人"] == "张信息"
    assert spring["三校办理人"] == "孙校对"
    assert spring["一审时间"] == datetime.datetime(2025, 3, 10, 8, 30)  # local time, as the office reads it
    assert spring["发布时间"] == datetime.datetime(2025, 3, 10, 10, 0)
    assert spring["自动检查发现（条）"] == 1
    assert "来源为市农业农村局官网" in spring["主要负责人决定"]
    assert "安岳县农业农村局 周局长" in spring["联合发文会签"]
    assert spring["紧急发布"] == "否"
    assert len(rows) == 3


def test_csv_export_opens_in_excel_as_utf8(admin_client, records, portal, township_a):
    make_record(portal["a"], township_a, '=HYPERLINK("http://example.invalid")', at(6, 1))
    response = admin_client.get(reverse("workflows_register:index"), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = streamed(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_title = {row["标题"]: row for row in rows}
    assert by_title[SPRING_TITLE]["二审办理人"] == "李分管"
    assert by_title[SPRING_TITLE]["二审时间"] == "2025-03-10 09:00:00"
    assert by_title[FLOOD_TITLE]["紧急发布"] == "是"
    assert by_title[FLOOD_TITLE]["紧急发布理由"] == "汛情紧急，需立即发布转移避险通知"
    # A title that Excel would run as a formula is exported as text.
    assert '\'=HYPERLINK("http://example.invalid")' in by_title


# 信息发布审核单


def test_approval_form_shows_every_stage_and_decision(admin_client, records):
    record = records["spring"]
    response = admin_client.get(reverse("workflows_register:form", args=[record.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "信息发布审核单" in html
    for entry in FULL_STAGES:
        assert entry["stage_label"] in html
        assert entry["user"] in html
    for text in ("保密性、准确性", "数据已核对", "校对无误", "2025-03-10 09:20", "安岳县石羊镇人民政府测试", "石羊镇"):
        assert text in html
    assert "规范表述" in html and "国务院办" in html
    assert "提示确认：李分管" in html
    assert "转载来源不在权威来源名录：来源为市农业农村局官网" in html
    assert "安岳县农业农村局 周局长" in html
    assert "本审核单由系统根据审核记录自动生成" in html
    assert f"2025-{record.pk:06d}" in html
    assert 'class="emergency"' not in html


def test_approval_form_flags_emergency_publication(admin_client, records):
    html = admin_client.get(reverse("workflows_register:form", args=[records["flood"].pk])).content.decode()
    assert 'class="emergency"' in html
    assert "汛情紧急，需立即发布转移避险通知" in html
    assert "无审核环节记录（紧急发布）" in html


def test_approval_form_pdf_uses_a_chinese_font(admin_client, records, tmp_path):
    response = admin_client.get(reverse("workflows_register:form_pdf", args=[records["spring"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"STSong-Light" in pdf
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (tmp_path / "form.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "form.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    for expected in ("信息发布审核单", SPRING_TITLE, "张信息", "三审（签发）", "本审核单由系统根据审核记录自动生成"):
        assert expected in text


# 退回情况统计


@pytest.fixture
def rejections(portal, township_a, township_b):
    workflow = Workflow.objects.create(name="三审三校")
    review_1 = UnitRoleTask.objects.create(name="一审", stage="review_1", role="info_officer")
    review_2 = UnitRoleTask.objects.create(name="二审", stage="review_2", role="deputy_head")
    reviewer_a = UserFactory(username="sy_deputy", first_name="李分管")
    reviewer_b = UserFactory(username="lt_officer", first_name="陈信息")

    def reject(column, unit, title, task, reasons, when, reviewer, comment):
        page = make_content(column, title=title, publish=False)
        revision = page.latest_revision
        workflow_state = WorkflowState.objects.create(
            content_type=page.content_type,
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            workflow=workflow,
            status=WorkflowState.STATUS_NEEDS_CHANGES,
        )
        return UnitTaskState.objects.create(
            workflow_state=workflow_state,
            revision=revision,
            task=task,
            status=TaskState.STATUS_REJECTED,
            finished_at=when,
            finished_by=reviewer,
            comment=comment,
            unit=unit,
            role=task.role,
            stage=task.stage,
            reasons=reasons,
        )

    return [
        reject(
            portal["a"],
            township_a,
            "石羊镇人口普查数据",
            review_2,
            ["secret_sensitive", "inaccurate"],
            at(3, 3),
            reviewer_a,
            "删除未公开的村组数据",
        ),
        reject(portal["a"], township_a, "石羊镇招商简讯", review_2, ["inaccurate"], at(3, 20), reviewer_a, "金额有误"),
        reject(portal["b"], township_b, "龙台镇活动预告", review_1, ["untimely"], at(3, 25), reviewer_b, "活动已取消"),
        reject(portal["b"], township_b, "龙台镇旧闻", review_1, ["untimely"], at(1, 5), reviewer_b, "已过时效"),
    ]


def test_rejection_report_counts_reasons_per_unit(admin_client, rejections, township_a, township_b):
    response = admin_client.get(
        reverse("workflows_register:rejections"), {"finished_at_from": "2025-03-01", "finished_at_to": "2025-03-31"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    summary = response.context["summary"]
    rows = {row["unit"]: row for row in summary["rows"]}
    reasons = [str(label) for label in summary["reasons"]]
    inaccurate, secret, untimely = (
        reasons.index("数据或表述不准确"),
        reasons.index("涉及国家秘密或敏感信息"),
        reasons.index("时效性不符或不宜发布"),
    )
    assert rows[township_a.name]["total"] == 2
    assert rows[township_a.name]["counts"][inaccurate] == 2
    assert rows[township_a.name]["counts"][secret] == 1
    assert rows[township_b.name]["total"] == 1  # the January rejection is outside the range
    assert rows[township_b.name]["counts"][untimely] == 1
    assert summary["total"] == 3
    assert summary["totals"][inaccurate] == 2
    for text in (
        "石羊镇人口普查数据",
        "二审",
        "李分管",
        "涉及国家秘密或敏感信息、数据或表述不准确",
        "删除未公开的村组数据",
    ):
        assert text in html
    assert "龙台镇旧闻" not in html


def test_rejection_report_filters_by_reason_and_stage(admin_client, rejections):
    url = reverse("workflows_register:rejections")
    titles = {
        state.revision.object_str for state in admin_client.get(url, {"reason": "inaccurate"}).context["object_list"]
    }
    assert titles == {"石羊镇人口普查数据", "石羊镇招商简讯"}
    titles = {
        state.revision.object_str for state in admin_client.get(url, {"stage": "review_1"}).context["object_list"]
    }
    assert titles == {"龙台镇活动预告", "龙台镇旧闻"}


def test_rejection_report_is_limited_to_the_editors_units(client, rejections, editor_a):
    login(client, editor_a)
    response = client.get(reverse("workflows_register:rejections"))
    assert {state.revision.object_str for state in response.context["object_list"]} == {
        "石羊镇人口普查数据",
        "石羊镇招商简讯",
    }
    assert [row["unit"] for row in response.context["summary"]["rows"]] == ["安岳县石羊镇人民政府测试"]


def test_rejection_exports(admin_client, rejections):
    url = reverse("workflows_register:rejections")
    workbook = load_workbook(io.BytesIO(streamed(admin_client.get(url, {"export": "xlsx"}))))
    assert workbook.sheetnames == ["退回明细", "分类统计"]
    detail = list(workbook["退回明细"].iter_rows(values_only=True))
    assert detail[0] == ("退回时间", "标题", "审核单位", "环节", "审核角色", "审核人", "退回理由", "修改意见")
    assert ("石羊镇招商简讯", "二审", "分管负责人", "李分管", "数据或表述不准确", "金额有误") in [
        row[1:2] + row[3:] for row in detail
    ]
    counts = list(workbook["分类统计"].iter_rows(values_only=True))
    assert counts[0][0] == "审核单位" and counts[0][-1] == "退回次数"
    assert counts[-1][0] == "合计" and counts[-1][-1] == 4

    body = streamed(admin_client.get(url, {"export": "csv"}))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["标题"]: row["退回理由"] for row in rows}[
        "石羊镇人口普查数据"
    ] == "涉及国家秘密或敏感信息、数据或表述不准确"


def test_approval_form_pdf_has_a_chinese_name_its_number_and_the_full_url(admin_client, records, tmp_path):
    record = records["spring"]
    number = record_number(record)
    response = admin_client.get(reverse("workflows_register:form_pdf", args=[record.pk]))
    assert response["Content-Disposition"] == content_disposition_header(False, f"信息发布审核单-{number}.pdf")
    assert quote(f"信息发布审核单-{number}.pdf") in response["Content-Disposition"]
    full_url = Site.objects.get(is_default_site=True).root_url + record.url
    assert record.url.startswith("/") and full_url.startswith("http")
    html = admin_client.get(reverse("workflows_register:form", args=[record.pk])).content.decode()
    assert full_url in html and number in html
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (tmp_path / "form.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "form.pdf"), "-"], capture_output=True, check=True, text=True)
    compact = "".join(text.stdout.split())
    assert f"登记号：{number}" in compact and full_url in compact
