"""PostgreSQL restarted and Redis stopped under load (issue 17 §4): errors, tracebacks, recovery, lost writes.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_faults.py [--phase-seconds 10]

Starts its OWN PostgreSQL 15 (initdb into a temporary directory, pg_ctl on a free port; the machine's shared
server is never touched) and its own redis-server, migrates and seeds the demo, and serves it with gunicorn
(2 workers, the options of deploy/systemd/cms-gunicorn.service) under faults_settings.py: the production settings,
page cache on (PAGE_CACHE_ENABLED=1), with the letter form's captcha and rate limits off. Under load (4 threads
reading the home page and a column, 2 threads writing letters through the public letter form; a letter is
acknowledged when the server redirects to its receipt) the script restarts PostgreSQL (pg_ctl restart -m fast),
later kills Redis and starts it again on the same port, saying each on stdout with the time. Then it prints for
both faults the errors by status, tracebacks (a 5xx without the 系统繁忙 page), the recovery time, the pages served
while Redis was down, and the lost writes (acknowledged letters missing from the database; must be 0).
Exit status 1 when a write was lost, a traceback was served or the site did not recover.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

import psycopg  # noqa: E402
import requests  # noqa: E402

from tests.benchmarks import http_support as hs  # noqa: E402

# The letter form's one-time token and CSRF token (bench_letters.py reads them alike; importing it sets Django up).
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
READ_PATHS = ("/", "/xwdt/ayyw/")
BOARD = "/hdjl/zxts/write/"
READERS, WRITERS = 4, 2


class OwnPostgres:
    """A PostgreSQL cluster of the benchmark's own, in a temporary directory, run as the postgres user under root."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="bench-faults-pg-"))
        self.data = self.root / "data"
        self.port = hs.free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, program, *args):
        command = [str(PG_BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)  # noqa: S603

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        self._ctl("start")
        return self

    def _ctl(self, action, *args):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-w", "-t", "60", *args,
                  "-o", options, action)  # fmt: skip

    def restart(self):
        self._ctl("restart", "-m", "fast")

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class Load:
    """Readers and letter writers; every response becomes a record (start, end, kind, status, flags)."""

    def __init__(self, server):
        self.server, self.stop = server, threading.Event()
        self.records, self.acknowledged, self.lock = [], [], threading.Lock()

    def record(self, started, kind, response=None, error=None):
        entry = {"start": started, "end": time.monotonic(), "kind": kind}
        if response is None:
            entry.update(status=type(error).__name__, outage_page=False, cache=None)
        else:
            entry.update(
                status=response.status_code,
                outage_page=hs.OUTAGE_PAGE_MARK in response.text,
                cache=response.headers.get(hs.PAGE_CACHE_HEADER),
            )
        with self.lock:
            self.records.append(entry)
        return response

    def get(self, session, kind, path):
        started = time.monotonic()
        try:
            return self.record(started, kind, session.get(self.server.url(path), timeout=30))
        except requests.RequestException as error:
            self.record(started, kind, error=error)
            time.sleep(0.05)
            return None

    def read(self, number):
        session = requests.Session()
        while not self.stop.is_set():
            self.get(session, "page", READ_PATHS[number % len(READ_PATHS)])
            number += 1

    def write(self, number):
        session, sent = requests.Session(), 0
        while not self.stop.is_set():
            form = self.get(session, "form", BOARD)
            if form is None or form.status_code != 200:
                time.sleep(0.05)
                continue
            sent += 1
            token = TOKEN.search(form.text).group(1)
            data = {
                "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
                "token": token,
                "letter_type": "consult",
                "subject": f"故障测试留言 {number}-{sent}",
                "content": f"第{number}号写入线程的第{sent}封留言：请问本镇道路何时维修？",
                "name": "测试",
                "mobile": f"139{number:04d}{sent:04d}",
                "consent_to_publish": "on",
            }
            started = time.monotonic()
            try:
                url = self.server.url(BOARD)
                response = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=30)
            except requests.RequestException as error:
                self.record(started, "letter", error=error)
                continue
            self.record(started, "letter", response)
            if response.status_code == 302 and "done=" in response.headers.get("Location", ""):
                with self.lock:
                    self.acknowledged.append(token)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.read, args=(n,), daemon=True) for n in range(READERS)]
        self.threads += [threading.Thread(target=self.write, args=(n,), daemon=True) for n in range(WRITERS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def ok(record):
    return record["status"] == 200 or (record["kind"] == "letter" and record["status"] == 302)


def needs_database(record):
    """A response the database had to answer: a letter or its form, or a page the page cache did not serve."""
    return record["kind"] != "page" or record["cache"] != "hit"


def traceback(record):
    return isinstance(record["status"], int) and record["status"] >= 500 and not record["outage_page"]


def describe(records):
    counts = Counter(str(r["status"]) for r in records if not ok(r))
    return "、".join(f"{status} × {n}" for status, n in sorted(counts.items())) or "无"


def report_postgres(records, begin, back, end):
    window = [r for r in records if begin <= r["start"] < end]
    after = [r for r in records if r["start"] >= back and needs_database(r)]
    first = min((r["end"] for r in after if ok(r)), default=None)
    failing_after = [r for r in records if r["start"] >= back + 5 and not ok(r)]
    outage = [r for r in window if not ok(r)]
    print(f"PostgreSQL 重启（pg_ctl restart -m fast 用时 {back - begin:.2f} 秒）")
    print(f"  此阶段请求 {len(window)} 个，失败 {len(outage)} 个：{describe(window)}")
    print(f"  其中 503 系统繁忙页：{sum(1 for r in outage if r['status'] == 503 and r['outage_page'])}")
    if first is None:
        print("  未恢复：数据库恢复后没有任何需要数据库的请求成功")
    else:
        print(f"  恢复时间：数据库恢复接受连接后 {first - back:.2f} 秒，第一个需要数据库的请求成功")
    if outage:
        print(f"  最后一个失败的请求结束于重启开始后 {max(r['end'] for r in outage) - begin:.2f} 秒")
    print(f"  数据库恢复 5 秒后仍失败的请求：{len(failing_after)}（{describe(failing_after)}）")
    return first is not None and not failing_after


def timing(records):
    durations = [1000 * (r["end"] - r["start"]) for r in records if r["kind"] == "page"] or [0]
    return f"中位数 {statistics.median(durations):.0f} ms，最大 {max(durations):.0f} ms"


def report_redis(records, before, down, up, cache_state):
    window = [r for r in records if down <= r["start"] < up]
    pages = [r for r in window if r["kind"] == "page"]
    caches = Counter(r["cache"] or "无头" for r in pages)
    hits_after = [r["end"] for r in records if r["start"] >= up and r["cache"] == "hit"]
    print(f"Redis 停止 {up - down:.1f} 秒后重新启动")
    print(f"  停止期间请求 {len(window)} 个，失败：{describe(window)}")
    print(f"  停止期间的页面请求 {len(pages)} 个，X-Page-Cache：{dict(caches)}，耗时 {timing(pages)}")
    after = [r for r in records if r["start"] >= up]
    print(f"  对照：故障前未经缓存的页面 {timing([r for r in before if r['cache'] != 'hit'])}；")
    print(f"        故障前全部页面 {timing(before)}；Redis 恢复后全部页面 {timing(after)}")
    # The page cache leaves its header out when it cannot reach Redis at all.
    hits = caches.get("hit", 0)
    print(f"  停止期间未经缓存提供的页面（非 hit）：{len(pages) - hits}，缓存命中：{hits}")
    if cache_state is None:
        print("  page cache not present（无 X-Page-Cache 头）")
    elif hits_after:
        print(f"  Redis 重启后 {min(hits_after) - up:.2f} 秒出现第一个缓存命中（缓存恢复）")
    else:
        print("  Redis 重启后没有缓存命中")
    return not [r for r in window if not ok(r)]


def lost_writes(database_url, acknowledged):
    with psycopg.connect(database_url) as connection:
        stored = {
            row[0]
            for row in connection.execute(
                "SELECT submission_token FROM site_pages_message WHERE submission_token = ANY(%s)", (acknowledged,)
            )
        }
        total = connection.execute("SELECT count(*) FROM site_pages_message WHERE subject LIKE '故障测试留言%%'")
        return [token for token in acknowledged if token not in stored], total.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase-seconds", type=float, default=10, help="load before, between and after the faults")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-faults-")
    postgres, redis_server, server = OwnPostgres(), hs.RedisServer(workdir), None
    try:
        postgres.start()
        redis_server.start()
        hs.say(f"自己的 PostgreSQL（端口 {postgres.port}）与 Redis（端口 {redis_server.port}）已启动")
        database_url = hs.create_database(postgres.url, "faults")
        env = hs.portal_env(database_url, workdir, redis_server.url, settings="tests.benchmarks.faults_settings")
        hs.seed_portal(database_url, env)
        server = hs.Gunicorn("门户", "cms.wsgi", env, workdir)
        hs.say(f"gunicorn 已启动（{server.start():.2f} 秒到第一个 200），开始负载（{hs.machine_load()}）")
        cache_state = hs.page_cache_state(server.url("/"))
        phase = args.phase_seconds
        with Load(server) as load:
            time.sleep(phase)
            hs.say("重启 PostgreSQL（pg_ctl restart -m fast）")
            begin = time.monotonic()
            postgres.restart()
            back = time.monotonic()
            hs.say(f"PostgreSQL 已重新接受连接（{back - begin:.2f} 秒）")
            time.sleep(phase)
            hs.say("停止 Redis（kill）")
            down = time.monotonic()
            redis_server.kill()
            time.sleep(phase)
            redis_server.start()
            up = time.monotonic()
            hs.say("Redis 已在同一端口重新启动")
            time.sleep(phase)
        hs.say("负载结束")
        records = load.records
        lost, stored = lost_writes(database_url, load.acknowledged)
    finally:
        if server is not None:
            server.stop()
        redis_server.kill()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    state = cache_state or "page cache not present（无 X-Page-Cache 头）"
    print(f"故障测试：gunicorn 2 个进程，读 {READERS} 线程、写留言 {WRITERS} 线程")
    print(f"  首页第二次请求的 X-Page-Cache：{state}")
    print(f"  请求共 {len(records)} 个，失败：{describe(records)}")
    tracebacks = [r for r in records if traceback(r)]
    print(f"  5xx 而非系统繁忙页（traceback）：{len(tracebacks)}")
    recovered = report_postgres(records, begin, back, down)
    redis_ok = report_redis(records, [r for r in records if r["end"] < begin], down, up, cache_state)
    print(f"写入：服务器确认的留言 {len(load.acknowledged)} 封，数据库中本次留言 {stored} 封")
    print(f"  确认后丢失：{len(lost)} 封（须为 0）")
    if lost or tracebacks or not recovered or not redis_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
