"""在线访谈 in a real browser: a citizen asks a question before the cut-off; the owning unit's info officer
adopts it and pulls it into the transcript draft. Screenshots land in /tmp for a human to look at."""

import re

import pytest

from site_pages.demo.structure import DEMO_PASSWORD
from site_pages.models import InterviewPage, InterviewQuestion
from tests.e2e.helpers import admin_log_in
from tests.e2e.test_smoke import BLOCKING_IMPACTS, format_violations

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e
CAPTCHA = re.compile(r"(\d+) 加 (\d+)")


def test_a_question_is_asked_adopted_and_pulled_into_the_transcript(page, demo_site, run_axe):
    interview = next(p for p in InterviewPage.objects.live() if p.accepts_questions())
    page.goto(interview.url)
    page.get_by_role("link", name="我要提问").click()
    page.get_by_label("昵称").fill("柠檬之乡<script>")
    page.get_by_label("提问内容").fill("请问城乡居民养老保险的缴费档次有哪些？")
    a, b = CAPTCHA.search(page.locator("label[for=id_captcha]").inner_text()).groups()
    page.get_by_label(re.compile("验证题")).fill(str(int(a) + int(b)))
    page.get_by_role("button", name="提交提问").click()
    expect(page.get_by_role("heading", name="提问已提交")).to_be_visible()
    blocking = [v for v in run_axe(page)["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(blocking)
    page.screenshot(path="/tmp/interview-ask-done.png", full_page=True)
    question = InterviewQuestion.objects.get(page=interview, nickname="柠檬之乡<script>")

    admin_log_in(page, "xzfb_info_officer", DEMO_PASSWORD)
    page.goto("/admin/interview-questions/")
    page.get_by_role("link", name=interview.title).click()
    row = page.locator("tr", has_text="请问城乡居民养老保险的缴费档次有哪些？")
    row.get_by_role("button", name="采用", exact=True).click()
    expect(page.get_by_text("已采用：柠檬之乡<script>的提问。")).to_be_visible()
    row.get_by_role("button", name="加入访谈实录").click()
    expect(row).to_contain_text("已加入访谈实录")
    page.screenshot(path="/tmp/interview-admin-questions.png", full_page=True)
    question.refresh_from_db()
    assert question.status == "adopted" and question.answered
    interview.refresh_from_db()
    draft = interview.get_latest_revision_as_object()
    assert list(draft.transcript)[-1].value["speaker"] == "柠檬之乡<script>"
