"""The same 三审三校 workflow drives non-page content (WorkflowMixin/DraftStateMixin snippets)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow, WorkflowContentType

from tests.testapp.models import ReviewedNotice
from workflows import api
from workflows.models import PublicationRecord
from workflows.permissions import ReviewedModelPermissionPolicy

from .test_workflow_api import ORDER, approve_current


@pytest.fixture
def notice(township_a, reviewers):
    WorkflowContentType.objects.create(
        content_type=ContentType.objects.get_for_model(ReviewedNotice), workflow=Workflow.objects.get(name="三审三校")
    )
    reviewers["info_officer"].user_permissions.add(Permission.objects.get(codename="change_reviewednotice"))
    obj = ReviewedNotice.objects.create(
        title="石羊镇停水通知", text="因管网检修停水一天。", owning_unit=township_a, live=False
    )
    obj.save_revision(user=reviewers["info_officer"])
    return obj


def test_snippet_goes_through_all_stages_and_is_published(notice, reviewers, admin_user):
    api.submit(notice, reviewers["info_officer"])
    for stage, who in ORDER:
        assert api.current_stage(notice).stage == stage
        approve_current(notice, reviewers[who])
    notice.refresh_from_db()
    assert notice.live
    record = PublicationRecord.objects.get(object_id=str(notice.pk))
    assert record.unit == notice.owning_unit and record.column is None
    assert len([s for s in record.stages if s["stage"]]) == 6


def test_snippet_checks_and_roles_apply(notice, reviewers, editor_b):
    notice.text = "联系人手机13812345678"
    notice.save_revision(user=reviewers["info_officer"])
    with pytest.raises(api.WorkflowError):
        api.submit(notice, reviewers["info_officer"])
    notice.text = "联系电话：028-12345678"
    notice.save_revision(user=reviewers["info_officer"])
    api.submit(notice, reviewers["info_officer"])
    with pytest.raises(api.WorkflowError, match="只有"):
        approve_current(notice, editor_b)


def test_snippet_publish_permission_is_never_honoured(admin_user):
    policy = ReviewedModelPermissionPolicy(ReviewedNotice)
    assert not policy.user_has_permission(admin_user, "publish")
    assert policy.user_has_permission(admin_user, "change")
