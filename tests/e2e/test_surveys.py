"""征集调查 in a real browser: the demo surveys' form and results pass the Nu HTML Checker and axe-core, a visitor
answers once and is told so the second time. Screenshots land in /tmp for a human to look at."""

import re

import pytest

from site_pages.demo.structure import DEMO_PASSWORD
from site_pages.models import SurveyPage, SurveyResponse
from tests.e2e.helpers import admin_log_in
from tests.e2e.test_smoke import BLOCKING_IMPACTS, format_violations
from tests.e2e.vnu import validate

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e

OPEN_SURVEY = "/hdjl/qmjsyjzj/"
CLOSED_SURVEY = "/hdjl/bmfwmyddc/"


def captcha_answer(page):
    label = page.locator("label[for=id_captcha]").text_content()
    a, b = (int(n) for n in re.findall(r"\d+", label)[:2])
    return str(a + b)


def test_survey_form_and_results_are_valid_accessible_and_answered_once(page, demo_site, run_axe):
    documents, problems = {}, []

    def check(name):
        documents[name] = page.content()
        page.screenshot(path=f"/tmp/e2e-survey-{name}.png", full_page=True)
        blocking = [v for v in run_axe(page)["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            problems.append(f"{name}:\n{format_violations(blocking)}")

    page.goto(CLOSED_SURVEY + "results/")
    expect(page.locator("svg.chart")).to_have_count(2)
    check("results")
    page.goto(CLOSED_SURVEY + "answer/")
    expect(page.get_by_text("不再接受回答")).to_be_visible()

    page.goto(OPEN_SURVEY)
    page.get_by_role("link", name="参与调查").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#error-summary")).to_contain_text("请回答第1题。")
    check("errors")

    page.get_by_label("偶尔").check()
    page.get_by_label("医院周边").check()
    page.get_by_label("学校周边").check()
    page.get_by_label("3. 其他意见建议").fill('<script>alert("x")</script>希望增加夜间停车位')
    page.locator("#id_captcha").fill(captcha_answer(page))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("提交成功")
    check("thanks")
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("您已参与过本次调查")
    expect(page.locator("#id_captcha")).to_have_count(0)
    (stored,) = SurveyResponse.objects.filter(survey__slug="qmjsyjzj").values_list("answers", flat=True)
    assert stored["where"] == ["医院周边", "学校周边"] and stored["idea"].startswith("<script>")

    assert not problems, "axe-core found serious/critical violations:\n" + "\n".join(problems)
    errors = validate(documents)
    assert errors == {}, "Nu HTML Checker errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )


def test_the_owning_unit_reads_the_answers_in_the_admin(page, demo_site):
    survey = SurveyPage.objects.get(slug="bmfwmyddc")
    admin_log_in(page, "xzfb_info_officer", DEMO_PASSWORD)
    page.goto(f"/admin/pages/{survey.pk}/edit/")
    # The 调查结果 button sits in the header's 动作 (…) menu.
    page.locator("#w-slim-header-buttons").get_by_role("button", name="动作").click()
    page.get_by_role("link", name="调查结果").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("调查结果")
    expect(page.get_by_text("共收到 51 份回答")).to_be_visible()
    page.screenshot(path="/tmp/e2e-survey-admin.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel（xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
