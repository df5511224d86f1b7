"""立即检查 queues a request that run_requested_inspections runs outside the web request."""

import datetime
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cms.inspection.models import InspectionRequest, InspectionRun
from cms.inspection.run_requests import STALE_AFTER, State, queue, take
from tests.factories import log_in, make_column

from .support import DAY, only_column_checks, published_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


@pytest.fixture
def findings_portal(home, township_a, monkeypatch):
    only_column_checks(monkeypatch)
    published_on(make_column(home, "石羊动态", township_a, slug="sydt"), DAY, title="春耕动员会")


@pytest.fixture
def no_inspection(monkeypatch):
    """Fails the test if anything inspects: the web request must only queue."""

    def inspected(*args, **kwargs):
        pytest.fail("record_run called inside the web request")

    monkeypatch.setattr("cms.inspection.run_requests.record_run", inspected)


def click(client):
    """The redirect and the messages shown after it (read, so the next click shows only its own)."""
    response = client.post(reverse("inspection_run_now"), follow=True)
    return response, [str(message) for message in response.context["messages"]]


def runs_page(client):
    return client.get(reverse("inspection_runs")).content.decode()


def test_run_now_queues_and_redirects_without_inspecting(client, inspector, no_inspection):
    log_in(client, inspector)
    response, shown = click(client)
    assert response.redirect_chain == [(reverse("inspection_runs"), 302)]
    assert shown == ["已提交检查请求，将在一分钟内开始检查全站，需要几分钟到十几分钟。请稍后刷新本页查看进度和结果。"]
    queued = InspectionRequest.objects.get()
    assert (queued.state, queued.requested_by, queued.run) == (State.QUEUED, inspector, None)
    assert not InspectionRun.objects.exists()
    page = runs_page(client)
    when = timezone.localtime(queued.requested_at).strftime("%Y-%m-%d %H:%M")
    assert f"检查请求排队中：{inspector.get_username()} 于 {when} 提出，将在一分钟内开始。" in page


def test_a_second_click_while_queued_or_running_queues_nothing(client, inspector, office_head, no_inspection):
    log_in(client, inspector)
    click(client)
    log_in(client, office_head)
    response, shown = click(client)
    assert response.redirect_chain == [(reverse("inspection_runs"), 302)]
    assert len(shown) == 1 and shown[0].startswith("已有一次检查（") and "排队中，无需重复提交" in shown[0]
    assert inspector.get_username() in shown[0]
    take()
    _response, shown = click(client)
    assert "检查中，无需重复提交" in shown[0]
    assert InspectionRequest.objects.count() == 1
    assert "正在检查全站：" in runs_page(client)


def test_the_database_allows_one_pending_request(inspector):
    InspectionRequest.objects.create(requested_by=inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionRequest.objects.create(requested_by=inspector, state=State.RUNNING)
    for state in (State.DONE, State.FAILED):
        InspectionRequest.objects.create(requested_by=inspector, state=state)
    assert InspectionRequest.objects.filter(state__in=(State.QUEUED, State.RUNNING)).count() == 1


def test_the_command_runs_the_request_links_the_run_and_marks_it_done(client, inspector, findings_portal):
    log_in(client, inspector)
    click(client)
    out = call_command_output("run_requested_inspections")
    done = InspectionRequest.objects.get()
    run = InspectionRun.objects.get()
    assert (done.state, done.run, done.error) == (State.DONE, run, "")
    assert done.started_at <= done.finished_at
    assert (run.as_of, run.created_by) == (timezone.localdate(), inspector)
    assert run.findings and f"编号 {run.pk}" in out
    page = runs_page(client)
    assert "提出的检查已于" in page and reverse("inspection_run", args=[run.pk]) in page
    assert call_command_output("run_requested_inspections") == ""


def test_the_run_is_of_the_day_of_the_click(inspector, findings_portal):
    clicked = timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 59))
    InspectionRequest.objects.create(requested_by=inspector, requested_at=clicked)
    call_command_output("run_requested_inspections")
    assert InspectionRun.objects.get().quarter == "2026Q1"


def test_a_failing_inspection_is_marked_failed_logged_and_can_be_asked_again(client, inspector, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr("cms.inspection.run_requests.record_run", broken)
    log_in(client, inspector)
    click(client)
    with caplog.at_level(logging.ERROR, logger="cms.inspection.run_requests"):
        with pytest.raises(CommandError, match="1 个检查请求失败"):
            call_command_output("run_requested_inspections")
    failed = InspectionRequest.objects.get()
    assert (failed.state, failed.error, failed.run) == (State.FAILED, "RuntimeError: 数据库连接中断", None)
    assert failed.finished_at is not None
    assert any(record.exc_info and "数据库连接中断" in str(record.exc_info[1]) for record in caplog.records)
    page = runs_page(client)
    assert "提出的检查失败，未保存检查记录" in page and "RuntimeError: 数据库连接中断" in page
    _response, shown = click(client)
    assert shown[0].startswith("已提交检查请求")
    assert InspectionRequest.objects.filter(state=State.QUEUED).count() == 1


def test_a_request_is_taken_once(inspector):
    asked, created = queue(inspector)
    assert created
    first = take()
    assert (first.pk, first.state) == (asked.pk, State.RUNNING) and first.started_at is not None
    assert take() is None
    assert InspectionRequest.objects.get().state == State.RUNNING


def test_a_taker_that_read_the_request_before_another_took_it_does_not_run_it(inspector, monkeypatch):
    # Without row locks (SQLite) two takers can both read the request as queued; only one UPDATE matches.
    queue(inspector)
    read_while_queued = InspectionRequest.objects.get()
    assert take() is not None
    real_first = QuerySet.first
    reads = []

    def first(queryset):
        if queryset.model is InspectionRequest and not reads:
            reads.append(queryset)
            return read_while_queued
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first)
    assert take() is None and reads


def test_a_request_running_too_long_shows_as_failed_and_can_be_asked_again(client, inspector, no_inspection):
    started = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    stuck = InspectionRequest.objects.create(requested_by=inspector, state=State.RUNNING, started_at=started)
    log_in(client, inspector)
    assert "超过 2 小时仍未结束，视为失败" in runs_page(client)
    _response, shown = click(client)
    assert shown[0].startswith("已提交检查请求")
    stuck.refresh_from_db()
    assert stuck.state == State.FAILED and "超过 2 小时仍未结束" in stuck.error
    assert InspectionRequest.objects.filter(state=State.QUEUED).count() == 1


def test_the_command_expires_a_stale_request_and_leaves_a_recent_one(inspector):
    now = timezone.now()
    stuck = InspectionRequest.objects.create(
        requested_by=inspector, state=State.RUNNING, started_at=now - STALE_AFTER - datetime.timedelta(seconds=1)
    )
    out = call_command_output("run_requested_inspections")
    stuck.refresh_from_db()
    assert stuck.state == State.FAILED and "1 个检查请求超时未结束" in out
    recent = InspectionRequest.objects.create(
        requested_by=inspector, state=State.RUNNING, started_at=now - STALE_AFTER + datetime.timedelta(minutes=5)
    )
    call_command_output("run_requested_inspections")
    recent.refresh_from_db()
    assert recent.state == State.RUNNING


def call_command_output(name):
    out = StringIO()
    call_command(name, stdout=out, stderr=StringIO())
    return out.getvalue()
