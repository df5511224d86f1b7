"""Two approvals of the same task at the same moment produce one transition (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import make_content, member
from workflows import api
from workflows.models import UnitTaskState

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this on it"),
]


def test_simultaneous_approvals_make_one_transition(portal, township_a):
    first = member(township_a, "info_officer", username="xxy_one")
    second = member(township_a, "info_officer", username="xxy_two")
    page = make_content(portal["a"], title="并发审核测试", publish=False)
    page.save_revision(user=first)
    api.submit(page, first)
    checklist = api.checklist_for(page)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            api.approve(page, user, checked=checklist)
            outcomes.append("approved")
        except api.WorkflowError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=lambda o: o != "approved")[0] == "approved"
    assert outcomes.count("approved") == 1, outcomes
    assert UnitTaskState.objects.filter(stage="review_1", status="approved").count() == 1
    assert UnitTaskState.objects.filter(stage="review_2", status="in_progress").count() == 1
    assert api.current_stage(page).stage == "review_2"
