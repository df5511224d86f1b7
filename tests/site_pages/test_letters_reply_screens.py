"""The reply's generic snippet screens cannot create, edit or publish a reply, not even for a superuser: a reply
is drafted on the letter's page (handling.draft_reply) and published only by the head's final approval, which
records the approver and closes the letter."""

import pytest
from django.urls import reverse

from site_pages.letters import handling
from site_pages.models.letter_replies import MessageReply
from site_pages.models.letters import LetterStatus, MessageAction
from tests.factories import log_in, member
from tests.site_pages.letters_support import make_board, make_letter
from workflows import api as workflow_api

pytestmark = pytest.mark.django_db

CHECKLIST = ["political_orientation", "policy_law", "social_impact"]


@pytest.fixture
def drafted(county_office, township_a):
    """A letter whose reply waits for the head of 石羊镇 (township_a)."""
    letter = make_letter(make_board(county_office))
    intake = member(county_office, "info_officer", username="xzfb_xxy")
    handler = member(township_a, "info_officer", username="sy_xxy")
    handling.accept(letter, intake)
    handling.transfer(letter, intake, township_a, "")
    handling.start(letter, handler)
    handling.draft_reply(letter, handler, "已答复。")
    return letter


def superuser_attempts(reply, revision):
    """Every writing screen of the viewset, with the form data a superuser would send to publish."""
    publish = {"text": "超级管理员改写的答复", "action-publish": "action-publish"}
    pk = reply.pk
    return [
        ("get", reverse("letter_replies:add"), None),
        ("post", reverse("letter_replies:add"), {"message": reply.message_id, **publish}),
        ("get", reverse("letter_replies:edit", args=[pk]), None),
        ("post", reverse("letter_replies:edit", args=[pk]), publish),
        ("post", reverse("letter_replies:edit", args=[pk]), {"text": "改写", "action-cancel-workflow": "1"}),
        ("get", reverse("letter_replies:revisions_revert", args=[pk, revision.pk]), None),
        ("post", reverse("letter_replies:revisions_revert", args=[pk, revision.pk]), publish),
        ("post", reverse("letter_replies:revisions_unschedule", args=[pk, revision.pk]), {}),
        ("post", reverse("letter_replies:unpublish", args=[pk]), {}),
        ("post", reverse("letter_replies:delete", args=[pk]), {}),
    ]


def test_superuser_cannot_write_or_publish_a_reply_through_the_snippet_screens(client, admin_user, drafted):
    reply = drafted.reply
    revisions = reply.revisions.count()
    log_in(client, admin_user)
    detail = reverse("letters_admin:detail", args=[drafted.pk])
    for method, url, data in superuser_attempts(reply, reply.latest_revision):
        response = getattr(client, method)(url, data)
        expected = reverse("letters_admin:index") if url.endswith("/add/") else detail
        assert (response.status_code, response.url) == (302, expected), (method, url)

    # The review dialog's approval is refused too (Wagtail's "no permission" redirect to the dashboard): a
    # superuser is not the handling unit's head.
    state = workflow_api.current_stage(reply).task_state
    approve = reverse("letter_replies:workflow_action", args=(reply.pk, "approve", state.pk))
    response = client.post(approve, {"reviewed_state": state.pk, "checked": CHECKLIST, "comment": "同意"})
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))

    drafted.refresh_from_db()
    reply = MessageReply.objects.get(pk=reply.pk)
    assert drafted.status == LetterStatus.REPLY_DRAFTED and drafted.reply_text == ""
    assert not reply.live and reply.text == "已答复。" and reply.revisions.count() == revisions
    assert MessageReply.objects.count() == 1
    assert workflow_api.current_task_state(reply) is not None
    assert not drafted.events.filter(action__in=(MessageAction.APPROVED, MessageAction.CLOSED)).exists()

    # The redirect explains where replies are handled, and the listing offers no "add" button.
    page = client.get(detail).content.decode()
    assert "留言答复只能在留言页面起草" in page
    listing = client.get(reverse("letter_replies:list")).content.decode()
    assert reverse("letter_replies:add") not in listing


def test_the_head_still_approves_from_the_review_dialog_and_the_editor_sends_to_the_letter(client, drafted, township_a):
    head = member(township_a, "head", username="sy_zy")
    log_in(client, head)
    reply = drafted.reply
    # The dashboard's 待我审核 lists the reply with its review action.
    state = workflow_api.current_stage(reply).task_state
    approve = reverse("letter_replies:workflow_action", args=(reply.pk, "approve", state.pk))
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200 and approve in dashboard.content.decode()
    # Its title links to the letter's page, where the head signs replies off.
    assert f'href="{reverse("letters_admin:detail", args=[drafted.pk])}"' in dashboard.content.decode()
    # Opening the reply from there leads to the letter's page, not to an editor.
    response = client.get(reverse("letter_replies:edit", args=[reply.pk]))
    assert response.url == reverse("letters_admin:detail", args=[drafted.pk])

    data = {"reviewed_state": state.pk, "checked": CHECKLIST, "comment": "同意"}
    assert client.post(approve, data, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 200
    drafted.refresh_from_db()
    assert drafted.status == LetterStatus.CLOSED and drafted.reply_text == "已答复。"
    assert drafted.events.get(action=MessageAction.APPROVED).actor == head
