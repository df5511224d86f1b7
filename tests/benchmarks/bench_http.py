"""The portal over HTTP against a bare Wagtail site in one run (issue 17 §1 targets, §3), and publishing under load.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_http.py \\
        [--seconds 5] [--rounds 2] [--skip-publish]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; BENCH_POSTGRES_URL to change), ab (apache2-utils) and
redis-server (`make system-deps`). Two throw-away databases are created and dropped: the portal with the demo
(seed_demo, seed_review_demo) and a bare project made by `wagtail start` with this virtualenv's Wagtail and
Django, which stands in for the issue's bakerydemo. Everything runs under gunicorn with 2 workers and the options
of deploy/systemd/cms-gunicorn.service, on 127.0.0.1; the portal with its production settings on its own
redis-server, once with PAGE_CACHE_ENABLED=1 and once with 0; the reference once plain and once with Django's
per-site cache (UpdateCacheMiddleware/FetchFromCacheMiddleware, local memory). Rounds alternate between the four
servers (ab -c 10 for at most --seconds per URL). Prints requests per second, p50/p99, the in-process median
times, cold starts, the ratios the issue names, then the publish-under-load figures (publish_under_load.py).
Nothing is asserted: the figures are printed.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import http_support as hs  # noqa: E402
from tests.benchmarks.bakerydemo_reference import COLUMN, HOME, Bakerydemo, versions  # noqa: E402
from tests.benchmarks.publish_under_load import publish_under_load  # noqa: E402

PORTAL_PATHS = {
    "首页": "/",
    "栏目": "/xwdt/ayyw/",
    "文章": "/xwdt/ayyw/county-government-executive-meeting-62/",
    "信息公开目录": "/zfxxgk/",
    "搜索": "/search/?q=" + urllib.parse.quote("安岳"),
}
IN_PROCESS = ("首页", "栏目", "文章")
REFERENCE_SETTINGS = '''"""Benchmark settings of the bare reference site (written by tests/benchmarks/bench_http.py)."""
import os

import dj_database_url

from .production import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
STATIC_ROOT = os.environ["STATIC_ROOT"]
'''
REFERENCE_SETTINGS += hs.SITE_CACHE_SETTINGS


def build_reference(workdir, database_url):
    """`wagtail start` into workdir/reference, migrated into its own database; returns (directory, env)."""
    directory = Path(workdir) / "reference"
    directory.mkdir()
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    hs.run([str(hs.BIN / "wagtail"), "start", "refsite", str(directory)], clean, what="wagtail start")
    (directory / "refsite" / "settings" / "bench.py").write_text(REFERENCE_SETTINGS)
    env = {
        **hs.portal_env(database_url, directory),
        "DJANGO_SETTINGS_MODULE": "refsite.settings.bench",
        "PYTHONPATH": str(directory),
    }
    hs.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env, cwd=directory, what="参照站迁移")
    hs.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, cwd=directory)
    return directory, env


def in_process(env, paths, requests, cwd):
    command = [sys.executable, str(BASE_DIR / "tests" / "benchmarks" / "http_inprocess.py"), "--pythonpath", str(cwd)]
    return json.loads(hs.run([*command, "--requests", str(requests), *paths], env, cwd=cwd).splitlines()[-1])


def measure(servers, rounds, seconds, limit):
    """Alternating rounds: every (server, URL) once per round; returns {(server, label): [ab figures, ...]}."""
    figures = {}
    for round_number in range(1, rounds + 1):
        hs.say(f"第 {round_number}/{rounds} 轮（{hs.machine_load()}）")
        for server, labels in servers:
            for label in labels:
                path = PORTAL_PATHS.get(label, "/")
                before = server.cpu_seconds()
                result = hs.ab(server.url(path), seconds, limit)
                # CPU per request moves far less than requests per second when other work shares the cores.
                result["cpu_us"] = (server.cpu_seconds() - before) / max(result["complete"], 1) * 1e6
                figures.setdefault((server.name, label), []).append(result)
    return figures


def summary(runs):
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": max(r["p99"] for r in runs),
        "complete": sum(r["complete"] for r in runs),
        "errors": sum(r["failed"] + r["non2xx"] for r in runs),
        "cpu_us": statistics.median(r["cpu_us"] for r in runs),
    }


def report(figures, cache_state, reference_ms, portal_ms, cold):
    print()
    print(f"HTTP（ab -c 10，gunicorn 2 个进程；每格为各轮中位数，p99 取各轮最大值；结束时{hs.machine_load()}）")
    print("参照站：`wagtail start` 生成的空白 Wagtail 站点首页（同一虚拟环境的 Wagtail 与 Django），")
    print("代替议题中的 bakerydemo（其首页只有一个模板，比 bakerydemo 的首页轻得多）；")
    print("参照站的站点缓存为 Django 的 per-site cache（本地内存），门户的页面缓存在 Redis（生产设置）")
    reference_cached = summary(figures[("参照站-站点缓存", "首页")])
    reference_plain = summary(figures[("参照站", "首页")])
    rows = []
    for name, label in figures:
        s = summary(figures[(name, label)])
        ratio = ""
        if name == "门户-页面缓存开":
            ratio = f"{s['rps'] / reference_cached['rps']:.2f}× 参照站站点缓存"
        elif name == "门户-页面缓存关":
            ratio = f"{s['rps'] / reference_plain['rps']:.2f}× 参照站无缓存"
        cpu = f"{s['cpu_us']:.0f}"
        row = (name, label, f"{s['rps']:.0f}", f"{s['p50']:.0f}", f"{s['p99']:.0f}", s["complete"], s["errors"], cpu)
        rows.append((*row, ratio))
    header = ("服务器", "页面", "请求/秒", "p50 ms", "p99 ms", "请求数", "错误", "CPU µs/请求", "比值")
    hs.print_table(header, rows)
    print("  CPU µs/请求：gunicorn 主进程与工作进程（门户还有它自己的 redis-server）每个请求用的 CPU 时间")
    absent = "page cache not present（无 X-Page-Cache 头）"
    state = {"hit": "命中（hit）", "miss": "未命中（miss）"}.get(cache_state, absent)
    print(f"  PAGE_CACHE_ENABLED=1 时首页第二次请求的 X-Page-Cache：{state}")

    print()
    print("目标（议题 17 §1）")
    cached = {label: summary(figures[("门户-页面缓存开", label)]) for label in PORTAL_PATHS}
    rows = []
    for label, s in cached.items():
        ratio = s["rps"] / reference_cached["rps"]
        cpu_ratio = reference_cached["cpu_us"] / s["cpu_us"] if s["cpu_us"] else 0.0
        rows.append(
            (
                label,
                f"{ratio:.2f}×",
                "达到" if ratio >= 1.5 else "未达到",
                f"{cpu_ratio:.2f}×",
                f"{s['p99']:.0f} ms",
                "达到" if s["p99"] < 20 else "未达到",
            )
        )
    header = ("页面（缓存开）", "请求/秒 ÷ 参照站站点缓存", "≥ 1.5×", "参照站 CPU ÷ 门户 CPU", "p99", "< 20 ms")
    hs.print_table(header, rows)
    rows = []
    reference_home = statistics.median(reference_ms)
    for label in IN_PROCESS:
        ms = statistics.median(r[PORTAL_PATHS[label]]["ms"] for r in portal_ms)
        queries = portal_ms[-1][PORTAL_PATHS[label]]["queries"]
        ratio = ms / reference_home
        rows.append((label, f"{ms:.1f} ms", queries, f"{ratio:.2f}×", "达到" if ratio <= 1 / 3 else "未达到"))
    print(f"  进程内（无缓存，测试客户端，中位数）：参照站首页 {reference_home:.1f} ms")
    hs.print_table(("页面", "门户", "SQL 查询", "÷ 参照站首页", "≤ 1/3"), rows)

    print()
    print("冷启动（从启动 gunicorn 到第一个 200，--preload 等选项同 deploy/）")
    for name, seconds in cold.items():
        print(f"  {name}：{seconds:.2f} 秒")


def report_bakerydemo(figures, portal_ms, paths, bakerydemo_ms, both_versions):
    """Issue 17's §1 targets against bakerydemo itself, from the same rounds."""
    print()
    print(f"对照 bakerydemo（{both_versions[0]}；门户 {both_versions[1]}）：gunicorn -w 2，站点缓存为本地内存")
    site_cache = summary(figures[("bakerydemo-站点缓存", "首页")])
    plain = summary(figures[("bakerydemo", "首页")])
    rows = []
    for label in PORTAL_PATHS:
        cached = summary(figures[("门户-页面缓存开", label)])
        rows.append(
            (
                label,
                f"{cached['rps']:.0f} ÷ {site_cache['rps']:.0f} = {cached['rps'] / site_cache['rps']:.2f}×",
                "达到" if cached["rps"] >= 1.5 * site_cache["rps"] else "未达到",
                f"{site_cache['cpu_us'] / cached['cpu_us']:.2f}×" if cached["cpu_us"] else "",
                f"{cached['p99']:.0f} ms",
            )
        )
    header = ("门户页面（缓存开）", "请求/秒 ÷ bakerydemo 首页（站点缓存）", "≥ 1.5×", "CPU 比", "p99")
    hs.print_table(header, rows)
    print(f"  bakerydemo 首页无缓存：{plain['rps']:.0f} 请求/秒，p99 {plain['p99']:.0f} ms")
    rows = []
    for label, path in zip(IN_PROCESS, paths, strict=True):
        ours = statistics.median(r[PORTAL_PATHS[label]]["ms"] for r in portal_ms)
        theirs = statistics.median(r[path]["ms"] for r in bakerydemo_ms)
        queries = (portal_ms[-1][PORTAL_PATHS[label]]["queries"], bakerydemo_ms[-1][path]["queries"])
        rows.append(
            (
                label,
                f"{ours:.1f} ms（{queries[0]} 条 SQL）",
                f"{path}：{theirs:.1f} ms（{queries[1]} 条 SQL）",
                f"{ours / theirs:.2f}×",
                "达到" if ours <= theirs / 3 else "未达到",
            )
        )
    print("  进程内（门户无页面缓存，列表缓存照部署开着；测试客户端，各轮中位数）")
    hs.print_table(("页面", "门户", "bakerydemo", "比值", "≤ 1/3"), rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="ab's time limit per URL and round")
    parser.add_argument("--limit", type=int, default=20000, help="ab's request limit per URL and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--in-process-requests", type=int, default=30)
    parser.add_argument("--publish-seconds", type=float, default=8, help="load after the final approval")
    parser.add_argument("--skip-publish", action="store_true")
    parser.add_argument(
        "--bakerydemo",
        metavar="DIR",
        help="also measure Wagtail's bakerydemo, checked out in DIR with its virtualenv in DIR/.venv and its demo "
        "loaded (tests/benchmarks/bakerydemo_reference.py)",
    )
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    names = {"portal": f"bench_http_portal_{os.getpid()}", "reference": f"bench_http_reference_{os.getpid()}"}
    workdir = tempfile.mkdtemp(prefix="bench-http-")
    redis_server = hs.RedisServer(workdir).start()
    servers = []
    try:
        portal_url = hs.create_database(server_url, names["portal"])
        reference_url = hs.create_database(server_url, names["reference"])
        cached_env = hs.portal_env(portal_url, workdir, redis_server.url, page_cache=True)
        uncached_env = {**cached_env, "PAGE_CACHE_ENABLED": "0"}
        hs.say("门户：迁移、演示数据、静态文件（约两分钟）")
        hs.seed_portal(portal_url, cached_env)
        reference_dir, reference_env = build_reference(workdir, reference_url)

        bakerydemo = Bakerydemo(args.bakerydemo, workdir) if args.bakerydemo else None
        site_cache_env = {**reference_env, "SITE_CACHE": "1"}
        cold = {}
        # Only the server under load uses the portal's Redis while it is measured: its CPU is that server's.
        own_redis = {"companions": [redis_server]}
        plans = [
            (hs.Gunicorn("门户-页面缓存开", "cms.wsgi", cached_env, workdir, **own_redis), list(PORTAL_PATHS)),
            (hs.Gunicorn("门户-页面缓存关", "cms.wsgi", uncached_env, workdir, **own_redis), list(PORTAL_PATHS)),
            (hs.Gunicorn("参照站", "refsite.wsgi", reference_env, workdir, cwd=reference_dir), ["首页"]),
            (hs.Gunicorn("参照站-站点缓存", "refsite.wsgi", site_cache_env, workdir, reference_dir), ["首页"]),
        ]
        bakerydemo_servers = bakerydemo.servers() if bakerydemo else ()
        plans += [(server, ["首页"]) for server in bakerydemo_servers]
        for server, _labels in plans:
            cold[server.name] = server.start()
            servers.append(server)
            hs.say(f"{server.name} 已启动：{cold[server.name]:.2f} 秒到第一个 200")
        cached_server = servers[0]
        for path in PORTAL_PATHS.values():
            for server in servers[:2]:
                hs.page_cache_state(server.url(path))
        cache_state = hs.page_cache_state(cached_server.url("/"))

        figures = measure(plans, args.rounds, args.seconds, args.limit)

        hs.say("进程内计时（交替：门户、参照站" + ("、bakerydemo）" if bakerydemo else "）"))
        portal_ms, reference_ms, bakerydemo_ms = [], [], []
        bakerydemo_paths = [HOME, COLUMN, bakerydemo.article(bakerydemo_servers[0])] if bakerydemo else []
        for _round in range(args.rounds):
            paths = [PORTAL_PATHS[label] for label in IN_PROCESS]
            portal_ms.append(in_process(uncached_env, paths, args.in_process_requests, BASE_DIR))
            reference_ms.append(in_process(reference_env, ["/"], args.in_process_requests, reference_dir)["/"]["ms"])
            if bakerydemo:
                bakerydemo_ms.append(bakerydemo.in_process(bakerydemo_paths, args.in_process_requests))

        report(figures, cache_state, reference_ms, portal_ms, cold)
        if bakerydemo:
            report_bakerydemo(figures, portal_ms, bakerydemo_paths, bakerydemo_ms, versions(args.bakerydemo))
        if not args.skip_publish:
            print()
            publish_under_load(cached_server, cached_env, cache_state, args.publish_seconds)
    finally:
        for server in servers:
            server.stop()
        redis_server.kill()
        for name in names.values():
            hs.drop_database(server_url, name)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as error:
        raise SystemExit(f"超时：{error.cmd}") from None
