"""三审三校 through workflows.api: the whole path, and every forbidden action refused with a Chinese message."""

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from site_pages.models import InterpretationPage, PolicyDocumentPage
from tests.factories import make_content, member
from workflows import api
from workflows.api import WorkflowError
from workflows.models import (
    ACKNOWLEDGE_KEY,
    CheckRun,
    Override,
    PublicationRecord,
    RejectionReason,
    UnitTaskState,
)

pytestmark = pytest.mark.usefixtures("shared_portal")

ORDER = [
    ("review_1", "info_officer"),
    ("review_2", "deputy_head"),
    ("review_3", "head"),
    ("proof_1", "typesetter"),
    ("proof_2", "section_chief"),
    ("proof_3", "deputy_head_2"),
]


def approve_current(page, user, comment=""):
    return api.approve(page, user, comment=comment, checked=api.checklist_for(page))


def run_to(page, reviewers, stop_stage):
    """Approve stage by stage until `stop_stage` is current."""
    for _stage, who in ORDER:
        if api.current_stage(page).stage == stop_stage:
            return
        approve_current(page, reviewers[who])


def test_whole_path_publishes_and_registers_six_people(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    seen = []
    for stage, who in ORDER:
        current = api.current_stage(draft)
        assert current.stage == stage
        assert current.role == reviewers[who].memberships.get().role
        assert current.name
        seen.append(stage)
        approve_current(draft, reviewers[who], comment=f"{stage}意见")
    draft.refresh_from_db()
    assert draft.live
    assert api.current_stage(draft) is None
    record = PublicationRecord.objects.get(object_id=str(draft.pk))
    people = [s["user"] for s in record.stages if s["stage"]]
    assert people == [reviewers[who].username for _stage, who in ORDER]
    assert [s["stage"] for s in record.stages if s["stage"]] == seen
    review_1 = next(s for s in record.stages if s["stage"] == "review_1")
    assert set(review_1["checked"]) == {"confidentiality", "conformity", "accuracy", "language"}
    assert review_1["comment"] == "review_1意见"
    assert record.unit == draft.owning_unit
    assert record.column.pk == draft.get_parent().pk
    assert not record.emergency


def test_checklists_per_stage(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    assert api.checklist_for(draft) == ["confidentiality", "conformity", "accuracy", "language"]
    approve_current(draft, reviewers["info_officer"])
    assert api.checklist_for(draft) == ["factual_basis", "publication_basis", "document_norms", "publication_value"]
    approve_current(draft, reviewers["deputy_head"])
    assert api.checklist_for(draft) == ["political_orientation", "policy_law", "social_impact"]
    approve_current(draft, reviewers["head"])
    assert api.checklist_for(draft) == []


def test_unticked_checklist_item_is_refused(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="语言文字"):
        api.approve(draft, reviewers["info_officer"], checked=["confidentiality", "conformity", "accuracy"])
    assert api.current_stage(draft).stage == "review_1"


def test_wrong_unit_is_refused(draft, reviewers, editor_b):
    api.submit(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="只有.*信息员"):
        approve_current(draft, editor_b)


def test_wrong_role_is_refused(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="只有.*信息员"):
        approve_current(draft, reviewers["typesetter"])
    approve_current(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="分管负责人"):
        approve_current(draft, reviewers["head"])


def test_submitter_may_not_perform_second_review(draft, reviewers, township_a):
    submitter = reviewers["info_officer"]
    member_role = type(submitter.memberships.get())
    member_role.objects.create(user=submitter, unit=township_a, role="deputy_head")
    api.submit(draft, submitter)
    approve_current(draft, submitter)
    with pytest.raises(WorkflowError, match="不能审核本人提交"):
        approve_current(draft, submitter)
    assert api.current_stage(draft).stage == "review_2"


def test_same_person_may_not_do_second_and_third_review(draft, reviewers, township_a):
    both = member(township_a, "deputy_head", username="sy_both")
    type(both.memberships.get()).objects.create(user=both, unit=township_a, role="head")
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    approve_current(draft, both)
    with pytest.raises(WorkflowError, match="同一人不能既二审又三审"):
        approve_current(draft, both)
    approve_current(draft, reviewers["head"])
    assert api.current_stage(draft).stage == "proof_1"


def test_nobody_publishes_directly(draft, reviewers, admin_user):
    for user in [*reviewers.values(), admin_user]:
        perms = draft.permissions_for_user(user)
        assert not perms.can_publish()
        assert not draft.get_parent().specific.permissions_for_user(user).can_publish_subpage()


def test_editor_cannot_unpublish_but_head_can(portal, reviewers):
    page = make_content(portal["a"], title="已发布信息")
    assert not page.permissions_for_user(reviewers["info_officer"]).can_unpublish()
    assert not page.permissions_for_user(reviewers["deputy_head"]).can_unpublish()
    assert page.permissions_for_user(reviewers["head"]).can_unpublish()


def test_edit_during_workflow_goes_back_to_first_stage(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    run_to(draft, reviewers, "review_3")
    edited = draft.get_latest_revision().as_object()
    edited.title = "石羊镇召开春耕生产工作会（修改）"
    edited.save_revision(user=reviewers["deputy_head"])
    draft.refresh_from_db()
    stage = api.current_stage(draft)
    assert stage.stage == "review_1"
    assert stage.task_state.revision_id == draft.get_latest_revision().pk
    # Approvals of the old revision no longer count: every stage is needed again.
    approve_current(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_2"


def test_rejection_needs_reason_and_comment(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="退回理由"):
        api.reject(draft, reviewers["deputy_head"], reasons=[], comment="请修改")
    with pytest.raises(WorkflowError, match="修改意见"):
        api.reject(draft, reviewers["deputy_head"], reasons=[RejectionReason.INACCURATE], comment="  ")
    with pytest.raises(WorkflowError, match="无效的退回理由"):
        api.reject(draft, reviewers["deputy_head"], reasons=["bogus"], comment="请修改")
    mail.outbox.clear()
    api.reject(
        draft,
        reviewers["deputy_head"],
        reasons=[RejectionReason.INACCURATE, RejectionReason.UNTIMELY],
        comment="会议时间有误",
    )
    state = UnitTaskState.objects.get(status="rejected")
    assert state.reasons == ["inaccurate", "untimely"]
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert api.current_stage(draft) is None
    to_submitter = [m for m in mail.outbox if reviewers["info_officer"].email in m.to]
    assert to_submitter and "会议时间有误" in to_submitter[0].body and "数据或表述不准确" in to_submitter[0].body


def test_resubmit_after_rejection_without_edit_resumes_at_rejecting_stage(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    api.reject(draft, reviewers["deputy_head"], reasons=[RejectionReason.UNTIMELY], comment="暂缓")
    api.submit(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_2"


def test_resubmit_after_rejection_with_edit_starts_over(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    api.reject(draft, reviewers["deputy_head"], reasons=[RejectionReason.INACCURATE], comment="改数据")
    edited = draft.get_latest_revision().as_object()
    edited.summary = "改正后的摘要"
    edited.save_revision(user=reviewers["info_officer"])
    api.submit(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_1"


def test_notifications_go_to_next_approvers(draft, reviewers):
    mail.outbox.clear()
    api.submit(draft, reviewers["info_officer"])
    assert any(reviewers["info_officer"].email in m.to and "一审" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    approve_current(draft, reviewers["info_officer"])
    recipients = {address for m in mail.outbox for address in m.to}
    assert recipients == {reviewers["deputy_head"].email, reviewers["deputy_head_2"].email}
    assert "二审" in mail.outbox[0].subject


def test_tasks_awaiting_me_is_one_query(draft, reviewers, django_assert_num_queries):
    api.submit(draft, reviewers["info_officer"])
    with django_assert_num_queries(1):
        mine = list(api.awaiting(reviewers["info_officer"]))
    assert [s.stage for s in mine] == ["review_1"]
    assert list(api.awaiting(reviewers["head"])) == []


def test_important_policy_needs_a_published_interpretation(portal, reviewers):
    policy = make_content(
        portal["a"],
        model=PolicyDocumentPage,
        title="石羊镇重要政策",
        publish=False,
        document_number="石府发〔2026〕1号",
        written_date="2026-01-05",
        issuing_authority="石羊镇人民政府",
        important=True,
    )
    policy.save_revision(user=reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="政策解读"):
        api.submit(policy, reviewers["info_officer"])
    interpretation = make_content(portal["a"], model=InterpretationPage, title="解读", publish=False)
    interpretation.policy_documents.add(policy)
    interpretation.save()
    api.submit(policy, reviewers["info_officer"])
    for _stage, who in ORDER[:-1]:
        approve_current(policy, reviewers[who])
    with pytest.raises(WorkflowError, match="同步发布"):
        approve_current(policy, reviewers["deputy_head_2"])
    interpretation.save_revision().publish()
    approve_current(policy, reviewers["deputy_head_2"])
    policy.refresh_from_db()
    assert policy.live


def test_joint_document_needs_each_co_issuer_head_consent(draft, reviewers, township_b):
    b_head = member(township_b, "head", username="lt_zhuyao")
    draft.co_issuing_units.add(township_b)
    draft.save_revision(user=reviewers["info_officer"])
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["deputy_head"])
    with pytest.raises(WorkflowError, match="会签.*龙台镇"):
        approve_current(draft, reviewers["head"])
    with pytest.raises(WorkflowError, match="联合发文单位的主要负责人"):
        api.consent(draft, reviewers["head"])
    consents = api.consent(draft, b_head, comment="同意")
    assert consents[0].user == b_head and consents[0].created_at
    approve_current(draft, reviewers["head"])
    assert api.current_stage(draft).stage == "proof_1"


def test_repost_from_unlisted_source_needs_head_override(draft, reviewers):
    draft.is_repost = True
    draft.source_organisation = "某某商业资讯网"
    draft.source_url = "https://news.example.com/a/1"
    draft.save_revision(user=reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="来源单位") as refused:
        api.submit(draft, reviewers["info_officer"])
    assert any(f["category"] == "unlisted_source" for f in refused.value.findings)
    with pytest.raises(WorkflowError, match="主要负责人"):
        api.override(draft, reviewers["deputy_head"], kind=Override.Kind.REPOST_SOURCE, reason="转载必要")
    api.override(draft, reviewers["head"], kind=Override.Kind.REPOST_SOURCE, reason="该文为本镇合作单位发布，确需转载")
    api.submit(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_1"


def test_repost_from_listed_source_passes(draft, reviewers):
    draft.is_repost = True
    draft.source_organisation = "四川省人民政府"
    draft.source_url = "https://www.sc.gov.cn/10462/c1/2026/1/1/abc.shtml"
    draft.save_revision(user=reviewers["info_officer"])
    api.submit(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_1"


def test_block_finding_stops_submission_until_fixed(draft, reviewers):
    content = draft.get_latest_revision().as_object()
    content.title = "石羊镇代开发票服务"
    content.save_revision(user=reviewers["info_officer"])
    with pytest.raises(WorkflowError) as refused:
        api.submit(draft, reviewers["info_officer"])
    assert any(f["matched"] == "代开发票" and f["field"] == "title" for f in refused.value.findings)
    assert api.current_stage(draft) is None
    content.title = "石羊镇税务服务"
    content.save_revision(user=reviewers["info_officer"])
    api.submit(draft, reviewers["info_officer"])
    assert api.current_stage(draft).stage == "review_1"


def test_personal_data_blocks_until_masked_or_legal_basis(draft, reviewers):
    content = draft.get_latest_revision().as_object()
    content.summary = "联系人身份证号11010519491231002X"
    content.save_revision(user=reviewers["info_officer"])
    with pytest.raises(WorkflowError):
        api.submit(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="法定依据"):
        api.override(draft, reviewers["head"], kind=Override.Kind.PERSONAL_DATA, reason="公示")
    api.override(
        draft,
        reviewers["head"],
        kind=Override.Kind.PERSONAL_DATA,
        legal_basis=Override.LegalBasis.DISCIPLINARY,
        reason="失信被执行人惩戒公示",
    )
    api.submit(draft, reviewers["info_officer"])
    run = CheckRun.objects.filter(phase="submit").first()
    assert any(f["category"] == "personal_data" and f.get("overridden") for f in run.findings)


def test_warning_needs_acknowledgement(draft, reviewers):
    content = draft.get_latest_revision().as_object()
    content.summary = "打造全国最佳营商环境"
    content.save_revision(user=reviewers["info_officer"])
    api.submit(draft, reviewers["info_officer"])
    assert ACKNOWLEDGE_KEY in api.checklist_for(draft)
    with pytest.raises(WorkflowError, match="自动检查提示"):
        api.approve(draft, reviewers["info_officer"], checked=["confidentiality", "conformity", "accuracy", "language"])
    approve_current(draft, reviewers["info_officer"])
    assert ACKNOWLEDGE_KEY not in api.checklist_for(draft)
    assert CheckRun.objects.filter(acknowledged_by=reviewers["info_officer"]).exists()


def test_emergency_publish_needs_superuser_and_reason(draft, reviewers, admin_user):
    with pytest.raises(WorkflowError, match="系统管理员"):
        api.emergency_publish(draft, reviewers["head"], reason="突发事件须立即发布通知")
    with pytest.raises(WorkflowError, match="理由"):
        api.emergency_publish(draft, admin_user, reason="急")
    record = api.emergency_publish(draft, admin_user, reason="突发暴雨灾害，须立即发布避险通知")
    draft.refresh_from_db()
    assert draft.live and record.emergency and "暴雨" in record.emergency_reason


def test_submit_needs_edit_permission(draft, editor_b):
    with pytest.raises(WorkflowError, match="没有编辑"):
        api.submit(draft, editor_b)


def test_submit_twice_is_refused(draft, reviewers):
    api.submit(draft, reviewers["info_officer"])
    with pytest.raises(WorkflowError, match="已在审核中"):
        api.submit(draft, reviewers["info_officer"])


def test_supervisor_graded_review_variant(draft, reviewers, county_office):
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from workflows.models import AutomatedCheckTask, UnitRoleTask

    office_head = member(county_office, "head", username="xzfb_zhuyao")
    workflow = Workflow.objects.create(name="县政府文件（分级审核）")
    tasks = [AutomatedCheckTask.objects.create(name="自动检查（文件）")]
    tasks.append(UnitRoleTask.objects.create(name="一审（文件）", stage="review_1", role="info_officer"))
    tasks.append(UnitRoleTask.objects.create(name="分级审核", stage="graded", role="head", unit_source="supervisor"))
    for order, task in enumerate(tasks):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.create(page=draft.get_parent(), workflow=workflow)
    api.submit(draft, reviewers["info_officer"])
    approve_current(draft, reviewers["info_officer"])
    stage = api.current_stage(draft)
    assert stage.stage == "graded" and stage.unit == county_office
    with pytest.raises(WorkflowError):
        approve_current(draft, reviewers["head"])
    approve_current(draft, office_head)
    draft.refresh_from_db()
    assert draft.live


def test_consents_awaiting_lists_joint_documents_in_review_only(draft, reviewers, township_b, portal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.wagtail_hooks import consents_awaiting

    b_head = member(township_b, "head", username="lt_zhuyao2")
    # Finished joint documents of earlier years are not work for the head any more.
    for year in range(3):
        old = make_content(portal["a"], title=f"往年联合发文{year}")
        old.co_issuing_units.add(township_b)
    draft.co_issuing_units.add(township_b)
    draft.save_revision(user=reviewers["info_officer"])
    assert consents_awaiting(b_head) == []
    api.submit(draft, reviewers["info_officer"])
    with CaptureQueriesContext(connection) as before:
        items = consents_awaiting(b_head)
    assert [(page.pk, [unit.pk for unit in waiting]) for page, waiting, _ct in items] == [(draft.pk, [township_b.pk])]
    # More finished joint documents cost no more queries.
    for year in range(3, 8):
        make_content(portal["a"], title=f"往年联合发文{year}").co_issuing_units.add(township_b)
    with CaptureQueriesContext(connection) as after:
        consents_awaiting(b_head)
    assert len(after) == len(before)
    api.consent(draft, b_head, comment="同意")
    assert consents_awaiting(b_head) == []
    assert consents_awaiting(reviewers["info_officer"]) == []
