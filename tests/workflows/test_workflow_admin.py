"""三审三校 through the Wagtail admin's own HTTP views, as six people would click through it."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from site_pages.models import ArticlePage
from tests.factories import log_in
from workflows import api
from workflows.models import PublicationRecord

from .test_workflow_api import ORDER

pytestmark = pytest.mark.usefixtures("shared_portal")

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def edit_data(page, action, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": "",
        "body": streamfield([("paragraph", rich_text("<p>镇党委召开会议，部署春耕生产。</p>"))]),
        "co_issuing_units": [],
        "comments": inline_formset([]),
        action: "1",
    }
    data.update(overrides)
    return nested_form_data(data)


def act(client, user, page, action, **data):
    log_in(client, user)
    state = api.current_stage(page).task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, {"reviewed_state": state.pk, **data}, **AJAX)


def approve(client, user, page):
    return act(client, user, page, "approve", checked=api.checklist_for(page), comment="同意")


@pytest.fixture
def admin_draft(portal, reviewers):
    page = ArticlePage(title="石羊镇开展春耕督导", slug="spring", live=False)
    portal["a"].add_child(instance=page)
    page.save_revision(user=reviewers["info_officer"])
    return page


def test_six_people_publish_through_the_admin(client, admin_draft, reviewers):
    log_in(client, reviewers["info_officer"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[admin_draft.pk])
    response = client.post(edit_url, edit_data(admin_draft, "action-submit"))
    assert response.status_code == 302
    assert api.current_stage(admin_draft).stage == "review_1"
    client.get(reverse("wagtailadmin_home"))  # consume the confirmation message

    log_in(client, reviewers["deputy_head"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "石羊镇开展春耕督导" not in dashboard  # not yet at 二审

    for _stage, who in ORDER:
        log_in(client, reviewers[who])
        assert "石羊镇开展春耕督导" in client.get(reverse("wagtailadmin_home")).content.decode()
        response = approve(client, reviewers[who], admin_draft)
        assert response.status_code == 200
        assert json.loads(response.content)["step"] == "success"
    admin_draft.refresh_from_db()
    assert admin_draft.live
    record = PublicationRecord.objects.get(object_id=str(admin_draft.pk))
    assert len([s for s in record.stages if s["stage"]]) == 6
    assert client.get(admin_draft.url).status_code == 200


def test_modal_shows_checklist_and_refuses_incomplete_ticks(client, admin_draft, reviewers):
    api.submit(admin_draft, reviewers["info_officer"])
    log_in(client, reviewers["info_officer"])
    state = api.current_stage(admin_draft).task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(admin_draft.pk, "approve", state.pk))
    modal = json.loads(client.get(url, **AJAX).content)["html"]
    for label in ("保密性", "规范性", "准确性", "语言文字"):
        assert label in modal
    response = act(client, reviewers["info_officer"], admin_draft, "approve", checked=["confidentiality"])
    html = json.loads(response.content)["html"]
    assert "请逐项确认审核要点" in html and "语言文字" in html
    assert api.current_stage(admin_draft).stage == "review_1"


def test_reject_without_reason_is_refused_in_the_modal(client, admin_draft, reviewers):
    api.submit(admin_draft, reviewers["info_officer"])
    response = act(client, reviewers["info_officer"], admin_draft, "reject", comment="请修改")
    assert "退回须至少选择一项退回理由" in json.loads(response.content)["html"]
    response = act(client, reviewers["info_officer"], admin_draft, "reject", reasons=["untimely"], comment="")
    assert "退回须填写具体修改意见" in json.loads(response.content)["html"]
    assert api.current_stage(admin_draft).stage == "review_1"


def test_editor_reject_path_without_data_is_refused(client, admin_draft, reviewers):
    """The page editor's own action path passes no form data: the task itself refuses."""
    api.submit(admin_draft, reviewers["info_officer"])
    log_in(client, reviewers["info_officer"])
    data = edit_data(admin_draft, "action-workflow-action", **{"workflow-action-name": "reject"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[admin_draft.pk]), data)
    assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect with a message
    assert api.current_stage(admin_draft).stage == "review_1"


def test_wrong_role_cannot_open_the_action(client, admin_draft, reviewers, editor_b):
    api.submit(admin_draft, reviewers["info_officer"])
    # Another unit's editor is not even told the draft exists (site_pages.draft_privacy).
    for user, status in ((reviewers["head"], 403), (editor_b, 404)):
        response = act(client, user, admin_draft, "approve", checked=api.checklist_for(admin_draft))
        assert response.status_code == status
    assert api.current_stage(admin_draft).stage == "review_1"


def test_publish_button_does_not_publish(client, admin_draft, reviewers, admin_user):
    for user in (reviewers["head"], admin_user):
        log_in(client, user)
        client.post(reverse("wagtailadmin_pages:edit", args=[admin_draft.pk]), edit_data(admin_draft, "action-publish"))
        admin_draft.refresh_from_db()
        assert not admin_draft.live
    log_in(client, admin_user)
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={admin_draft.pk}"
    client.post(bulk)
    assert not Page.objects.get(pk=admin_draft.pk).live


def test_editor_cannot_unpublish(client, portal, reviewers):
    from tests.factories import make_content

    page = make_content(portal["a"], title="已发布动态")
    log_in(client, reviewers["info_officer"])
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.live


def test_editor_sees_highlighted_finding(client, admin_draft, reviewers):
    log_in(client, reviewers["info_officer"])
    data = edit_data(admin_draft, "action-submit", title="石羊镇代开发票服务点开放")
    edit_url = reverse("wagtailadmin_pages:edit", args=[admin_draft.pk])
    response = client.post(edit_url, data)
    assert response.status_code == 302 and response.url == edit_url  # back to the editor, not the explorer
    html = client.get(edit_url).content.decode()
    assert "自动检查未通过" in html  # the error message naming the field and the text
    assert "<mark>代开发票</mark>" in html
    assert "阻止发布" in html


def test_proof_stage_preview_can_be_framed(client, admin_draft, reviewers, editor_b):
    api.submit(admin_draft, reviewers["info_officer"])
    for _stage, who in ORDER[:3]:
        api.approve(admin_draft, reviewers[who], checked=api.checklist_for(admin_draft))
    state = api.current_stage(admin_draft).task_state
    log_in(client, reviewers["typesetter"])
    action_url = reverse("wagtailadmin_pages:workflow_action", args=(admin_draft.pk, "approve", state.pk))
    modal = json.loads(client.get(action_url, **AJAX).content)["html"]
    preview_url = reverse("workflows:proof_preview", args=[state.pk])
    assert f'src="{preview_url}"' in modal
    response = client.get(preview_url)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "石羊镇开展春耕督导" in response.content.decode()
    log_in(client, editor_b)
    assert client.get(preview_url).status_code == 404  # the same answer as for a missing task state


def test_emergency_publish_view(client, admin_draft, admin_user, reviewers):
    ct = admin_draft.get_base_content_type().pk
    url = reverse("workflows:emergency_publish", args=(ct, admin_draft.pk))
    log_in(client, reviewers["head"])
    assert client.get(url).status_code in (302, 403)
    log_in(client, admin_user)
    response = client.post(url, {"reason": "短"})
    assert "不少于10个字" in response.content.decode()
    client.post(url, {"reason": "突发山洪灾害，须立即发布转移避险通知"})
    admin_draft.refresh_from_db()
    assert admin_draft.live
    assert PublicationRecord.objects.get(object_id=str(admin_draft.pk)).emergency


def test_dashboard_works_for_superusers_and_reviewers(client, admin_draft, reviewers, admin_user):
    """Wagtail ORs every task type's moderation queryset: ours must be of the base TaskState model."""
    from wagtail.models import GroupApprovalTask, TaskState, Workflow

    api.submit(admin_draft, reviewers["info_officer"])
    for user in (admin_user, reviewers["info_officer"], reviewers["deputy_head"]):
        log_in(client, user)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert list(TaskState.objects.reviewable_by(reviewers["info_officer"])) == [
        api.current_stage(admin_draft).task_state.taskstate_ptr
    ]
    # Wagtail's own group-approval workflow would let its Moderators group (and superusers) publish.
    assert not Workflow.objects.filter(active=True, workflow_tasks__task__in=GroupApprovalTask.objects.all()).exists()
    assert not GroupApprovalTask.objects.filter(active=True).exists()
