"""Review independence: authors never review their own words, and nothing publishes without an independent sign-off.

Through the admin's HTTP views where a person reaches the rule; the sign-off guard is also driven through
Wagtail's own TaskState.approve for every task type and stage, so a task type or stage added later is covered.
"""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page, Task, Workflow, WorkflowPage, WorkflowTask
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.workflows import get_task_types

from tests.factories import log_in, make_content, member
from workflows import api
from workflows.models import PublicationRecord, Stage, UnitRoleTask

from .test_workflow_admin import approve, edit_data

pytestmark = pytest.mark.usefixtures("shared_portal")

SIGN_OFF = {Stage.REVIEW_3, Stage.GRADED}
EDITOR_REFUSAL = "须包含由独立审核人办理的“三审（签发）”或“分级审核”环节"
FINISH_REFUSAL = "未经独立审核人在“三审（签发）”或“分级审核”环节审核通过"


def body(text):
    return streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])


def save_draft(client, user, page, text):
    """The person saves a draft in the page editor (no submission)."""
    log_in(client, user)
    data = edit_data(page, "action-save-draft", body=body(text))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def stage_of(page):
    return api.current_stage(page).stage


# ---------------------------------------------------------------- (a) authors since publication


@pytest.fixture
def published(portal, reviewers):
    return make_content(portal["a"], title="石羊镇开展春耕督导", text="镇里部署春耕工作。")


def test_authors_since_last_publication_are_refused_second_and_third_review(client, published, reviewers, township_a):
    page = published
    save_draft(client, reviewers["head"], page, "镇党委召开会议，部署春耕生产。")
    save_draft(client, reviewers["deputy_head"], page, "镇党委召开会议，部署春耕生产和防汛工作。")
    # The info officer re-saves the deputy head's words unchanged and submits them as their own.
    log_in(client, reviewers["info_officer"])
    data = edit_data(page, "action-submit", body=body("镇党委召开会议，部署春耕生产和防汛工作。"))
    assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data).status_code == 302
    assert api.current_stage(page).task_state.revision.user == reviewers["info_officer"]
    assert json.loads(approve(client, reviewers["info_officer"], page).content)["step"] == "success"
    assert stage_of(page) == "review_2"

    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for author, stage in ((reviewers["deputy_head"], "review_2"), (reviewers["head"], "review_3")):
        if stage == "review_3":
            assert json.loads(approve(client, reviewers["deputy_head_2"], page).content)["step"] == "success"
        assert stage_of(page) == stage
        log_in(client, author)
        assert "不能审核本人撰写或修改过的内容" in client.get(edit_url).content.decode()
        assert approve(client, author, page).status_code == 403
        with pytest.raises(api.WorkflowError, match="不能审核本人撰写或修改过的内容"):
            api.approve(page, author, checked=api.checklist_for(page))
        assert stage_of(page) == stage

    other_head = member(township_a, "head", username="sy_zhuyao_other")
    assert json.loads(approve(client, other_head, page).content)["step"] == "success"
    assert stage_of(page) == "proof_1"


def test_authors_before_the_last_publication_may_review(client, portal, reviewers):
    page = make_content(portal["a"], title="石羊镇开展春耕督导", text="镇里部署春耕工作。", publish=False)
    page.save_revision(user=reviewers["deputy_head"]).publish()
    save_draft(client, reviewers["info_officer"], page, "镇里部署春耕和防汛工作。")
    api.submit(page, reviewers["info_officer"])
    approve(client, reviewers["info_officer"], page)
    assert json.loads(approve(client, reviewers["deputy_head"], page).content)["step"] == "success"
    assert stage_of(page) == "review_3"


# ---------------------------------------------------------------- (b) the workflow editor


def make_task(model, stage=None, role="head"):
    """One task of any registered type; a type with required fields of its own must be taught here."""
    fields = {"name": f"{model._meta.verbose_name}{stage or ''}{Task.objects.count()}"}
    if stage is not None:
        fields.update(stage=stage, role=role)
    return model.objects.create(**fields)


def every_task_kind():
    """(task type, stage) for every registered task type, and every stage of those that have one."""
    kinds = []
    for model in get_task_types():
        has_stage = any(f.name == "stage" for f in model._meta.get_fields())
        kinds += [(model, stage) for stage in Stage.values] if has_stage else [(model, None)]
    return kinds


def is_sign_off(model, stage):
    return issubclass(model, UnitRoleTask) and stage in SIGN_OFF


def workflow_post(name, tasks, workflow=None):
    data = {"name": name, "pages-TOTAL_FORMS": "0", "pages-INITIAL_FORMS": "0"}
    existing = list(workflow.workflow_tasks.order_by("sort_order")) if workflow else []
    data.update({"workflow_tasks-TOTAL_FORMS": str(len(tasks)), "workflow_tasks-INITIAL_FORMS": str(len(existing))})
    for index, task in enumerate(tasks):
        data[f"workflow_tasks-{index}-task"] = str(task.pk)
        data[f"workflow_tasks-{index}-id"] = str(existing[index].pk) if index < len(existing) else ""
        data[f"workflow_tasks-{index}-ORDER"] = str(index + 1)
        data[f"workflow_tasks-{index}-DELETE"] = ""
    return data


def default_task(stage):
    return UnitRoleTask.objects.get(workflow_tasks__workflow__name="三审三校", stage=stage)


def test_workflow_editor_refuses_check_and_first_review_only(admin_client, db):
    check = Workflow.objects.get(name="三审三校").tasks.first()
    response = admin_client.post(
        reverse("wagtailadmin_workflows:add"), workflow_post("自动检查加一审", [check, default_task("review_1")])
    )
    assert response.status_code == 200
    assert EDITOR_REFUSAL in response.content.decode()
    assert not Workflow.objects.filter(name="自动检查加一审").exists()


def test_workflow_editor_refuses_removing_the_sign_off(admin_client, db):
    workflow = Workflow.objects.get(name="三审三校")
    before = list(workflow.tasks)
    data = workflow_post("三审三校", before, workflow)
    third = next(i for i, t in enumerate(before) if getattr(t.specific, "stage", "") == "review_3")
    data[f"workflow_tasks-{third}-DELETE"] = "on"
    response = admin_client.post(reverse("wagtailadmin_workflows:edit", args=[workflow.pk]), data)
    assert response.status_code == 200
    assert EDITOR_REFUSAL in response.content.decode()
    assert list(Workflow.objects.get(pk=workflow.pk).tasks) == before


def test_workflow_editor_needs_a_sign_off_stage_whatever_the_task_types(admin_client, db):
    kinds = every_task_kind()
    others = [make_task(model, stage) for model, stage in kinds if not is_sign_off(model, stage)]
    response = admin_client.post(reverse("wagtailadmin_workflows:add"), workflow_post("无签发", others))
    assert response.status_code == 200 and EDITOR_REFUSAL in response.content.decode()
    assert not Workflow.objects.filter(name="无签发").exists()
    for index, (model, stage) in enumerate(k for k in kinds if is_sign_off(*k)):
        name = f"有签发{index}"
        response = admin_client.post(
            reverse("wagtailadmin_workflows:add"), workflow_post(name, [*others, make_task(model, stage)])
        )
        assert response.status_code == 302, (model, stage)
        assert Workflow.objects.filter(name=name).exists()


# ---------------------------------------------------------------- (c) the finish refuses to publish


def use_workflow(column, tasks):
    workflow = Workflow.objects.create(name=f"变体{Workflow.objects.count()}")
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": workflow})
    return workflow


@pytest.fixture
def draft_page(portal, reviewers):
    from site_pages.models import ArticlePage

    page = ArticlePage(title="石羊镇开展春耕督导", slug="spring", live=False)
    portal["a"].add_child(instance=page)
    page.save_revision(user=reviewers["info_officer"])
    return page


def nothing_published(page):
    return not Page.objects.get(pk=page.pk).live and not PublicationRecord.objects.exists()


def test_workflow_without_sign_off_made_in_the_database_cannot_publish(client, portal, draft_page, reviewers):
    check = Workflow.objects.get(name="三审三校").tasks.first()
    use_workflow(portal["a"], [check, default_task("review_1")])
    log_in(client, reviewers["info_officer"])
    data = edit_data(draft_page, "action-submit")
    assert client.post(reverse("wagtailadmin_pages:edit", args=[draft_page.pk]), data).status_code == 302
    assert stage_of(draft_page) == "review_1"
    response = approve(client, reviewers["info_officer"], draft_page)
    assert FINISH_REFUSAL in json.loads(response.content)["html"]
    with pytest.raises(api.WorkflowError, match=FINISH_REFUSAL):
        api.approve(draft_page, reviewers["info_officer"], checked=api.checklist_for(draft_page))
    assert stage_of(draft_page) == "review_1"
    assert nothing_published(draft_page)


def drive(page, submitter, approver):
    """Submit, then approve every task through Wagtail's own TaskState.approve; the refusal, or None."""
    try:
        state = api.submit(page, submitter)
        while state.status == state.STATUS_IN_PROGRESS:
            state.current_task_state.approve(user=approver)
            state.refresh_from_db()
    except api.WorkflowError as error:
        return str(error)
    return None


@pytest.mark.parametrize(("model", "stage"), every_task_kind(), ids=lambda v: getattr(v, "__name__", None) or str(v))
def test_no_workflow_publishes_without_an_independent_sign_off(model, stage, portal, draft_page, reviewers):
    use_workflow(portal["a"], [make_task(model, stage)])
    refusal = drive(draft_page, reviewers["info_officer"], reviewers["head"])
    if is_sign_off(model, stage):
        assert refusal is None
        assert Page.objects.get(pk=draft_page.pk).live
    else:
        assert refusal is not None and FINISH_REFUSAL in refusal
        assert nothing_published(draft_page)


@pytest.mark.parametrize("stage", sorted(SIGN_OFF))
def test_sign_off_by_the_submitter_or_an_author_does_not_publish(stage, portal, draft_page, reviewers):
    use_workflow(portal["a"], [make_task(UnitRoleTask, stage)])
    draft_page.save_revision(user=reviewers["head"])
    for person in (reviewers["info_officer"], reviewers["head"]):
        assert FINISH_REFUSAL in drive(draft_page, reviewers["info_officer"], person)
        assert nothing_published(draft_page)
        api.active_workflow_state(draft_page).cancel(user=reviewers["info_officer"])


def test_task_editor_cannot_turn_the_sign_off_into_another_stage(admin_client, db):
    """Editing the 三审 task into 一审 would strip every workflow using it of its sign-off."""
    task = default_task("review_3")
    data = {"name": task.name, "stage": "review_1", "role": task.role, "unit_source": task.unit_source}
    admin_client.post(reverse("wagtailadmin_workflows:edit_task", args=[task.pk]), data)
    assert UnitRoleTask.objects.get(pk=task.pk).stage == "review_3"
