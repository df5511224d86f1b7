"""The life of a letter through the admin views: accept, transfer, re-assign, start, draft, send back, draft
again, approve (which publishes and closes), and the refusals on the way."""

import pytest
from django.urls import reverse

from cms.security.models import AuditEntry
from site_pages.letters import handling
from site_pages.models.letters import LetterStatus, MessageAction, RefusalReason
from tests.factories import log_in, member
from tests.site_pages.letters_support import make_board, make_letter
from workflows import api as workflow_api
from workflows.models import PublicationRecord

pytestmark = pytest.mark.django_db

CHECKLIST = ["political_orientation", "policy_law", "social_impact"]


@pytest.fixture
def people(township_a, township_b, county_office):
    return {
        "intake": member(county_office, "info_officer", username="xzfb_xxy"),
        "handler": member(township_a, "info_officer", username="sy_xxy"),
        "head": member(township_a, "head", username="sy_zy"),
        "b_handler": member(township_b, "info_officer", username="lt_xxy"),
        "b_head": member(township_b, "head", username="lt_zy"),
    }


@pytest.fixture
def letter(county_office):
    return make_letter(make_board(county_office))


def act(client, user, letter, action, data=None):
    log_in(client, user)
    url = reverse("letters_admin:action", args=[letter.pk, action])
    payload = {f"{action}-{key}": value for key, value in (data or {}).items()}
    return client.post(url, payload)


def actions(letter):
    return list(letter.events.values_list("action", flat=True))


def test_whole_life_of_a_letter(client, letter, people, township_a, township_b):
    assert act(client, people["intake"], letter, "accept", {"comment": "属于受理范围"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ACCEPTED and letter.accepted_at

    response = act(client, people["intake"], letter, "transfer", {"unit": township_b.pk, "comment": ""})
    assert response.status_code == 302
    # Re-assigning needs a reason.
    response = act(client, people["intake"], letter, "transfer", {"unit": township_a.pk, "comment": ""})
    assert response.status_code == 400
    assert "请填写改派理由" in response.content.decode()
    response = act(client, people["intake"], letter, "transfer", {"unit": township_a.pk, "comment": "属石羊镇辖区"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.handling_unit == township_a and letter.status == LetterStatus.TRANSFERRED

    # Unit B no longer handles it and cannot even see it.
    assert act(client, people["b_handler"], letter, "start").status_code == 404
    assert act(client, people["handler"], letter, "start").status_code == 302
    response = act(client, people["handler"], letter, "draft", {"text": "经核实，村道将于下月维修。"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLY_DRAFTED

    # An info officer cannot approve; the head sends it back with the workflow's reasons.
    assert act(client, people["handler"], letter, "approve", {"checked": CHECKLIST}).status_code == 400
    send_back = {"reasons": ["inaccurate"], "comment": "请写明维修日期"}
    response = act(client, people["head"], letter, "send_back", send_back)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_PROGRESS
    assert letter.events.get(action=MessageAction.SENT_BACK).comment.endswith("请写明维修日期")

    act(client, people["handler"], letter, "draft", {"text": "经核实，村道将于2026年12月20日前维修完毕。"})
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLY_DRAFTED
    # The head must confirm each sign-off point.
    response = act(client, people["head"], letter, "approve", {"checked": CHECKLIST[:1]})
    assert response.status_code == 400 and "请逐项确认审核要点" in response.content.decode()
    response = act(client, people["head"], letter, "approve", {"checked": CHECKLIST, "comment": "同意答复"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    assert letter.reply_text == "经核实，村道将于2026年12月20日前维修完毕。"
    assert letter.reply_unit == township_a and letter.replied_at and letter.published
    assert PublicationRecord.objects.filter(object_id=str(letter.reply.pk)).exists()
    assert actions(letter) == [
        MessageAction.SUBMITTED,
        MessageAction.ACCEPTED,
        MessageAction.TRANSFERRED,
        MessageAction.REASSIGNED,
        MessageAction.STARTED,
        MessageAction.DRAFTED,
        MessageAction.SENT_BACK,
        MessageAction.DRAFTED,
        MessageAction.APPROVED,
        MessageAction.CLOSED,
    ]
    approved = letter.events.get(action=MessageAction.APPROVED)
    assert approved.actor == people["head"] and approved.comment == "同意答复"

    log_in(client, people["handler"])
    page = client.get(reverse("letters_admin:detail", args=[letter.pk])).content.decode()
    for label in ("受理", "改派", "退回重办", "办结并公开", "属石羊镇辖区"):
        assert label in page


def test_refusal_shows_the_reason_and_stops_the_clock(client, letter, people):
    refusal = {"reason": RefusalReason.PETITION, "note": "请走信访渠道"}
    response = act(client, people["intake"], letter, "refuse", refusal)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REFUSED and letter.clock_exempt
    # Refused letters take no further step.
    assert act(client, people["intake"], letter, "accept").status_code == 400


def test_not_published_without_the_writers_consent(letter, people, township_a):
    letter.consent_to_publish = False
    letter.save(update_fields=["consent_to_publish"])
    handling.accept(letter, people["intake"])
    handling.transfer(letter, people["intake"], township_a, "")
    handling.start(letter, people["handler"])
    handling.draft_reply(letter, people["handler"], "已答复。")
    handling.approve_reply(letter, people["head"])
    assert letter.status == LetterStatus.CLOSED and not letter.published


def test_head_cannot_sign_off_a_reply_they_drafted(letter, people, township_a):
    handling.accept(letter, people["intake"])
    handling.transfer(letter, people["intake"], township_a, "")
    handling.start(letter, people["head"])
    handling.draft_reply(letter, people["head"], "已答复。")
    with pytest.raises(Exception, match="不能审核本人提交的内容"):
        handling.approve_reply(letter, people["head"])


def test_a_reply_failing_the_automated_checks_is_not_submitted(client, letter, people, township_a):
    handling.accept(letter, people["intake"])
    handling.transfer(letter, people["intake"], township_a, "")
    handling.start(letter, people["handler"])
    response = act(client, people["handler"], letter, "draft", {"text": "此事属于机密文件，请联系13900001111。"})
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_PROGRESS
    assert response.status_code == 400 and "自动检查未通过" in response.content.decode()


def test_instruction_and_supervision_at_any_point(client, letter, people, county_office):
    office_head = member(county_office, "head", username="xzfb_zy")
    response = act(client, office_head, letter, "instruction", {"text": "请尽快办理"})
    assert response.status_code == 302
    assert act(client, people["intake"], letter, "supervision", {"text": "请于三日内答复"}).status_code == 302
    # An info officer of the handling side gives no instruction.
    assert act(client, people["intake"], letter, "instruction", {"text": "批示"}).status_code == 400
    assert MessageAction.INSTRUCTION in actions(letter) and MessageAction.SUPERVISION in actions(letter)


def test_contact_details_need_an_explicit_audited_view(client, letter, people):
    log_in(client, people["intake"])
    page = client.get(reverse("letters_admin:detail", args=[letter.pk])).content.decode()
    assert "13900001111" not in page and "王*" in page and "查看联系方式" in page
    response = client.post(reverse("letters_admin:contact", args=[letter.pk]))
    assert "13900001111" in response.content.decode() and "王小明" in response.content.decode()
    assert AuditEntry.objects.filter(action="personal_data.view", user=people["intake"]).exists()
    assert MessageAction.CONTACT_VIEWED in actions(letter)


def test_head_approves_from_wagtails_review_dialog(client, letter, people, township_a):
    """The dashboard's 待我审核 dialog goes through the reply's snippet screens and closes the letter the same way."""
    handling.accept(letter, people["intake"])
    handling.transfer(letter, people["intake"], township_a, "")
    handling.start(letter, people["handler"])
    handling.draft_reply(letter, people["handler"], "已答复。")
    state = workflow_api.current_stage(letter.reply).task_state
    log_in(client, people["head"])
    url = reverse("letter_replies:workflow_action", args=(letter.reply.pk, "approve", state.pk))
    data = {"reviewed_state": state.pk, "checked": CHECKLIST, "comment": "同意"}
    response = client.post(url, data, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED and letter.reply_text == "已答复。"
    assert letter.events.get(action=MessageAction.APPROVED).actor == people["head"]


def test_a_held_letter_shows_its_findings_and_accepting_screens_it(client, county_office, people):
    findings = [{"field": "content", "field_label": "留言内容", "matched": "机密", "category": "confidentiality"}]
    letter = make_letter(make_board(county_office), held_for_screening=True, screening_findings=findings)
    log_in(client, people["intake"])
    assert "待甄别" in client.get(reverse("letters_admin:index")).content.decode()
    page = client.get(reverse("letters_admin:detail", args=[letter.pk])).content.decode()
    assert "须甄别" in page and "“机密”" in page
    act(client, people["intake"], letter, "accept")
    letter.refresh_from_db()
    assert not letter.held_for_screening and actions(letter)[-2:] == [MessageAction.SCREENED, MessageAction.ACCEPTED]
