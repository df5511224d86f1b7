"""Publish under load (issue 17 §3), run by bench_http.py after its measurements on the portal with the page cache
on: ten threads GET the home page while a separate process (manage.py shell with the server's own production
environment, so that it purges the same cache) gives seed_review_demo's article "石羊镇召开柠檬产业发展推进会" the
remaining approvals of 三审三校 and then, while the load runs, the final one. Every response's start, end and
whether it shows the new title are recorded; the requests that started after the approval returned and still
showed the old page are counted (target 0). Times are CLOCK_MONOTONIC, shared by the two processes.
"""

import statistics
import subprocess
import sys
import threading
import time

import requests

from tests.benchmarks import http_support as hs

SLUG = "review-demo-second"
TITLE = "石羊镇召开柠檬产业发展推进会"
THREADS = 10
LOAD_BEFORE_APPROVAL = 3.0
APPROVER = f"""
import sys, time
from wagtail.models import Page
from cms.organisation.models import Membership
from site_pages.demo.mail import held_mail
from workflows import api

page = Page.objects.get(slug={SLUG!r}).specific
first = api.current_stage(page).task_state
last = first.workflow_state.workflow.workflow_tasks.order_by("sort_order").last().task_id


def approve(stage):
    user = Membership.objects.active().filter(unit=stage.unit, role=stage.role).first().user
    api.approve(page, user, checked=api.checklist_for(page), comment="同意。")


with held_mail():
    while (stage := api.current_stage(page)).task_state.task_id != last:
        approve(stage)
    print("READY", stage.label, flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    approve(stage)
    done = time.monotonic()
page.refresh_from_db()
print("DONE", started, done, page.live, flush=True)
"""


def load(url, stop, results):
    session = requests.Session()
    while not stop.is_set():
        started = time.monotonic()
        try:
            response = session.get(url, timeout=30)
            outcome = (response.status_code, TITLE in response.text, response.headers.get(hs.PAGE_CACHE_HEADER))
        except requests.RequestException as error:
            outcome = (type(error).__name__, False, None)
        results.append((started, time.monotonic(), *outcome))


def line_starting(stream, word):
    """The words of the first line the approver prints that starts with ``word``; None when it ended first."""
    for line in stream:
        if line.startswith(word):
            return line.split()
    return None


def publish_under_load(server, env, cache_state, seconds_after):
    print("发布时的负载（首页，10 个线程，页面缓存开）")
    if cache_state is None:
        print("  page cache not present（无 X-Page-Cache 头）：测得的是未缓存的首页")
    log_path = server.log.with_name("approver.log")
    with log_path.open("w") as log:
        approver = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", APPROVER],
            cwd=hs.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def failed(message):
        approver.wait(60)
        sys.stderr.write(log_path.read_text(errors="replace")[-5000:])
        raise SystemExit(message)

    ready = line_starting(approver.stdout, "READY")
    if ready is None:
        failed("审核进程未能完成前几道审核")
    url = server.url("/")
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=load, args=(url, stop, results), daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_BEFORE_APPROVAL)
    hs.say(f"最后一道审核（{ready[1]}）开始")
    approver.stdin.write("GO\n")
    approver.stdin.flush()
    done_line = line_starting(approver.stdout, "DONE")
    if done_line is None:
        stop.set()
        failed("最后一道审核失败")
    approver.wait(60)
    approval_started, approval_done, live = float(done_line[1]), float(done_line[2]), done_line[3] == "True"
    hs.say(f"最后一道审核返回（用时 {1000 * (approval_done - approval_started):.0f} ms），页面已发布：{live}")
    time.sleep(seconds_after)
    stop.set()
    for thread in threads:
        thread.join(60)

    after = [r for r in results if r[0] > approval_done]
    stale_after = [r for r in after if not r[3]]
    before = [r for r in results if r[1] < approval_started]
    first_new = min((r[1] for r in results if r[3]), default=None)
    errors = [r for r in results if r[2] != 200]
    durations = [1000 * (r[1] - r[0]) for r in results]
    print(f"  请求 {len(results)} 个（审核前结束 {len(before)}，审核返回后开始 {len(after)}），非 200：{len(errors)}")
    print(f"  响应耗时中位数 {statistics.median(durations):.1f} ms，最大 {max(durations):.0f} ms")
    if first_new is None:
        print(f"  没有任何响应出现新标题“{TITLE}”：首页未列出该文章，本项无法衡量")
    else:
        print(f"  第一个出现新标题的响应：审核返回后 {1000 * (first_new - approval_done):+.0f} ms 结束")
    print(f"  审核返回后才开始、仍显示旧页面的请求：{len(stale_after)}（目标 0）")
    hits = sum(1 for r in after if r[4] == "hit")
    print(f"  审核返回后开始的请求中缓存命中（X-Page-Cache: hit）：{hits}/{len(after)}")
