"""Cold start (issue 17): seconds from launching gunicorn to the first 200 of "/", the portal against a reference site.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python tests/benchmarks/bench_coldstart.py [--rounds 5] \\
        [--database-url postgres://postgres@127.0.0.1:5432/NAME] [--baseline /path/to/another/checkout ...] \\
        [--reference /path/to/bakerydemo --reference-app bakerydemo.wsgi:application \\
         --reference-settings bakerydemo.settings.dev [--reference-database-url postgres://...]]

Every server runs with 2 workers and the options of deploy/systemd/cms-gunicorn.service (--preload among them): the
portal of this checkout with its production settings; with --baseline (repeatable) the portal of another checkout (a
git worktree of an older commit) on the same database, to measure a change; with --reference a project with its own
virtualenv (DIR/.venv) and settings, as it is shipped (bakerydemo: SQLite), and with --reference-database-url also
on a PostgreSQL database it was loaded into, the portal's database and driver. One start of each, not counted, comes
first, so that the counted ones find their files in the system's page cache as a restart does; then rounds alternate
between them. Each start begins with an empty page cache of the portal (its private redis-server is flushed), so the
first answer is rendered, not copied. Without --database-url a throw-away PostgreSQL database is seeded with the
demo (about two minutes) and dropped at the end. Prints every start, the CPU time gunicorn's processes spent until
its first 200, the medians and the machine's load. Nothing is asserted.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parents[2]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmarks import http_support as hs  # noqa: E402


def reference_server(args, workdir, database_url=None):
    directory = Path(args.reference).resolve()
    # Only the basics of this shell: the reference's settings read DATABASE_URL and the like for themselves.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env["DJANGO_SETTINGS_MODULE"] = args.reference_settings
    name = "参照站"
    if database_url:
        env["DATABASE_URL"] = database_url
        name = "参照站（PostgreSQL）"
    gunicorn = directory / ".venv" / "bin" / "gunicorn"
    return hs.Gunicorn(name, args.reference_app, env, workdir, cwd=directory, gunicorn=gunicorn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="an already seeded portal database (else one is made and dropped)")
    parser.add_argument("--reference", help="the reference project's directory, with its virtualenv in .venv")
    parser.add_argument("--reference-app", default="bakerydemo.wsgi:application")
    parser.add_argument("--reference-settings", default="bakerydemo.settings.dev")
    parser.add_argument(
        "--reference-database-url",
        help="the reference loaded into PostgreSQL: started a second time with DATABASE_URL set, as the portal runs",
    )
    parser.add_argument(
        "--baseline", action="append", default=[], help="another checkout of the portal (git worktree) to compare"
    )
    args = parser.parse_args()

    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    own_database = f"bench_coldstart_{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix="bench-coldstart-")
    redis_server = hs.RedisServer(workdir).start()
    try:
        database_url = args.database_url or hs.create_database(server_url, own_database)
        env = hs.portal_env(database_url, workdir, redis_server.url)
        if args.database_url:
            hs.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, what="门户 collectstatic")
        else:
            hs.seed_portal(database_url, env)
        servers = [hs.Gunicorn("门户", "cms.wsgi", env, workdir)]
        for baseline in map(Path, args.baseline):
            # gunicorn puts its working directory first on sys.path: the baseline's code is imported.
            servers.append(hs.Gunicorn(f"门户（{baseline.name}）", "cms.wsgi", env, workdir, cwd=baseline.resolve()))
        if args.reference:
            servers.append(reference_server(args, workdir))
            if args.reference_database_url:
                servers.append(reference_server(args, workdir, args.reference_database_url))
        for server in servers:
            server.start()
            server.stop()
        seconds = {server.name: [] for server in servers}
        cpu = {server.name: [] for server in servers}
        for round_number in range(1, args.rounds + 1):
            hs.say(f"第 {round_number}/{args.rounds} 轮（{hs.machine_load()}）")
            for server in servers:
                # The shared page cache outlives a restart; emptied, the first answer is rendered.
                redis.Redis.from_url(redis_server.url).flushall()
                try:
                    seconds[server.name].append(server.start())
                    # Steadier than the wall time when other work shares the cores: what the start cost.
                    cpu[server.name].append(server.cpu_seconds())
                finally:
                    server.stop()
                hs.say(f"  {server.name}：{seconds[server.name][-1]:.2f} 秒，CPU {cpu[server.name][-1]:.2f} 秒")
        print()
        print(f"冷启动（gunicorn 2 个进程，选项同 deploy/，到 / 的第一个 200；结束时{hs.machine_load()}）")
        for name, values in seconds.items():
            runs = "、".join(f"{value:.2f}" for value in values)
            median_cpu = statistics.median(cpu[name])
            print(f"  {name}：中位数 {statistics.median(values):.2f} 秒（{runs}）；CPU 中位数 {median_cpu:.2f} 秒")
        print("  CPU：gunicorn 主进程与工作进程从启动到第一个 200 用的 CPU 时间")
    finally:
        redis_server.kill()
        if not args.database_url:
            hs.drop_database(server_url, own_database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
