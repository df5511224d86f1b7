"""The public letter form under load: 2,000 letters from 20 concurrent clients through gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x DJANGO_SETTINGS_MODULE=cms.settings.test \\
        .venv/bin/python tests/benchmarks/bench_letters.py [--letters N] [--clients N] [--limit SECONDS]

A throw-away PostgreSQL database is created (and dropped at the end) with one board; gunicorn serves it on
127.0.0.1 with tests/benchmarks/letters_settings.py, whose LETTERS_LOAD_TEST switches the captcha and the rate
limits off (production settings refuse it). Each client opens the form (for its one-time token and the CSRF
cookie) and posts it; only the POSTs are timed. Prints throughput, p50/p99 latency, and the number of letters
stored, which must equal the number the server acknowledged (exit status 1 otherwise).
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

from tests.benchmarks import bench_db  # noqa: E402

bench_db.setup_django()

import requests  # noqa: E402
from django.db import connection  # noqa: E402

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTUP_SECONDS = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_board():
    from tests.factories import UnitFactory, make_column, make_home
    from tests.site_pages.letters_helpers import make_board

    unit = UnitFactory(name="基准县人民政府办公室", short_name="县政府办", kind="supervisor")
    column = make_column(make_home(), "互动交流", unit, update_class="monthly", slug="hdjl")
    return make_board(column, unit)


def start_gunicorn(database_url, port, workers, probe):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.letters_settings",
    }
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if requests.get(probe, timeout=STARTUP_SECONDS).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn 在 {STARTUP_SECONDS} 秒内未响应")


class Client(threading.Thread):
    def __init__(self, number, url, letters, stop_at, results):
        super().__init__(daemon=True)
        self.number, self.url, self.letters, self.stop_at, self.results = number, url, letters, stop_at, results

    def run(self):
        session = requests.Session()
        for n in range(self.letters):
            if time.monotonic() > self.stop_at:
                self.results["unsent"] += self.letters - n
                return
            try:
                self.send(session, n)
            except requests.RequestException as error:
                self.results["errors"].append(str(error)[:200])

    def send(self, session, n):
        form = session.get(self.url, timeout=30).text
        data = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "token": TOKEN.search(form).group(1),
            "letter_type": "consult",
            "subject": f"基准测试留言 {self.number}-{n}",
            "content": f"第{self.number}号客户端的第{n}封留言：请问本镇道路何时维修？",
            "name": "测试",
            "mobile": f"138{self.number:04d}{n:04d}",
            "consent_to_publish": "on",
        }
        started = time.perf_counter()
        response = session.post(self.url, data=data, headers={"Referer": self.url}, allow_redirects=False, timeout=30)
        elapsed = time.perf_counter() - started
        with self.results["lock"]:
            self.results["latencies"].append(elapsed)
            if response.status_code == 302 and "done=" in response.headers.get("Location", ""):
                self.results["acknowledged"] += 1
            else:
                self.results["errors"].append(f"HTTP {response.status_code}")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--limit", type=float, default=600, help="seconds before the clients stop sending")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("本基准测试需要 PostgreSQL：请设置 DATABASE_URL=postgres://...")

    from site_pages.models import Message

    with bench_db.benchmark_database("bench_letters") as database:
        server = None
        try:
            board = build_board()
            settings = connection.settings_dict
            database_url = (
                f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
                f"{settings['PORT'] or 5432}/{database.name}"
            )
            port = free_port()
            url = f"http://127.0.0.1:{port}{board.url}write/"
            server = start_gunicorn(database_url, port, args.workers, url)
            results = {"lock": threading.Lock(), "latencies": [], "acknowledged": 0, "errors": [], "unsent": 0}
            per_client = [args.letters // args.clients + (n < args.letters % args.clients) for n in range(args.clients)]
            started = time.monotonic()
            clients = [Client(n, url, count, started + args.limit, results) for n, count in enumerate(per_client)]
            for client in clients:
                client.start()
            for client in clients:
                client.join(args.limit + 60)
            wall = time.monotonic() - started
            stored = Message.objects.count()
        finally:
            if server is not None:  # its connections would keep the database from being dropped
                server.terminate()
                server.wait(30)

    latencies = results["latencies"]
    print(f"留言基准测试：{args.clients} 个并发客户端，gunicorn {args.workers} 个进程，PostgreSQL")
    print(
        f"  已发送 {len(latencies)} 封，服务器确认 {results['acknowledged']} 封，未发送（超时）{results['unsent']} 封"
    )
    print(f"  用时 {wall:.1f} 秒，吞吐 {len(latencies) / wall:.1f} 封/秒（含每封前打开表单）")
    if latencies:
        print(
            f"  提交耗时 p50 {1000 * statistics.median(latencies):.0f} ms，"
            f"p99 {1000 * percentile(latencies, 0.99):.0f} ms"
        )
    print(f"  数据库中的留言 {stored} 封")
    if results["errors"]:
        print(f"  错误 {len(results['errors'])} 个，例如：{results['errors'][:3]}")
    if stored != results["acknowledged"]:
        print("  不一致：数据库中的留言数不等于确认数")
        sys.exit(1)


if __name__ == "__main__":
    main()
