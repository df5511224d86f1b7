"""征集调查: question validation, the open period, one answer per visitor, published counts, export, XSS."""

import csv
import datetime
import io
import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.blocks import StreamBlockValidationError

from cms.security.models import AuditEntry
from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from site_pages.models import SurveyPage, SurveyResponse
from site_pages.models.surveys import MultipleChoiceBlock, QuestionsBlock, SingleChoiceBlock, TextQuestionBlock
from site_pages.surveys import public, visitor
from tests.factories import log_in
from tests.site_pages.test_sanitize import dangers

pytestmark = pytest.mark.usefixtures("shared_portal")

SINGLE, MULTIPLE, TEXT = "q-single", "q-multiple", "q-text"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    caches["strict"].clear()


def questions():
    return [
        {
            "type": "single",
            "id": SINGLE,
            "value": {
                "question": "您对便民服务中心是否满意？",
                "options": ["满意", "基本满意", "不满意"],
                "required": True,
            },
        },
        {
            "type": "multiple",
            "id": MULTIPLE,
            "value": {
                "question": "您希望增加哪些服务？",
                "options": ["延时服务", "预约服务", "上门服务"],
                "required": False,
                "max_choices": 2,
            },
        },
        {"type": "text", "id": TEXT, "value": {"question": "其他意见建议", "max_length": 50, "required": False}},
    ]


def make_survey(column, opens_in=-1, closes_in=5, publish_results=True, slug="myddc", title="便民服务满意度调查"):
    now = timezone.now()
    survey = SurveyPage(
        title=title,
        slug=slug,
        intro="<p>请您如实填写。</p>",
        questions=questions(),
        opens_at=now + datetime.timedelta(days=opens_in),
        closes_at=now + datetime.timedelta(days=closes_in),
        publish_results=publish_results,
    )
    column.add_child(instance=survey)
    survey.save_revision().publish()
    survey.refresh_from_db()
    return survey


def close(survey):
    SurveyPage.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=10), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    survey.refresh_from_db()


def form_url(survey):
    return survey.url + "answer/"


def results_url(survey):
    return survey.url + "results/"


def answer(client, survey, **data):
    """GET the form (which gives the visitor cookie and a captcha), then POST the answers."""
    assert client.get(form_url(survey)).status_code == 200
    payload = {f"q_{SINGLE}": "满意", "captcha": client.session[CAPTCHA_SESSION_KEY]}
    payload.update({f"q_{key}": value for key, value in data.items()})
    return client.post(form_url(survey), {k: v for k, v in payload.items() if v is not None})


@pytest.fixture
def survey(portal):
    return make_survey(portal["a"])


# ---------------------------------------------------------------- questions and dates


@pytest.mark.parametrize(
    ("block", "value", "field"),
    [
        (SingleChoiceBlock(), {"question": "问题", "options": ["甲"], "required": True}, "options"),
        (SingleChoiceBlock(), {"question": "问题", "options": ["甲", "甲"], "required": True}, "options"),
        (SingleChoiceBlock(), {"question": "", "options": ["甲", "乙"], "required": True}, "question"),
        (
            MultipleChoiceBlock(),
            {"question": "问题", "options": ["甲", "乙"], "required": True, "max_choices": 3},
            "max_choices",
        ),
        (TextQuestionBlock(), {"question": "问题", "max_length": 0, "required": False}, "max_length"),
        (TextQuestionBlock(), {"question": "问题", "max_length": 5000, "required": False}, "max_length"),
    ],
)
def test_each_question_type_is_validated(block, value, field):
    with pytest.raises(ValidationError) as raised:
        block.clean(block.to_python(value))
    assert field in raised.value.block_errors


def test_duplicate_options_are_refused_in_chinese():
    block = SingleChoiceBlock()
    with pytest.raises(ValidationError) as raised:
        block.clean(block.to_python({"question": "问题", "options": ["甲", "甲 "], "required": True}))
    assert "选项不能重复" in str(raised.value.block_errors["options"])


def test_a_valid_set_of_questions_passes():
    stream = QuestionsBlock()
    value = stream.to_python(questions())
    try:
        stream.clean(value)
    except StreamBlockValidationError as error:
        pytest.fail(str(error.as_json_data()))


def test_close_must_come_after_open_and_a_question_is_needed(portal):
    now = timezone.now()
    survey = SurveyPage(title="调查", slug="dc", opens_at=now, closes_at=now, questions=[])
    with pytest.raises(ValidationError) as raised:
        survey.clean()
    assert raised.value.message_dict["closes_at"] == ["截止时间必须晚于开始时间。"]
    assert raised.value.message_dict["questions"] == ["请至少添加一个问题。"]


def test_survey_is_offered_in_columns(portal):
    assert SurveyPage in portal["a"].specific.creatable_subpage_models()


# ---------------------------------------------------------------- the public form


def test_before_opening_the_page_announces_it_and_takes_no_answer(client, portal):
    survey = make_survey(portal["a"], opens_in=2, closes_in=9)
    html = client.get(form_url(survey)).content.decode()
    assert "本调查将于" in html and "<form" not in html.split('class="site-footer"')[0].split("<main")[-1]
    response = client.post(form_url(survey), {f"q_{SINGLE}": "满意"})
    assert response.status_code == 400 and "不在征集时间内" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_answer_is_stored_with_a_hashed_visitor_key_and_an_httponly_cookie(client, survey):
    response = answer(client, survey, **{MULTIPLE: ["延时服务", "上门服务"], TEXT: "希望周末也开放"})
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.answers == {SINGLE: "满意", MULTIPLE: ["延时服务", "上门服务"], TEXT: "希望周末也开放"}
    cookie = client.cookies[visitor.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 365 * 24 * 3600
    assert cookie.value not in stored.visitor_key and len(stored.visitor_key) == 64
    assert "提交成功" in client.get(form_url(survey)).content.decode()


def test_answered_twice_by_one_visitor_is_counted_once(client, survey):
    assert answer(client, survey).status_code == 302
    client.get(form_url(survey))  # the thanks are shown once
    html = client.get(form_url(survey)).content.decode()
    assert "您已参与过本次调查" in html and 'name="captcha"' not in html
    response = client.post(form_url(survey), {f"q_{SINGLE}": "不满意", "captcha": "2"})
    assert response.status_code == 409 and "您已参与过本次调查" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_two_submissions_racing_store_one(client, survey):
    """Both requests pass the 'already answered?' check before either stores: the constraint keeps one."""
    assert answer(client, survey).status_code == 302
    with mock.patch.object(public.SurveyResponse.objects, "filter") as looked_up:
        looked_up.return_value.exists.return_value = False
        response = answer(client, survey)
    assert response.status_code == 409 and "您已参与过本次调查" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_post_without_the_visitor_cookie_is_refused(client, survey):
    client.get(form_url(survey))
    captcha = client.session[CAPTCHA_SESSION_KEY]
    del client.cookies[visitor.COOKIE_NAME]
    response = client.post(form_url(survey), {f"q_{SINGLE}": "满意", "captcha": captcha})
    assert response.status_code == 400 and "请允许本网站保存 Cookie" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_another_visitor_may_answer(client, survey):
    assert answer(client, survey).status_code == 302
    assert answer(client.__class__(), survey).status_code == 302
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({SINGLE: None}, "请回答第1题。"),
        ({SINGLE: "非常满意"}, "第1题请从给出的选项中选择。"),
        ({MULTIPLE: ["延时服务", "伪造选项"]}, "第2题请从给出的选项中选择。"),
        ({MULTIPLE: ["延时服务", "预约服务", "上门服务"]}, "第2题最多选择2项。"),
        ({TEXT: "长" * 51}, "第3题的回答不能超过50个字。"),
        ({TEXT: "含有\x00字符"}, "第3题的回答含有无法识别的字符"),
        ({"captcha": "abc"}, "验证题答案请填写阿拉伯数字。"),
        ({"captcha": "999"}, "验证题答案不正确"),
    ],
)
def test_bad_answers_get_a_chinese_message_and_store_nothing(client, survey, data, message):
    if "captcha" in data:
        client.get(form_url(survey))
        payload = {f"q_{SINGLE}": "满意", **data}
        response = client.post(form_url(survey), payload)
    else:
        response = answer(client, survey, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_answers_are_rate_limited_per_address(client, survey, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"survey": (1, 3600)}
    assert answer(client, survey).status_code == 302
    response = answer(client.__class__(), survey)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_the_form_keeps_csrf(survey):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(form_url(survey))
    captcha = csrf_client.session[CAPTCHA_SESSION_KEY]
    response = csrf_client.post(form_url(survey), {f"q_{SINGLE}": "满意", "captcha": captcha})
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()


# ---------------------------------------------------------------- results


def test_results_are_hidden_while_open_and_counted_after_closing(client, survey):
    answer(client, survey, **{MULTIPLE: ["延时服务", "预约服务"], TEXT: "私人电话13800001234"})
    answer(client.__class__(), survey, **{SINGLE: "不满意", MULTIPLE: ["延时服务"]})
    answer(client.__class__(), survey, **{SINGLE: "满意"})
    html = client.get(results_url(survey)).content.decode()
    assert "survey-results" not in html and "<svg" not in html

    close(survey)
    html = client.get(results_url(survey)).content.decode()
    assert "共有 3 位访客参与" in html and html.count('<svg class="chart"') == 2
    results = survey.results()
    single, multiple, text = results["questions"]
    assert single["rows"] == [("满意", 2), ("基本满意", 0), ("不满意", 1)]
    assert multiple["rows"] == [("延时服务", 2), ("预约服务", 1), ("上门服务", 0)] and multiple["answered"] == 2
    assert text["rows"] is None
    assert '<th scope="row">满意</th><td>2</td><td>66.7%</td>' in html
    assert "13800001234" not in html and "不予公布" in html
    assert "<form" not in html.split("<main")[-1]


def test_results_not_published_when_the_page_says_so(client, portal):
    survey = make_survey(portal["a"], publish_results=False)
    answer(client, survey)
    close(survey)
    html = client.get(results_url(survey)).content.decode()
    assert "本次调查结果不对外公布" in html and "<svg" not in html


def test_the_page_itself_renders_the_same_whenever_and_for_whoever(client, survey):
    """The tamper fingerprint compares the served page with the published one: answers and time change nothing."""
    from cms.security.fingerprint import render_page

    before = render_page(survey)
    assert before and form_url(survey) in before[1] and results_url(survey) in before[1]
    answer(client, survey)
    with mock.patch("site_pages.models.surveys.timezone.now", return_value=survey.closes_at):
        assert render_page(survey) == before
    assert client.get(survey.url).content.decode().split("<main")[1] == before[1].split("<main")[1]


# ---------------------------------------------------------------- XSS


def test_hostile_answers_and_questions_are_stored_as_typed_and_rendered_inert(client, portal, editor_a, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"survey": (1000, 3600)}
    from tests.site_pages.test_sanitize import PAYLOADS

    payloads = PAYLOADS[:: max(1, len(PAYLOADS) // 40)] or [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
    ]
    hostile = questions()
    hostile[0]["value"]["options"] = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
    hostile[0]["value"]["question"] = "<svg onload=alert(1)>"
    survey = make_survey(portal["a"], slug="xss")
    survey.questions = hostile
    survey.save_revision().publish()
    survey.refresh_from_db()
    form_html = client.get(form_url(survey)).content.decode()
    questions_html = form_html.split("调查问题</legend>")[1].split("<legend>验证</legend>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in questions_html
    assert dangers(questions_html) == []
    for payload in payloads:
        other = client.__class__()
        other.get(form_url(survey))
        data = {f"q_{SINGLE}": "<script>alert(1)</script>", f"q_{TEXT}": payload[:50]}
        response = other.post(form_url(survey), {**data, "captcha": other.session[CAPTCHA_SESSION_KEY]})
        assert response.status_code == 302, payload
    stored = list(SurveyResponse.objects.values_list("answers", flat=True))
    assert len(stored) == len(payloads)
    assert {answers[SINGLE] for answers in stored} == {"<script>alert(1)</script>"}
    close(survey)
    public_html = client.get(results_url(survey)).content.decode()
    results_html = public_html.split('<section class="survey-results"')[1].split("</article>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in results_html
    charts = re.findall(r"<svg.*?</svg>", results_html, flags=re.S)
    # The chart is our own SVG; the labels in it must add nothing that runs.
    assert charts and all(dangers(chart) == ["<svg>"] for chart in charts)
    assert dangers(re.sub(r"<svg.*?</svg>", "", results_html, flags=re.S)) == []
    log_in(client, editor_a)
    admin_html = client.get(reverse("site_pages_survey_results", args=[survey.pk])).content.decode()
    body = admin_html.split('id="main"')[-1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)</script>" not in body


# ---------------------------------------------------------------- admin results and export


@pytest.fixture
def answered(client, survey):
    answer(client, survey, **{MULTIPLE: ["延时服务", "预约服务"], TEXT: '=HYPERLINK("http://x")'})
    answer(client.__class__(), survey, **{SINGLE: "不满意", TEXT: "联系电话13800001234"})
    return survey


def test_the_owning_unit_reads_every_answer_and_exports_them(client, answered, editor_a):
    log_in(client, editor_a)
    html = client.get(reverse("site_pages_survey_results", args=[answered.pk])).content.decode()
    assert "联系电话13800001234" in html and "共收到 2 份回答" in html

    response = client.get(reverse("site_pages_survey_export", args=[answered.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][2:] == ["1. 您对便民服务中心是否满意？", "2. 您希望增加哪些服务？", "3. 其他意见建议"]
    assert rows[1][2:] == ["满意", "延时服务；预约服务", '\'=HYPERLINK("http://x")']
    assert rows[2][2:] == ["不满意", None, "联系电话13800001234"]
    assert sheet["E2"].data_type == "s"

    response = client.get(reverse("site_pages_survey_export", args=[answered.pk, "csv"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[1][2:] == ["满意", "延时服务；预约服务", '\'=HYPERLINK("http://x")']
    assert lines[2][2:] == ["不满意", "", "联系电话13800001234"]

    exports = AuditEntry.objects.filter(action="personal_data.export", object_id=str(answered.pk))
    assert exports.count() == 2 and {entry.user for entry in exports} == {editor_a}


def test_other_units_cannot_read_or_export_answers(client, answered, editor_b):
    log_in(client, editor_b)
    urls = [
        reverse("site_pages_survey_results", args=[answered.pk]),
        reverse("site_pages_survey_export", args=[answered.pk, "xlsx"]),
        reverse("site_pages_survey_export", args=[answered.pk, "csv"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"13800001234" not in response.content
    assert not AuditEntry.objects.filter(action="personal_data.export").exists()


def test_an_unknown_export_format_is_not_found(client, answered, editor_a):
    log_in(client, editor_a)
    assert client.get(reverse("site_pages_survey_export", args=[answered.pk, "pdf"])).status_code == 404


def test_the_results_button_is_offered_to_the_owning_unit_only(client, answered, editor_a, editor_b):
    url = reverse("site_pages_survey_results", args=[answered.pk])
    explorer = reverse("wagtailadmin_explore", args=[answered.get_parent().pk])
    log_in(client, editor_a)
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[answered.pk])).content.decode()
    assert url in client.get(explorer).content.decode()
    client.logout()
    log_in(client, editor_b)
    assert url not in client.get(explorer).content.decode()
