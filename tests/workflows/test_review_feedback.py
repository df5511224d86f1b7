"""What editors and approvers are told after acting, through the admin's own HTTP views (issue 13 §5)."""

import json

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import log_in
from workflows import api
from workflows.models import CheckRun

from .test_workflow_admin import approve, edit_data
from .test_workflow_api import ORDER

pytestmark = pytest.mark.usefixtures("shared_portal")


def follow_dialog(client, response):
    """What the browser does after the review dialog reports success: follow its redirect."""
    payload = json.loads(response.content)
    assert payload["step"] == "success"
    return client.get(payload["redirect"], follow=True)


def shown(response):
    """(level, text) of each message the response carries; Wagtail renders messages as HTML with buttons."""
    return [(m.level, " ".join(strip_tags(str(m.message)).split())) for m in get_messages(response.wsgi_request)]


def test_each_approval_names_the_next_stage_and_who_has_it(client, draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    landed = follow_dialog(client, approve(client, reviewers["info_officer"], draft))
    assert landed.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert shown(landed) == [(messages.SUCCESS, "一审已通过，已转二审（安岳县石羊镇人民政府测试 分管负责人）。")]
    log_in(client, reviewers["deputy_head"])
    landed = follow_dialog(client, approve(client, reviewers["deputy_head"], draft))
    assert shown(landed) == [
        (messages.SUCCESS, "二审已通过，已转三审（签发）（安岳县石羊镇人民政府测试 主要负责人）。")
    ]


def test_last_approval_says_published_with_a_link(client, draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    for _stage, who in ORDER[:-1]:
        api.approve(draft, reviewers[who], checked=api.checklist_for(draft))
    landed = follow_dialog(client, approve(client, reviewers[ORDER[-1][1]], draft))
    draft.refresh_from_db()
    assert draft.live
    [message] = get_messages(landed.wsgi_request)
    assert message.level == messages.SUCCESS
    assert shown(landed)[0][1].startswith("三校已通过，已发布。")
    assert f'href="{draft.get_full_url()}"' in str(message.message)


def test_approving_from_the_editor_says_what_is_next(client, draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    log_in(client, reviewers["info_officer"])
    data = edit_data(
        draft,
        "action-workflow-action",
        **{
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps({"checked": api.checklist_for(draft), "comment": "同意"}),
        },
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert api.current_stage(draft).stage == "review_2"
    assert shown(response) == [(messages.SUCCESS, "一审已通过，已转二审（安岳县石羊镇人民政府测试 分管负责人）。")]


def test_a_send_back_by_the_automated_check_shows_only_the_failure(client, draft, reviewers):
    log_in(client, reviewers["info_officer"])
    data = edit_data(draft, "action-submit", title="石羊镇代开发票服务点开放")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    levels = [level for level, _text in shown(response)]
    assert levels == [messages.ERROR]
    assert "自动检查未通过" in shown(response)[0][1]


def test_panel_shows_a_passed_check_with_its_time(client, draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    run = api.latest_check_run(draft)
    assert not run.blocking()
    log_in(client, reviewers["info_officer"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "自动检查：" in html and "通过" in html
    assert timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M") in html
    assert reverse("workflows:precheck", args=[draft.get_base_content_type().pk, draft.pk]) in html


def test_precheck_shows_findings_of_the_draft_without_changing_state(client, draft, reviewers, editor_b):
    draft.title = "石羊镇代开发票服务点开放"
    draft.save_revision(user=reviewers["info_officer"])
    url = reverse("workflows:precheck", args=[draft.get_base_content_type().pk, draft.pk])
    log_in(client, reviewers["info_officer"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预检未通过" in html and "<mark>代开发票</mark>" in html
    assert not CheckRun.for_object(draft).exists()
    assert api.active_workflow_state(draft) is None
    log_in(client, editor_b)
    assert client.post(url).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    log_in(strict, reviewers["info_officer"])
    assert strict.post(url).status_code == 403


def test_precheck_of_a_clean_draft_passes(client, draft, reviewers):
    url = reverse("workflows:precheck", args=[draft.get_base_content_type().pk, draft.pk])
    log_in(client, reviewers["info_officer"])
    assert "预检通过，可以提交审核。" in client.post(url).content.decode()


def test_approval_confirmation_is_only_for_the_approver(client, draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    state = api.approve(draft, reviewers["info_officer"], checked=api.checklist_for(draft))
    url = reverse("workflows:approved", args=[state.pk])
    log_in(client, reviewers["deputy_head"])
    assert client.get(url).status_code == 404
    log_in(client, reviewers["info_officer"])
    assert client.get(url).status_code == 302


def test_notification_links_to_the_configured_admin_host(draft, reviewers, settings, mailoutbox):
    api.submit(draft, reviewers["info_officer"])
    api.approve(draft, reviewers["info_officer"], checked=api.checklist_for(draft))
    [arrived] = [m for m in mailoutbox if reviewers["deputy_head"].email in m.to]
    assert f"{settings.WAGTAILADMIN_BASE_URL}{reverse('wagtailadmin_home')}" in arrived.body
