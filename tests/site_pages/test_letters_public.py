"""Public side of the message boards (issue 15 §1, §5): letter form, receipt, query, published letters, rating."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import calendar
from disclosure.requests.models import QUERY_CODE_ALPHABET, hash_secret
from site_pages.letters import intake
from site_pages.letters.forms import ATTACHMENT_MAX_SIZE, MAX_CONTENT
from site_pages.models import Message, MessageAttachment, MessageEvent
from site_pages.models.letters import LetterStatus, MessageAction
from tests.factories import make_column
from tests.security import samples

from .letters_helpers import closed_letter, fresh_token, letter_data, make_board, post_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    caches["strict"].clear()


@pytest.fixture
def board(home, county_office):
    column = make_column(home, "互动交流", county_office, update_class="monthly", slug="hdjl")
    return make_board(column, county_office)


def form_errors(response):
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def receipt_of(client, response):
    return client.get(response["Location"])


def test_a_letter_is_received_with_a_receipt_and_a_query_code(client, board):
    response = post_letter(client, board)
    assert response.status_code == 302
    receipt = receipt_of(client, response)
    message = Message.objects.get()
    assert message.receipt_number.startswith("LY") and message.receipt_number in receipt.content.decode()
    code = receipt.context["receipt"]["code"]
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    assert set(code.replace("-", "")) <= set(QUERY_CODE_ALPHABET)
    assert not set(code) & set("01OIL")
    assert message.query_code_hash == hash_secret(code.replace("-", ""))
    assert message.handling_unit == board.default_unit and message.status == LetterStatus.PENDING
    assert list(message.events.values_list("action", flat=True)) == [MessageAction.SUBMITTED]
    assert not message.held_for_screening


def test_receipt_numbers_follow_the_primary_key(client, board):
    first = closed_letter(board)
    second = closed_letter(board)
    assert first.receipt_number != second.receipt_number
    assert second.receipt_number.endswith(f"{second.pk:06d}")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("letter_type", "", "请选择留言类型"),
        ("letter_type", "petition", "请从所列选项中选择留言类型"),
        ("subject", "", "请填写标题"),
        ("subject", "   ", "请填写标题"),
        ("subject", "长" * 101, "标题不能超过100个字"),
        ("content", "", "请填写留言内容"),
        ("content", "太短", "留言内容至少10个字"),
        ("content", "多" * (MAX_CONTENT + 1), "留言内容不能超过3000个字"),
        ("name", "", "请填写姓名"),
        ("name", "名" * 51, "姓名不能超过50个字"),
        ("mobile", "", "请填写手机号码"),
        ("mobile", "12345", "请填写有效的11位手机号码"),
        ("mobile", "1380000123a", "请填写有效的11位手机号码"),
        ("email", "not-an-address", "请填写有效的电子邮箱地址"),
    ],
)
def test_every_field_is_validated_in_chinese(client, board, field, value, expected):
    response = post_letter(client, board, **{field: value})
    assert response.status_code == 400
    errors = form_errors(response)
    assert any(expected in message for message in errors[field]), errors
    assert not Message.objects.exists()


def test_wrong_captcha_is_refused_and_a_new_question_asked(client, board):
    token = fresh_token(client, board)
    response = client.post(board.url + "write/", letter_data(token=token, captcha="99"))
    assert response.status_code == 400
    assert "验证题答案不正确" in form_errors(response)["captcha"][0]
    response = client.post(board.url + "write/", letter_data(token=token))
    assert "请填写验证题的答案" in form_errors(response)["captcha"][0]
    assert not Message.objects.exists()
    assert post_letter(client, board, token=token).status_code == 302


def test_a_missing_token_asks_to_reload(client, board):
    fresh_token(client, board)
    data = letter_data(captcha=client.session["disclosure_request_captcha"])
    response = client.post(board.url + "write/", data)
    assert "表单已失效" in form_errors(response)["token"][0]


def test_double_submission_creates_one_letter_and_shows_its_receipt(client, board):
    token = fresh_token(client, board)
    first = post_letter(client, board, token=token)
    second = client.post(board.url + "write/", letter_data(token=token, captcha="1"))
    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1
    receipt = receipt_of(client, second)
    assert receipt.context["receipt"]["number"] == Message.objects.get().receipt_number


def test_the_same_token_at_once_in_the_intake_returns_the_first_letter(board):
    data = {
        "letter_type": "consult",
        "subject": "标题",
        "content": "十个字以上的留言内容。",
        "name": "王五",
        "show_name": False,
        "mobile": "13700001234",
        "email": "",
        "consent_to_publish": False,
    }
    first, code, created = intake.receive(board, data, [], "token-1")
    again, no_code, created_again = intake.receive(board, data, [], "token-1")
    assert created and code and not created_again and no_code is None and again == first


def test_rate_limit_per_address(client, board, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"letter": (2, 3600), "letter_mobile": (10, 3600)}
    for n in range(2):
        assert post_letter(client, board, mobile=f"1380000000{n}").status_code == 302
    response = post_letter(client, board, mobile="13800000009")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2


def test_rate_limit_per_mobile(client, board, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"letter": (10, 3600), "letter_mobile": (1, 3600)}
    assert post_letter(client, board).status_code == 302
    response = post_letter(client, board)
    assert response.status_code == 429
    assert post_letter(client, board, mobile="13900002222").status_code == 302
    assert Message.objects.count() == 2


def test_blocked_terms_hold_the_letter_without_naming_the_term(client, board):
    from workflows.lexicon.models import LexiconEntry

    LexiconEntry.objects.create(term="违禁测试词", category="sensitive", severity="block")
    response = post_letter(client, board, content="这封留言里有违禁测试词，请处理一下这个问题。")
    receipt = receipt_of(client, response)
    assert "违禁测试词" not in receipt.content.decode()
    message = Message.objects.get()
    assert message.held_for_screening
    assert message.screening_findings[0]["term"] == "违禁测试词"
    assert MessageAction.HELD in message.events.values_list("action", flat=True)


def test_personal_data_alone_does_not_hold_a_letter(client, board):
    post_letter(client, board, content="我的电话是13800001234，身份证号码不便透露，请回电。")
    assert not Message.objects.get().held_for_screening


def test_query_refuses_a_wrong_code_and_shows_status_and_reply_for_the_right_one(client, board):
    receipt = receipt_of(client, post_letter(client, board))
    number, code = receipt.context["receipt"]["number"], receipt.context["receipt"]["code"]
    url = board.url + "query/"
    wrong = client.post(url, {"receipt_number": number, "code": "2222-2222-2222-2222"})
    assert wrong.status_code == 400 and "留言编号或查询码不正确" in wrong.content.decode()
    empty = client.post(url, {"receipt_number": "", "code": ""})
    assert "请填写留言编号" in empty.content.decode() and "请填写查询码" in empty.content.decode()
    right = client.post(url, {"receipt_number": number.lower(), "code": code.replace("-", " ").lower()})
    assert right.status_code == 302
    status = client.get(right["Location"])
    assert "待受理" in status.content.decode()
    Message.objects.filter(receipt_number=number).update(
        status=LetterStatus.CLOSED,
        reply_text="答复：已安排维修。",
        reply_unit=board.default_unit,
        replied_at=timezone.now(),
    )
    assert "答复：已安排维修。" in client.get(right["Location"]).content.decode()


def test_another_session_cannot_open_a_letter_by_its_id(client, board):
    message = closed_letter(board)
    response = client.get(board.url + f"query/?letter={message.pk}")
    assert "form" in response.context and message.reply_text not in response.content.decode()


def test_failed_lookups_are_limited(client, board, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"letter_query": (2, 3600)}
    for _n in range(2):
        client.post(board.url + "query/", {"receipt_number": "LY2026000001", "code": "2222"})
    response = client.post(board.url + "query/", {"receipt_number": "LY2026000001", "code": "2222"})
    assert response.status_code == 429


def test_public_list_shows_only_published_letters_masked(client, board):
    shown = closed_letter(
        board, subject="公开的留言", content="我的手机13812345678，身份证11010519491231002X，请联系。"
    )
    closed_letter(board, subject="未同意公开", consent_to_publish=False)
    closed_letter(board, subject="未公开", published=False)
    closed_letter(board, subject="办理中", status=LetterStatus.IN_PROGRESS)
    listing = client.get(board.url).content.decode()
    assert "公开的留言" in listing
    assert "未同意公开" not in listing and "未公开" not in listing and "办理中" not in listing
    detail = client.get(f"{board.url}{shown.pk}/").content.decode()
    assert "13812345678" not in detail and "11010519491231002X" not in detail
    assert "138****5678" in detail and "李*" in detail and "经核实，已安排维修。" in detail
    assert board.default_unit.name in detail
    assert '<a href="/hdjl/">互动交流</a>' in detail and '<a href="/hdjl/">互动交流</a>' in listing


def test_hidden_letters_and_non_publishing_boards_answer_404(client, board):
    hidden = closed_letter(board, consent_to_publish=False)
    assert client.get(f"{board.url}{hidden.pk}/").status_code == 404
    shown = closed_letter(board)
    board.publish_letters = False
    board.save_revision().publish()
    assert client.get(f"{board.url}{shown.pk}/").status_code == 404
    assert shown.subject not in client.get(board.url).content.decode()


def test_anonymous_writer(client, board):
    message = closed_letter(board, show_name=False)
    detail = client.get(f"{board.url}{message.pk}/").content.decode()
    assert "匿名" in detail and "李" not in detail.split("留言人")[1][:40]


def test_search_and_pagination(client, board):
    for n in range(17):
        closed_letter(board, subject=f"路灯问题{n}")
    closed_letter(board, subject="学校招生咨询")
    first = client.get(board.url)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "第 1 页，共 2 页" in first.content.decode()
    second = client.get(board.url + "?page=2")
    assert len(second.context["letters"]) == 3
    assert client.get(board.url + "?page=x").context["page_obj"].number == 1
    found = client.get(board.url + "?q=招生")
    assert [letter.subject for letter in found.context["letters"]] == ["学校招生咨询"]
    assert client.get(board.url + "?q=" + "长" * 200).status_code == 200


def _verified_status(client, board, message):
    session = client.session
    session["letter_verified"] = {str(message.pk): True}
    session.save()
    return board.url + f"query/?letter={message.pk}"


def test_rating_once_within_twenty_working_days(client, board):
    message = closed_letter(board)
    url = _verified_status(client, board, message)
    assert "评价答复" in client.get(url).content.decode()
    response = client.post(board.url + "query/", {"letter": message.pk, "satisfaction": "basically"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.satisfaction == "basically" and message.rated_at
    assert MessageEvent.objects.filter(message=message, action=MessageAction.RATED).count() == 1
    again = client.post(board.url + "query/", {"letter": message.pk, "satisfaction": "unsatisfied"})
    assert again.status_code == 400 or "评价答复" not in client.get(url).content.decode()
    with pytest.raises(intake.RatingError, match="只能评价一次"):
        intake.rate(message, "unsatisfied")
    message.refresh_from_db()
    assert message.satisfaction == "basically"


def test_rating_refused_after_twenty_working_days_and_before_a_reply(client, board):
    replied = datetime.date(2026, 11, 2)
    message = closed_letter(board, replied_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 10)))
    last = calendar.add_working_days(replied, 20)
    assert intake.can_rate(message, today=last)
    assert not intake.can_rate(message, today=last + datetime.timedelta(days=1))
    with pytest.raises(intake.RatingError, match="评价期限已过"):
        intake.rate(message, "satisfied", today=last + datetime.timedelta(days=1))
    url = _verified_status(client, board, message)
    assert "评价期限已过" in client.get(url).content.decode()
    open_letter = Message.objects.create(
        board=board,
        receipt_number="LY2026999999",
        query_code_hash="x",
        submission_token="t",
        letter_type="help",
        subject="s",
        content="c",
        name="n",
        mobile="13800001234",
    )
    with pytest.raises(intake.RatingError, match="尚未答复"):
        intake.rate(open_letter, "satisfied")
    response = client.post(board.url + "query/", {"letter": message.pk, "satisfaction": "nonsense"})
    assert response.status_code in (200, 400)


def test_attachments_are_stored_privately(client, board, settings):
    image = SimpleUploadedFile("现场照片.png", samples.CLEAN["png"]())
    pdf = SimpleUploadedFile("材料.pdf", samples.CLEAN["pdf"]())
    assert post_letter(client, board, files=[image, pdf]).status_code == 302
    stored = MessageAttachment.objects.order_by("pk")
    assert [a.original_name for a in stored] == ["现场照片.png", "材料.pdf"]
    assert all(not a.file.path.startswith(str(settings.MEDIA_ROOT)) for a in stored)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("说明.docx", b"PK\x03\x04 not really", "只能上传 JPG、PNG 图片或 PDF 文件"),
        ("页面.html", b"<script>alert(1)</script>", "只能上传 JPG、PNG 图片或 PDF 文件"),
        ("伪装.png", b"<svg onload=alert(1)>", "可执行内容"),
        ("伪装.pdf", b"just text, not a pdf", "不符"),
        ("巨大.pdf", b"%PDF-1.4\n" + b"0" * ATTACHMENT_MAX_SIZE, "过大"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_attachments_type_and_size_refused_in_chinese(client, board, name, content, expected):
    response = post_letter(client, board, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    errors = form_errors(response)["attachments"]
    assert any(expected in message for message in errors), errors
    assert all(CHINESE.search(message) for message in errors)
    assert not Message.objects.exists()


def test_at_most_three_attachments(client, board):
    files = [SimpleUploadedFile(f"{n}.png", samples.CLEAN["png"]()) for n in range(4)]
    response = post_letter(client, board, files=files)
    assert "最多上传3个附件" in form_errors(response)["attachments"][0]


def test_control_and_bidi_characters_are_dropped(client, board):
    post_letter(client, board, subject="标题\u202e反转\x00", content="内容\u202e足够十个字以上的说明\x07。")
    message = Message.objects.get()
    assert message.subject == "标题反转" and "\u202e" not in message.content and "\x07" not in message.content


@pytest.mark.parametrize("route", ["write/", "query/"])
def test_public_posts_keep_csrf(board, route):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(board.url + route, letter_data(token="x", receipt_number="LY1", code="2222"))
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_board_actions_link_statistics_and_the_receipt_can_be_printed(client, board):
    listing = client.get(board.url).content.decode()
    actions = listing.split('class="letter-actions"')[1].split("</nav>")[0]
    assert f'href="{board.url}statistics/"' in actions and f'href="{board.url}write/"' in actions
    # On the board itself the list is right below; a link to the same page would go nowhere.
    assert f'href="{board.url}"' not in actions
    assert client.get(f"{board.url}statistics/").status_code == 200
    shown = closed_letter(board)
    letter_actions = client.get(f"{board.url}{shown.pk}/").content.decode().split('class="letter-actions"')[1]
    assert f'href="{board.url}"' in letter_actions.split("</nav>")[0]
    receipt = receipt_of(client, post_letter(client, board)).content.decode()
    assert "data-print hidden" in receipt and "disclosure_requests/receipt.js" in receipt
    assert "<script>" not in receipt
