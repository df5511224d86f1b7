"""Shared pieces of the HTTP benchmarks (bench_http.py, bench_faults.py): throw-away PostgreSQL databases, the demo
portal served by gunicorn with the options of deploy/systemd/cms-gunicorn.service, a private redis-server, and
ab's figures. Nothing here sets Django up: the portal always runs in subprocesses with their own settings.
"""

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import psycopg
import requests

from tests.redis_server import RedisServer, free_port  # noqa: F401 - the benchmarks' servers

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
UNIT = BASE_DIR / "deploy" / "systemd" / "cms-gunicorn.service"
# seed_demo runs under the test settings (production refuses demo data), which keep uploads here.
TEST_MEDIA_ROOT = BASE_DIR / "var" / "test-main" / "media"
STARTUP_SECONDS = 90
PAGE_CACHE_HEADER = "X-Page-Cache"
# The 系统繁忙 page (cms/templates/500.html) that a database outage answers with 503.
OUTAGE_PAGE_MARK = "系统繁忙"


# Appended to a reference site's generated settings: with SITE_CACHE=1 in its environment, Django's per-site cache
# (UpdateCacheMiddleware/FetchFromCacheMiddleware) in local memory, the cheapest cache a reference could have.
SITE_CACHE_SETTINGS = """
if os.environ.get("SITE_CACHE") == "1":
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *MIDDLEWARE,  # noqa: F405
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CACHE_MIDDLEWARE_SECONDS = 600
"""


def say(message):
    """A progress line with the UTC time, flushed at once (the runs take minutes)."""
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def machine_load():
    """Other processes share the cores: the load average says how far the figures can be trusted."""
    one, five, _fifteen = os.getloadavg()
    return f"{os.cpu_count()} 核，负载均值 {one:.1f}/{five:.1f}"


def gunicorn_options(workers):
    """ExecStart's options in the systemd unit, with ``workers`` workers and without the access log."""
    line = next(line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))[2:]
    options, skip = [], False
    for index, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--access-logfile":
            skip = True
        elif index and words[index - 1] == "--workers":
            options.append(str(workers))
        else:
            options.append(word)
    return options


def create_database(server_url, name):
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def drop_database(server_url, name):
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, env, cwd=BASE_DIR, what=""):
    """A setup command; its output is shown only when it fails, and then the benchmark stops."""
    started = time.monotonic()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-5000:])
        raise SystemExit(f"失败：{what or ' '.join(map(str, args))}")
    if what:
        say(f"{what}：{time.monotonic() - started:.0f} 秒")
    return result.stdout


def portal_env(database_url, workdir, redis_url="", page_cache=True, settings="cms.settings.production"):
    """The environment production settings need (docs/deployment.md), on 127.0.0.1 over plain HTTP."""
    # PYTHONDONTWRITEBYTECODE (set in some shells) would make every start compile the portal's modules again: a
    # server runs from the bytecode `pip install .` wrote, and the reference site's environment never carries it.
    dropped = ("REDIS_URL", "DATABASE_REPLICA_URL", "PYTEST_XDIST_WORKER", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(Path(workdir) / "static"),
        MEDIA_ROOT=str(TEST_MEDIA_ROOT),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        PAGE_CACHE_ENABLED="1" if page_cache else "0",
    )
    return env


def seed_portal(database_url, production_env):
    """Migrations, the demo (as `make seed` does) and the collected static files of a fresh database."""
    # The demo's uploads go where the servers' MEDIA_ROOT is (portal_env).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "TEST_FILES_ROOT": str(TEST_MEDIA_ROOT.parent),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    TEST_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env, what="门户迁移")
    run([*manage, "seed_demo"], env, what="seed_demo")
    run([*manage, "seed_review_demo"], env, what="seed_review_demo")
    run([*manage, "collectstatic", "--noinput", "-v0"], production_env, what="门户 collectstatic")


def cpu_seconds(pid):
    """CPU time (user and system) of ``pid``, its children that ended and those still running (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(process, with_ended_children):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        # utime, stime, then cutime, cstime (children waited for, such as workers --max-requests replaced).
        return sum(int(value) for value in fields[11 : 15 if with_ended_children else 13])

    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = own(pid, True)
        for child in children:
            try:
                total += own(child, False)
            except FileNotFoundError:  # ended meanwhile: counted in the parent once waited for
                pass
    except FileNotFoundError:
        return 0.0
    return total / ticks


class Gunicorn:
    """gunicorn on a free port of 127.0.0.1; ``start`` returns the seconds from launch to the first 200."""

    def __init__(self, name, app, env, workdir, cwd=BASE_DIR, workers=2, companions=(), gunicorn=None, options=None):
        self.name, self.app, self.env, self.cwd, self.workers = name, app, env, cwd, workers
        # The deployed unit's options by default; another project runs with the options it is compared under.
        self.options = options
        # Another project's own gunicorn (its virtualenv) for a reference site; this virtualenv's by default.
        self.gunicorn = gunicorn or BIN / "gunicorn"
        # Servers it alone depends on (its Redis): their CPU is part of what its requests cost.
        self.companions = companions
        self.port = free_port()
        self.log = Path(workdir) / f"gunicorn-{name}.log"
        self.process = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, probe="/"):
        options = self.options if self.options is not None else gunicorn_options(self.workers)
        command = [str(self.gunicorn), self.app, *options, "--bind", f"127.0.0.1:{self.port}"]
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.cwd, env=self.env, stdout=log, stderr=log)  # noqa: S603
        while time.monotonic() - started < STARTUP_SECONDS:
            try:
                if requests.get(self.url(probe), timeout=STARTUP_SECONDS, allow_redirects=False).status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        sys.stderr.write(self.log.read_text(errors="replace")[-5000:])
        raise SystemExit(f"gunicorn（{self.name}）未能在 {STARTUP_SECONDS} 秒内返回 200")

    def cpu_seconds(self):
        """CPU time of gunicorn (master and workers) and of its companions so far."""
        pids = [self.process.pid, *(companion.process.pid for companion in self.companions)]
        return sum(cpu_seconds(pid) for pid in pids)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def page_cache_state(url):
    """'hit'/'miss' after two GETs of ``url``, or None when the portal sends no X-Page-Cache header."""
    requests.get(url, timeout=30)
    return requests.get(url, timeout=30).headers.get(PAGE_CACHE_HEADER)


def ab(url, seconds, limit, concurrency=10):
    """ab's requests per second and latency percentiles (ms) for ``url``, at most ``seconds`` or ``limit``."""
    # -n after -t: -t alone resets the request count to 50,000.
    result = subprocess.run(  # noqa: S603
        ["ab", "-q", "-c", str(concurrency), "-t", str(seconds), "-n", str(limit), "-s", "30", url],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    text = result.stdout

    def number(pattern, default=0.0):
        found = re.search(pattern, text, re.MULTILINE)
        return float(found.group(1)) if found else default

    percentiles = {int(p): int(ms) for p, ms in re.findall(r"^\s+(\d+)%\s+(\d+)", text, re.MULTILINE)}
    if result.returncode or not percentiles:
        raise SystemExit(f"ab 失败：{url}\n{text[-2000:]}{result.stderr[-2000:]}")
    return {
        "rps": number(r"Requests per second:\s+([\d.]+)"),
        "complete": int(number(r"Complete requests:\s+(\d+)")),
        # ab counts a body of another length as failed; pages with a per-request nonce vary, so only the others.
        "failed": int(number(r"Failed requests:\s+(\d+)") - number(r"Length: (\d+)")),
        "non2xx": int(number(r"Non-2xx responses:\s+(\d+)")),
        "p50": percentiles.get(50),
        "p99": percentiles.get(99),
    }


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


def print_table(header, rows):
    widths = [max(_width(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        cells = (f"{cell}{' ' * (width - _width(cell))}" for cell, width in zip(row, widths, strict=True))
        print("  " + "  ".join(cells).rstrip())
