"""A letter's whole life in headless Chromium: a visitor writes to the demo's 县长信箱, the intake accepts and
transfers it, the township's info officer drafts the reply, its head signs the reply off on the letter's page,
and the visitor, in a fresh browser, reads the reply by receipt number and query code; the board's public list
shows the letter and its reply with the mobile number in the content masked.

Screenshots (var/e2e-screenshots and /tmp): letter-flow-01-write.png … letter-flow-11-public.png.
"""

import re

import pytest

from site_pages.demo.structure import DEMO_PASSWORD
from site_pages.models.letters import LetterStatus, Message, MessageBoardPage
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT
from tests.e2e.helpers import admin_log_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest's e2e_prerequisites skips (or fails under E2E_REQUIRED=1) with the reason
    expect = None

pytestmark = pytest.mark.e2e

MOBILE = "13912345678"
SUBJECT = "石羊镇村道维修咨询"
CONTENT = f"我是石羊镇居民，联系电话{MOBILE}。村里通往镇上的村道损坏严重，雨天无法通行，请问何时维修？"
REPLY = "您好！经核实，该村道维修已列入今年农村公路养护计划，预计十月底前完工。感谢您对我镇工作的关心。"
TOWNSHIP = "安岳县石羊镇人民政府"


@pytest.fixture
def open_page(browser, demo_site):
    """A page in a new browser context (no cookies); like conftest's ``page``, it cannot leave the live server
    (conftest's CHROMIUM_ARGS)."""
    contexts = []

    def new_page():
        context = browser.new_context(base_url=demo_site.url, viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def board(demo_site):
    """The demo's 县长信箱 under 互动交流, received by the county government's office."""
    return MessageBoardPage.objects.get(slug="xzxx")


@pytest.fixture
def shoot(screenshot_dir):
    def take(page, name):
        for folder in (screenshot_dir, "/tmp"):
            page.screenshot(path=f"{folder}/letter-flow-{name}.png", full_page=True)

    return take


def answer_captcha(page):
    question = page.locator('label[for="id_captcha"]').text_content()
    a, b = map(int, re.search(r"(\d+)\s*加\s*(\d+)", question).groups())
    page.fill("#id_captcha", str(a + b))


def write_letter(page, board, shoot):
    page.goto(f"{board.url}write/")
    expect(page.locator("h1")).to_contain_text("我要写信")
    page.get_by_label("咨询").check()
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_content", CONTENT)
    page.fill("#id_name", "王小明")
    page.get_by_label("公开时显示姓名").check()
    page.fill("#id_mobile", MOBILE)
    page.fill("#id_email", "wangxm@example.invalid")
    page.get_by_label("同意公开").check()
    answer_captcha(page)
    shoot(page, "01-write")
    with page.expect_navigation():
        page.get_by_role("button", name="提交留言").click()
    expect(page.locator("h1")).to_have_text("留言已提交")
    shoot(page, "02-receipt")
    receipt = page.locator("dl.receipt")
    number = receipt.locator("dd").first.inner_text().strip()
    code = receipt.locator("code").inner_text().strip()
    assert number and code
    return number, code


def act(page, action, shoot=None, name=""):
    """Submits one handling step's form on the letter's page and checks the admin saved it."""
    form = page.locator(f"form[data-action={action}]")
    if shoot:
        form.scroll_into_view_if_needed()
        shoot(page, name)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已保存")


def open_letter(page, number):
    page.goto("/admin/letters/")
    with page.expect_navigation():
        page.locator(f"tr[data-letter='{number}'] a").first.click()
    expect(page.locator("h1")).to_contain_text(number)


def test_visitor_writes_unit_answers_visitor_reads_the_reply(page, open_page, board, shoot):
    number, code = write_letter(page, board, shoot)
    letter = Message.objects.get(receipt_number=number)
    assert (letter.subject, letter.mobile, letter.status) == (SUBJECT, MOBILE, LetterStatus.PENDING)

    # The county office (the board's intake) accepts the letter and transfers it to 石羊镇.
    staff = open_page()
    admin_log_in(staff, "xzfb_info_officer", DEMO_PASSWORD)
    open_letter(staff, number)
    expect(staff.locator("[data-letter-content]")).to_contain_text(SUBJECT)
    shoot(staff, "03-intake")
    staff.fill("#id_accept-comment", "属于受理范围。")
    act(staff, "accept")
    expect(staff.locator("[data-status]")).to_contain_text("已受理")
    staff.select_option("#id_transfer-unit", label=TOWNSHIP)
    staff.fill("#id_transfer-comment", "村道养护属石羊镇职责。")
    act(staff, "transfer", shoot, "04-transfer")
    expect(staff.locator("[data-status]")).to_contain_text("已转办")

    # 石羊镇's info officer starts and drafts the reply, which goes to the head for sign-off.
    admin_log_in(staff, "sy_info_officer", DEMO_PASSWORD)
    open_letter(staff, number)
    act(staff, "start", shoot, "05-start")
    expect(staff.locator("[data-status]")).to_contain_text("办理中")
    staff.fill("#id_draft-text", REPLY)
    act(staff, "draft", shoot, "06-draft")
    expect(staff.locator("[data-status]")).to_contain_text("答复待审核")
    expect(staff.locator("[data-reply]")).to_contain_text(REPLY)

    # The head finds the reply under 待您审核 on the dashboard; it opens the letter's page, where the head signs
    # it off with the sign-off checklist (the reply's own snippet editor is no way around that page).
    admin_log_in(staff, "sy_head", DEMO_PASSWORD)
    shoot(staff, "07-head-dashboard")
    with staff.expect_navigation():
        staff.get_by_role("link", name=f"{number} 的答复").click()
    expect(staff.locator("h1")).to_contain_text(number)
    expect(staff.locator("[data-status]")).to_contain_text("答复待审核")
    approve = staff.locator("form[data-action=approve]")
    for box in approve.locator("input[type=checkbox]").all():
        box.check()
    staff.fill("#id_approve-comment", "同意答复。")
    act(staff, "approve", shoot, "08-approve")
    expect(staff.locator("[data-status]")).to_contain_text("已办结")
    expect(staff.locator("[data-events]")).to_contain_text("办结")

    # The visitor, in a fresh browser, looks the letter up by its receipt number and query code.
    visitor = open_page()
    visitor.goto(f"{board.url}query/")
    visitor.fill("#id_receipt_number", number)
    visitor.fill("#id_code", code)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="查询", exact=True).click()
    result = visitor.locator("article")
    expect(result.locator("dl.receipt")).to_contain_text("已办结")
    expect(result.locator(".letter-reply")).to_contain_text(REPLY)
    expect(result.locator(".letter-reply")).to_contain_text(TOWNSHIP)
    shoot(visitor, "09-query")

    # The board lists the answered letter; its page shows the reply, the mobile number masked.
    visitor.goto(board.url)
    listing = visitor.locator("table.letter-list")
    expect(listing).to_contain_text(SUBJECT)
    expect(listing).to_contain_text(TOWNSHIP)
    shoot(visitor, "10-board")
    with visitor.expect_navigation():
        listing.get_by_role("link", name=SUBJECT).click()
    body = visitor.locator("article")
    expect(body).to_contain_text(REPLY)
    expect(body).to_contain_text("村道损坏严重")
    expect(body).not_to_contain_text(MOBILE)
    expect(body).not_to_contain_text("王小明")
    shoot(visitor, "11-public")
