"""Surviving the failure of a service (issue: hardening §9), against real servers: a Redis started here on
its own port and killed (or frozen) mid-test, PostgreSQL on a closed port, and a PostgreSQL connection cut
under a worker. The caches are the ones the production settings build (read from cms.settings.production in
a subprocess), so the test follows whatever production configures.

redis-server comes from the apt package ``redis-server``. Without it these tests skip, except under CI=true
where they fail, so that CI cannot pass without them.
"""

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
import redis
from django.core.files.images import ImageFile
from django.test import Client
from wagtail.images import get_image_model

from disclosure import calendar
from disclosure.models import CalendarDay
from disclosure.requests.models import RateLimitWindow
from site_pages.demo.emblem import emblem_png
from site_pages.models import PortalSettings
from tests.factories import UserFactory, log_in
from tests.redis_server import RedisServer, free_port
from tests.test_settings import GOOD_ENV, run_manage

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_REDIS = "redis://127.0.0.1:1/0"
STATUS_URL = "/yxsqgk/status/"


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt package redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path, binary)
    server.start()
    yield server
    if server.process.poll() is None:
        server.thaw()
        server.kill()


@pytest.fixture(scope="module")
def production_caches():
    """CACHES exactly as cms.settings.production builds them from REDIS_URL."""
    env = {**os.environ, **GOOD_ENV, "REDIS_URL": PLACEHOLDER_REDIS}
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", "import json, cms.settings.production as p; print(json.dumps(p.CACHES))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def on_redis(settings, production_caches, redis_server):
    caches = json.loads(json.dumps(production_caches).replace(PLACEHOLDER_REDIS, redis_server.url))
    settings.CACHES = caches
    return redis_server


@pytest.fixture
def portal(home):
    """The home page with the emblem in its header: Wagtail reads both the site root and renditions via the cache."""
    image = get_image_model().objects.create(
        title="县徽", file=ImageFile(BytesIO(emblem_png(64)), name="emblem-outage.png")
    )
    portal_settings = PortalSettings.for_site(home.get_site())
    portal_settings.emblem = image
    portal_settings.save()
    return home


@pytest.fixture
def fresh_outage_log():
    """Forget earlier outage lines, so that this test sees the first line of its own outage."""
    for log_filter in logging.getLogger("cms.outages.cache").filters:
        log_filter.reset()


def outage_lines(caplog):
    return [r for r in caplog.records if r.name in ("cms.outages.cache", "django_redis.cache")]


@pytest.mark.django_db
def test_pages_and_dashboard_are_served_while_redis_is_down(on_redis, portal, fresh_outage_log, caplog):
    public = Client(raise_request_exception=False)
    admin = Client(raise_request_exception=False)
    log_in(admin, UserFactory(username="outage_admin", is_superuser=True))
    assert public.get("/").status_code == 200
    assert admin.get("/admin/").status_code == 200

    on_redis.kill()
    started = time.monotonic()
    for _ in range(3):
        page = public.get("/")
        assert page.status_code == 200
        assert 'class="emblem"' in page.content.decode()
        assert admin.get("/admin/").status_code == 200
    assert time.monotonic() - started < 10
    lines = outage_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].exc_info is None and "Connection" in lines[0].getMessage()


@pytest.mark.django_db
def test_a_hung_redis_costs_a_timeout_not_the_site(on_redis, portal):
    client = Client(raise_request_exception=False)
    assert client.get("/").status_code == 200
    on_redis.freeze()
    # Should the request wait for Redis, this thaws it after 15 s so that the test ends (and fails).
    rescue = threading.Timer(15, on_redis.thaw)
    rescue.start()
    started = time.monotonic()
    try:
        response = client.get("/")
    finally:
        rescue.cancel()
    assert time.monotonic() - started < 10, "the request waited for the frozen Redis"
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_rate_limit_holds_in_the_database_while_redis_is_down(on_redis, settings):
    settings.DISCLOSURE_REQUEST_RATE_LIMITS = {"status": (3, 3600)}
    client = Client(raise_request_exception=False)
    lookup = {"receipt_number": "YSQ2026-00001", "secret": "x"}
    assert client.post(STATUS_URL, lookup).status_code == 400
    on_redis.kill()
    # The window counted in Redis is lost with it; the database counts from zero and still stops the fourth.
    statuses = [client.post(STATUS_URL, lookup).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert RateLimitWindow.objects.get().count == 3


@pytest.mark.django_db
def test_the_working_calendar_reads_the_database_while_redis_is_down(
    on_redis, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    day = date(2031, 3, 4)  # a Tuesday no package covers
    calendar.invalidate()
    assert calendar.is_working_day(day)
    on_redis.kill()
    with django_capture_on_commit_callbacks(execute=True):
        entry = CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert not calendar.is_working_day(day)
    # Another process's change (no signal here): seen at the next check, from the database.
    CalendarDay.objects.filter(pk=entry.pk).update(kind=CalendarDay.Kind.WORKDAY)
    assert calendar.is_working_day(day)
    # Redis back (empty): the stamp the outage could not write is written at the next check.
    on_redis.start()
    assert calendar.is_working_day(day)
    assert redis.Redis(port=on_redis.port).get(":1:" + calendar.GENERATION_CACHE_KEY) is not None


# --- The database ---------------------------------------------------------------------------------------

DATABASE_DOWN_PROBE = """
import json
from django.test import Client
from django.test.utils import override_settings

# The manifest of collectstatic is not built for tests; everything else is the production stack.
with override_settings(STORAGES={**__import__("django.conf").conf.settings.STORAGES,
                                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    client = Client(raise_request_exception=False, HTTP_HOST="www.anyue.gov.cn", HTTP_X_FORWARDED_PROTO="https")
    client.cookies["sessionid"] = "a" * 32  # a signed-in editor: the session is read from the database
    result = []
    for path in ["/", "/", "/", "/yxsqgk/", "/admin/"]:
        response = client.get(path)
        result.append({"status": response.status_code, "retry": response.get("Retry-After"),
                       "busy": "系统繁忙" in response.content.decode()})
print("PROBE" + json.dumps(result))
"""


def test_a_database_outage_answers_503_and_logs_one_line():
    closed = free_port()
    result = run_manage(
        "shell",
        "-c",
        DATABASE_DOWN_PROBE,
        env_overrides={"DATABASE_URL": f"postgres://cms:secret@127.0.0.1:{closed}/cms"},
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    responses = json.loads(line.removeprefix("PROBE"))
    assert responses == [{"status": 503, "retry": "30", "busy": True}] * 5
    assert "Traceback" not in result.stderr
    logged = [line for line in result.stderr.splitlines() if "OperationalError" in line]
    assert len(logged) == 1, result.stderr


CONNECTION_CUT_PROBE = """
import json
from django.core.signals import request_finished, request_started
from django.db import connection, connections

def query():
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    request_finished.send(sender=None)
    return pid

first = query()
other = connections.create_connection("default")
with other.cursor() as cursor:
    cursor.execute("SELECT pg_terminate_backend(%s)", [first])
other.close()
try:
    second = query()
except Exception as exc:
    second = type(exc).__name__
print("PROBE" + json.dumps({"first": first, "second": second}))
"""


def test_a_worker_reconnects_after_the_database_cut_its_connection():
    """A database restart closes every connection; the next request must not fail on the dead one."""
    configured = os.environ.get("DATABASE_URL", "")
    url = configured if configured.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    result = run_manage("shell", "-c", CONNECTION_CUT_PROBE, env_overrides={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    pids = json.loads(line.removeprefix("PROBE"))
    assert isinstance(pids["second"], int) and pids["second"] != pids["first"], pids


def test_a_pause_leaves_the_service_alone_for_its_seconds_then_ends():
    from cms.outages import Pause

    pause = Pause(0.2)
    assert not pause.active()
    pause.start()
    assert pause.active()
    time.sleep(0.25)
    assert not pause.active()
    pause.start()
    pause.end()
    assert not pause.active()
