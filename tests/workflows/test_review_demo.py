"""seed_review_demo: the graded-review variant and demo items at different points of 三审三校."""

from django.core.management import call_command
from wagtail.models import Page, WorkflowPage

from workflows import api
from workflows.models import PublicationRecord, UnitTaskState


def test_review_demo_shows_each_state_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_review_demo", verbosity=0)
    call_command("seed_review_demo", verbosity=0)

    published = Page.objects.get(slug="review-demo-published")
    assert published.live
    record = PublicationRecord.objects.get(object_id=str(published.pk))
    assert [s["user"] for s in record.stages if s["stage"]] == [
        "石羊镇信息员",
        "石羊镇分管负责人",
        "石羊镇主要负责人",
        "石羊镇排版员",
        "石羊镇股室负责人",
        "石羊镇分管负责人",
    ]
    waiting = Page.objects.get(slug="review-demo-second")
    assert api.current_stage(waiting).stage == "review_2"
    rejected = UnitTaskState.objects.get(status="rejected")
    assert rejected.reasons == ["inaccurate"] and rejected.stage == "review_2"
    graded = WorkflowPage.objects.get(page__url_path__endswith="/zcwj/xzfwj/").workflow
    stages = [t.specific.stage for t in graded.tasks if hasattr(t.specific, "stage")]
    assert stages.index("graded") == stages.index("review_3") + 1
    assert PublicationRecord.objects.count() == 1
