"""在线访谈: the schedule, the question window, screening, moderation per unit, the transcript and XSS."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from disclosure.requests.forms import CAPTCHA_SESSION_KEY
from site_pages.interviews import moderation
from site_pages.interviews.public import closed_message
from site_pages.models import InterviewGuest, InterviewPage, InterviewQuestion
from site_pages.models.interviews import QuestionStatus
from tests.factories import log_in, make_column, member
from tests.prerequisites import unavailable
from tests.site_pages.test_sanitize import PAYLOADS, dangers

pytestmark = pytest.mark.usefixtures("shared_portal")

BLOCKED_TERM = "访谈违禁测试词"


def make_interview(column, start, title="农村饮水访谈", transcript=(), publish=True, **fields):
    page = InterviewPage(
        title=title,
        slug=fields.pop("slug", f"ft-{InterviewPage.objects.count()}"),
        intro="介绍农村饮水安全工程。",
        host="李主持",
        start_at=start,
        end_at=start + datetime.timedelta(hours=1),
        questions_close_at=start - datetime.timedelta(hours=2),
        guests=[InterviewGuest(name="张嘉宾", position="局长", unit="县农业农村局")],
        transcript=[("turn", {"kind": kind, "speaker": who, "text": text}) for kind, who, text in transcript],
        **fields,
    )
    column.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


@pytest.fixture
def column(portal, township_a):
    return make_column(portal["home"], "在线访谈", township_a, update_class="quarterly", slug="zxft")


@pytest.fixture
def upcoming(column):
    return make_interview(column, timezone.now() + datetime.timedelta(days=3))


@pytest.fixture
def finished(column):
    return make_interview(
        column,
        timezone.now() - datetime.timedelta(days=3),
        title="已结束的访谈",
        transcript=[
            ("host", "李主持", "欢迎各位网友。"),
            ("question", "柠檬之乡", "管网何时通到户？"),
            ("guest", "张嘉宾", "年底前完工。"),
        ],
    )


def ask_url(page):
    return page.url + page.reverse_subpage("ask")


def post_question(client, page, **data):
    """Opens the form (which sets the captcha) and posts it with the right answer unless one is given."""
    client.get(ask_url(page))
    answer = client.session.get(CAPTCHA_SESSION_KEY)
    values = {"nickname": "柠檬之乡", "text": "请问管网什么时候通到户？", "mobile": "", "captcha": answer, **data}
    return client.post(ask_url(page), values)


# ---------------------------------------------------------------- schedule


def schedule_errors(column, **times):
    start = timezone.now() + datetime.timedelta(days=2)
    page = InterviewPage(
        title="访谈",
        slug="schedule",
        intro="简介",
        start_at=start,
        end_at=times.get("end", start + datetime.timedelta(hours=1)),
        questions_close_at=times.get("close", start - datetime.timedelta(hours=1)),
    )
    page.path, page.depth = column.path + "0001", column.depth + 1
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


def test_end_before_start_is_refused(column):
    start = timezone.now() + datetime.timedelta(days=2)
    errors = schedule_errors(column, end=start - datetime.timedelta(minutes=1))
    assert errors["end_at"] == ["结束时间须晚于开始时间。"]


def test_an_interview_longer_than_twelve_hours_is_refused(column):
    start = timezone.now() + datetime.timedelta(days=2)
    errors = schedule_errors(column, end=start + datetime.timedelta(hours=13))
    assert "不能超过12小时" in errors["end_at"][0]


def test_questions_must_close_before_the_start(column):
    start = timezone.now() + datetime.timedelta(days=2)
    errors = schedule_errors(column, close=start + datetime.timedelta(minutes=5))
    assert errors["questions_close_at"] == ["网友提问截止时间须早于访谈开始时间。"]


def test_an_interview_without_guests_cannot_be_submitted(column, upcoming):
    assert upcoming.publication_requirements("submit") == []
    upcoming.guests.all().delete()
    assert upcoming.publication_requirements("submit") == ["在线访谈须至少填写一位访谈嘉宾。"]


def test_states_follow_the_clock(upcoming):
    assert upcoming.state() == "upcoming"
    assert upcoming.state(upcoming.start_at + datetime.timedelta(minutes=5)) == "live"
    assert upcoming.state(upcoming.end_at) == "finished"
    assert upcoming.accepts_questions()
    assert not upcoming.accepts_questions(upcoming.questions_close_at)


# ---------------------------------------------------------------- the question window and the form


def test_a_question_before_the_cut_off_is_accepted_with_a_neutral_acknowledgement(client, upcoming):
    page_html = client.get(upcoming.url).content.decode()
    assert ask_url(upcoming) in page_html and "（预告）" in client.get(ask_url(upcoming)).content.decode()
    response = post_question(client, upcoming, mobile="13812345678")
    assert response.status_code == 302
    question = InterviewQuestion.objects.get()
    assert (question.page_id, question.status, question.held_for_screening) == (upcoming.pk, "pending", False)
    assert question.mobile == "13812345678"
    done = client.get(response["Location"])
    assert "您的提问已收到" in done.content.decode()
    # Shown once: a reload goes back to the form.
    assert client.get(response["Location"]).status_code == 302


def test_a_question_after_the_cut_off_is_refused_in_chinese(client, column):
    page = make_interview(column, timezone.now() + datetime.timedelta(hours=1))
    assert not page.accepts_questions()
    response = client.post(ask_url(page), {"nickname": "迟到网友", "text": "还能提问吗？请回答。", "captcha": 3})
    assert response.status_code == 400
    assert "网友提问已于" in response.content.decode() and "截止" in response.content.decode()
    assert not InterviewQuestion.objects.exists()
    assert "访谈将于" in client.get(ask_url(page)).content.decode()


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"nickname": "", "text": ""}, "请填写昵称。"),
        ({"text": "   "}, "请填写提问内容。"),
        ({"text": "问"}, "提问内容至少5个字。"),
        ({"text": "问" * 501}, "提问内容不能超过500个字（现有501个字）。"),
        ({"nickname": "长" * 31}, "昵称不能超过30个字。"),
        ({"mobile": "1381234"}, "手机号码格式不正确，请填写11位手机号码。"),
        ({"text": "含控制字符\x07的提问内容"}, "提问内容含有无法显示的字符，请重新填写。"),
        ({"captcha": "abc"}, "验证题答案请填写阿拉伯数字。"),
        ({"captcha": 999}, "验证题答案不正确，请重新计算新的题目。"),
    ],
)
def test_bad_input_gets_a_clear_chinese_error(client, upcoming, data, field_error):
    response = post_question(client, upcoming, **data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not InterviewQuestion.objects.exists()


def test_the_public_post_keeps_csrf(upcoming):
    client = Client(enforce_csrf_checks=True)
    client.get(ask_url(upcoming))
    response = client.post(ask_url(upcoming), {"nickname": "网友", "text": "没有令牌的提问内容", "captcha": 2})
    assert response.status_code == 403
    assert not InterviewQuestion.objects.exists()


@override_settings(DISCLOSURE_REQUEST_RATE_LIMITS={"interview_question": (1, 3600)})
def test_questions_are_rate_limited_per_address(client, upcoming):
    from django.core.cache import caches

    caches["strict"].clear()
    assert post_question(client, upcoming).status_code == 302
    response = post_question(client, upcoming, text="第二个问题的内容是什么")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert InterviewQuestion.objects.count() == 1


# ---------------------------------------------------------------- screening


@pytest.fixture
def blocked_term(db):
    from workflows.lexicon.models import LexiconEntry

    return LexiconEntry.objects.create(term=BLOCKED_TERM, category="sensitive", severity="block")


def test_a_held_question_is_acknowledged_alike_never_echoes_the_term_and_is_never_shown(
    client, column, blocked_term, township_a
):
    page = make_interview(column, timezone.now() + datetime.timedelta(days=1))
    response = post_question(client, page, text=f"请问{BLOCKED_TERM}怎么处理？")
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "您的提问已收到" in done and BLOCKED_TERM not in done
    question = InterviewQuestion.objects.get()
    assert question.held_for_screening and question.screening_findings[0]["field"] == "text"

    editor = member(township_a, "info_officer")
    with pytest.raises(moderation.ModerationError, match="请先作出甄别决定"):
        moderation.adopt(question, editor)
    # Even adopted and past the interview, a held question stays off the public page.
    InterviewQuestion.objects.filter(pk=question.pk).update(status=QuestionStatus.ADOPTED)
    page.transcript = [("turn", {"kind": "host", "speaker": "李主持", "text": "访谈开始。"})]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "访谈开始。" in html and BLOCKED_TERM not in html


def test_screening_then_adoption_shows_the_question_after_the_interview(client, finished, township_a):
    question = InterviewQuestion.objects.create(
        page=finished, nickname="网友甲", text="请问补助怎么申请？", mobile="13900001111", held_for_screening=True
    )
    editor = member(township_a, "info_officer")
    moderation.clear_screening(question, editor)
    moderation.adopt(question, editor)
    question.refresh_from_db()
    assert (question.status, question.decided_by) == (QuestionStatus.ADOPTED, editor)
    html = client.get(finished.url).content.decode()
    assert "网友甲" in html and "请问补助怎么申请？" in html
    assert "13900001111" not in html


# ---------------------------------------------------------------- moderation in the admin, per unit


@pytest.fixture
def submitted(upcoming):
    return InterviewQuestion.objects.create(page=upcoming, nickname="网友乙", text="请问乡镇供水何时改造？")


def test_the_owning_units_editor_moderates(client, submitted, township_a):
    log_in(client, member(township_a, "info_officer"))
    index = client.get(reverse("site_pages_interviews:index")).content.decode()
    assert submitted.page.title in index
    listing = client.get(reverse("site_pages_interviews:questions", args=[submitted.page_id]))
    assert listing.status_code == 200 and "请问乡镇供水何时改造？" in listing.content.decode()
    response = client.post(reverse("site_pages_interviews:action", args=[submitted.pk, "adopt"]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == QuestionStatus.ADOPTED


def test_the_menu_item_sits_in_the_interaction_group(rf, township_a):
    request = rf.get("/admin/")
    request.user = member(township_a, "info_officer")
    top = {item.name: item for item in admin_menu.menu_items_for_request(request)}
    assert "interview-questions" not in top
    grouped = {item.name: item for item in top["interaction"].menu.menu_items_for_request(request)}
    assert grouped["interview-questions"].url == reverse("site_pages_interviews:index")


def test_another_units_editor_gets_nothing(client, submitted, township_b):
    log_in(client, member(township_b, "info_officer"))
    assert submitted.page.title not in client.get(reverse("site_pages_interviews:index")).content.decode()
    # 403 from the draft-privacy guard on page ids, or 404 from the view: either way nothing of the interview.
    listing = client.get(reverse("site_pages_interviews:questions", args=[submitted.page_id]))
    assert listing.status_code in (403, 404) and "网友乙" not in listing.content.decode()
    response = client.post(reverse("site_pages_interviews:action", args=[submitted.pk, "adopt"]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == QuestionStatus.PENDING


def test_unknown_action_and_get_are_refused(client, submitted, township_a):
    log_in(client, member(township_a, "info_officer"))
    assert client.post(reverse("site_pages_interviews:action", args=[submitted.pk, "publish"])).status_code == 404
    assert client.get(reverse("site_pages_interviews:action", args=[submitted.pk, "adopt"])).status_code == 405


def test_an_adopted_question_is_pulled_into_the_transcript_draft(client, submitted, township_a):
    editor = member(township_a, "info_officer")
    with pytest.raises(moderation.ModerationError, match="只有已采用的提问"):
        moderation.add_to_transcript(submitted, editor)
    moderation.adopt(submitted, editor)
    moderation.add_to_transcript(submitted, editor)
    draft = submitted.page.get_latest_revision_as_object()
    turn = list(draft.transcript)[-1].value
    assert (turn["kind"], turn["speaker"], turn["text"]) == ("question", "网友乙", "请问乡镇供水何时改造？")
    submitted.refresh_from_db()
    assert submitted.answered
    with pytest.raises(moderation.ModerationError, match="已加入访谈实录"):
        moderation.add_to_transcript(submitted, editor)


# ---------------------------------------------------------------- public rendering


def test_the_transcript_with_the_adopted_questions_is_shown_once_published(client, column, finished):
    html = client.get(finished.url).content.decode()
    assert "已结束" in html and "访谈实录" in html
    assert "网友“柠檬之乡”提问" in html and "年底前完工。" in html and "张嘉宾" in html
    assert "我要提问" not in html


def test_a_transcript_cannot_be_submitted_before_the_end(column):
    live = make_interview(
        column,
        timezone.now() - datetime.timedelta(minutes=10),
        title="进行中的访谈",
        transcript=[("guest", "张嘉宾", "提前写好的实录内容")],
        publish=False,
    )
    problems = [str(p) for p in live.publication_requirements("submit")]
    assert len(problems) == 1 and problems[0].startswith("访谈结束（")
    assert "访谈正在进行中" in str(closed_message(live))
    live.end_at = timezone.now() - datetime.timedelta(minutes=1)
    assert live.publication_requirements("submit") == []


def test_the_page_renders_the_same_whatever_the_time(upcoming, monkeypatch):
    """The tamper fingerprint compares the page with what was published: the clock must not change it."""
    from cms.security.fingerprint import snapshot_page

    real_now = timezone.now
    hashes = set()
    for moment in (real_now(), upcoming.start_at + datetime.timedelta(minutes=5), upcoming.end_at):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        hashes.add(snapshot_page(InterviewPage.objects.get(pk=upcoming.pk))[1].content_sha256)
    assert upcoming.state(upcoming.end_at) == "finished" and len(hashes) == 1


@pytest.fixture
def payloads():
    if not PAYLOADS:
        unavailable("XSS corpus not found")
    return PAYLOADS


@override_settings(DISCLOSURE_REQUEST_RATE_LIMITS={"interview_question": (100, 3600)})
def test_xss_in_questions_and_transcript_is_stored_as_typed_and_rendered_inert(client, column, payloads):
    sample = [p for p in payloads[:: max(1, len(payloads) // 60)] if "\x00" not in p][:60]
    page = make_interview(column, timezone.now() + datetime.timedelta(days=1))
    for payload in sample[:10]:
        response = post_question(client, page, nickname=payload[:30], text=f"提问：{payload}"[:500])
        assert response.status_code in (302, 400)
    stored = InterviewQuestion.objects.filter(page=page)
    assert stored.exists() and any("<" in q.text for q in stored)
    stored.update(status=QuestionStatus.ADOPTED, held_for_screening=False)
    page.transcript = [("turn", {"kind": "guest", "speaker": p[:50], "text": p}) for p in sample]
    page.save_revision().publish()
    InterviewPage.objects.filter(pk=page.pk).update(
        start_at=timezone.now() - datetime.timedelta(hours=3), end_at=timezone.now() - datetime.timedelta(hours=2)
    )
    html = client.get(page.url).content.decode()
    article = html.split('<article class="interview">', 1)[1].split("</article>", 1)[0]
    assert dangers(article) == []


def test_the_owning_units_editor_opens_the_interview_editor_and_adds_one(client, column, upcoming, township_a):
    log_in(client, member(township_a, "info_officer"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[upcoming.pk]))
    assert edit.status_code == 200 and "访谈嘉宾" in edit.content.decode()
    add = client.get(reverse("wagtailadmin_pages:add", args=["site_pages", "interviewpage", column.pk]))
    assert add.status_code == 200 and "网友提问截止时间" in add.content.decode()


def test_the_moderation_screen_shows_findings_to_the_unit_and_never_the_mobile(client, upcoming, township_a):
    InterviewQuestion.objects.create(
        page=upcoming,
        nickname="网友丙",
        text="含有敏感内容的提问",
        mobile="13711112222",
        held_for_screening=True,
        screening_findings=[{"category": "sensitive", "term": "敏感内容", "start": 2, "end": 6, "severity": "block"}],
    )
    log_in(client, member(township_a, "info_officer"))
    html = client.get(reverse("site_pages_interviews:questions", args=[upcoming.pk])).content.decode()
    assert "待甄别" in html and "敏感词：敏感内容" in html and "甄别通过" in html
    assert "13711112222" not in html
