"""三审三校 in a real browser: an article with a sensitive term is bounced by the automated check, fixed,
resubmitted, approved by six people of 石羊镇 in the Wagtail admin, and then shown on the public site.

Run: E2E_REQUIRED=1 .venv/bin/pytest -q tests/e2e/test_review_workflow.py
Screenshots land in var/e2e-screenshots/ (review-*.png).
"""

import re

import pytest

from cms.organisation.models import Unit
from site_pages.models import ArticlePage, ColumnPage
from tests.e2e.helpers import admin_log_in
from tests.factories import PASSWORD, member
from workflows import api
from workflows.models import PublicationRecord

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

# On a copy of the demo county that the live server shares (conftest.py's demo_site).
pytestmark = pytest.mark.e2e

COLUMN_SLUG = "sy"  # 新闻动态 > 乡镇动态 > 石羊镇, owned by 安岳县石羊镇人民政府 in the demo county
SENSITIVE_TITLE = "石羊镇代开发票服务点开放"
FIXED_TITLE = "石羊镇便民服务点开放"
BODY = "镇便民服务中心新设服务窗口，方便群众就近办理社保、医保等事项。"
# (stage reached before this reviewer acts, reviewer key): 三校 by a second deputy head.
APPROVALS = [
    ("review_1", "info_officer"),
    ("review_2", "deputy_head"),
    ("review_3", "head"),
    ("proof_1", "typesetter"),
    ("proof_2", "section_chief"),
    ("proof_3", "deputy_head_2"),
]
FOOTER_MORE = "footer .w-dropdown__toggle"
SUBMIT = "footer button[name=action-submit]"
AWAITING_REVIEW = "#awaiting-review-section"
MODAL = ".modal-body"
MODAL_SCREENSHOTS = {"review_2": "review-approve-modal.png", "proof_1": "review-proof-modal.png"}


@pytest.fixture
def reviewers(demo_site):
    """Six distinct people of the seeded 石羊镇, one per stage (two deputy heads: 二审 and 三校)."""
    unit = Unit.objects.get(short_name="石羊镇")
    return {
        "info_officer": member(unit, "info_officer", username="e2e_xinxiyuan", email="e2e-xxy@example.invalid"),
        "deputy_head": member(unit, "deputy_head", username="e2e_fenguan", email="e2e-fg@example.invalid"),
        "head": member(unit, "head", username="e2e_zhuyao", email="e2e-zy@example.invalid"),
        "typesetter": member(unit, "typesetter", username="e2e_paiban", email="e2e-pb@example.invalid"),
        "section_chief": member(unit, "section_chief", username="e2e_gushi", email="e2e-gs@example.invalid"),
        "deputy_head_2": member(unit, "deputy_head", username="e2e_fenguan2", email="e2e-fg2@example.invalid"),
    }


def log_in(page, user):
    """Logs in through the admin's login form (and its two-factor step), after dropping the previous
    user's session."""
    admin_log_in(page, user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))


def submit_for_review(page):
    """Opens the footer's action menu and clicks its submit (or resubmit) item; waits for the redirect."""
    page.locator(FOOTER_MORE).click()
    submit = page.locator(SUBMIT)
    expect(submit).to_be_visible()
    with page.expect_navigation():
        submit.click()


def write_article(page, column):
    page.goto(f"/admin/pages/add/site_pages/articlepage/{column.pk}/")
    page.fill("#id_title", SENSITIVE_TITLE)
    # A new page's body already holds one paragraph block, ready to type in.
    expect(page.locator("#body-root .public-DraftEditor-content")).to_have_count(1)
    page.locator("#body-root .public-DraftEditor-content").click()
    page.keyboard.type(BODY)
    # Draftail writes its hidden input after a short delay: submitting earlier saves an empty paragraph.
    expect(page.locator("#body-0-value")).to_have_value(re.compile(BODY[:8]))


def approve_from_dashboard(page, title, checklist, comment, screenshot=None):
    """Approves the item from the dashboard's 待您审核 panel, ticking every checklist item in the modal
    (checklist: the keys the workflow expects; the proof stages have none)."""
    page.goto("/admin/")
    row = page.locator(f"{AWAITING_REVIEW} tr", has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="通过", exact=True).click()
    modal = page.locator(MODAL)
    expect(modal.locator("form")).to_be_visible()
    boxes = modal.locator("input[type=checkbox][name=checked]")
    assert [box.get_attribute("value") for box in boxes.all()] == checklist
    for box in boxes.all():
        box.check()
    modal.locator("textarea[name=comment]").fill(comment)
    if screenshot:
        page.screenshot(path=screenshot)
    with page.expect_navigation():
        modal.locator("form button[type=submit]").click()


# reviewers before page: the users are created before Playwright starts (see conftest.py).
def test_sensitive_term_is_fixed_and_six_reviewers_publish(reviewers, page, screenshot_dir):
    column = ColumnPage.objects.get(slug=COLUMN_SLUG)
    editor = reviewers["info_officer"]

    log_in(page, editor)
    write_article(page, column)
    submit_for_review(page)
    article = ArticlePage.objects.child_of(column).get(title=SENSITIVE_TITLE)
    assert api.current_stage(article) is None  # the automated check sent it straight back
    assert api.active_workflow_state(article).status == "needs_changes"
    # Only the failure is reported: no "submitted" success banner beside it.
    expect(page.locator(".messages")).to_contain_text("自动检查未通过")
    expect(page.locator(".messages .success")).to_have_count(0)

    page.goto(f"/admin/pages/{article.pk}/edit/")
    panel = page.locator("[data-workflow-status]")
    expect(panel).to_contain_text("自动检查：")
    with page.expect_navigation():
        panel.get_by_role("button", name="预检").click()
    expect(page.locator("main")).to_contain_text("预检未通过")
    expect(page.locator("main mark")).to_have_text("代开发票")
    page.screenshot(path=screenshot_dir / "review-precheck.png")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(panel).to_contain_text("已退回修改")
    expect(panel.locator("mark")).to_have_text("代开发票")
    expect(panel).to_contain_text("阻止发布")
    assert "<mark>代开发票</mark>" in panel.inner_html()
    page.screenshot(path=screenshot_dir / "review-finding.png")

    page.fill("#id_title", FIXED_TITLE)
    expect(page.locator(SUBMIT)).to_contain_text("重新提交审核")
    submit_for_review(page)
    article.refresh_from_db()
    assert article.draft_title == FIXED_TITLE
    assert api.current_stage(article).stage == "review_1"

    for number, (stage, who) in enumerate(APPROVALS, start=1):
        log_in(page, reviewers[who])
        shot = screenshot_dir / MODAL_SCREENSHOTS[stage] if stage in MODAL_SCREENSHOTS else None
        checklist = api.checklist_for(article)
        assert bool(checklist) == stage.startswith("review"), (stage, checklist)
        approve_from_dashboard(page, FIXED_TITLE, checklist, f"同意（{number}/6）", screenshot=shot)
        article.refresh_from_db()
        following = APPROVALS[number][0] if number < len(APPROVALS) else None
        assert getattr(api.current_stage(article), "stage", None) == following, f"after {stage}"
        # The approver is told what happened and where the article went (or that it is published).
        told = api.current_stage(article).label if following else "已发布"
        expect(page.locator(".messages .success")).to_contain_text(f"已通过，已转{told}" if following else told)
    page.screenshot(path=screenshot_dir / "review-approved-published.png")

    article.refresh_from_db()
    assert article.live and article.title == FIXED_TITLE
    record = PublicationRecord.objects.get(object_id=str(article.pk))
    assert [s["user_id"] for s in record.stages if s["stage"]] == [reviewers[who].pk for _stage, who in APPROVALS]
    page.goto("about:blank")
    page.context.clear_cookies()
    response = page.goto(article.url)
    assert response.status == 200, f"{article.url}: HTTP {response.status}"
    expect(page.locator("h1")).to_have_text(FIXED_TITLE)
    expect(page.locator("main")).to_contain_text(BODY)
    page.screenshot(path=screenshot_dir / "review-published.png", full_page=True)
    # Only server errors: the browser also logs loads it cut short itself (favicons on navigation, framing refusals).
    http_errors = [entry for entry in page.context.request_log.failed if entry.split()[0].isdigit()]
    assert not http_errors, "HTTP errors:\n" + "\n".join(http_errors)
