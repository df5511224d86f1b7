"""Wagtail's bakerydemo as a reference of bench_http.py (--bakerydemo DIR), the site issue 17's targets name.

DIR is a checkout of https://github.com/wagtail/bakerydemo with its own virtualenv in DIR/.venv (gunicorn
installed), migrated and loaded with `manage.py load_initial_data` on its default SQLite database. Nothing is
written into DIR: the settings below and the collected static files live in the benchmark's temporary directory.
bakerydemo runs as it would be run on its own, `gunicorn -w 2` with no other option (no --preload, no worker
replacement), with DEBUG off; its per-site cache is Django's cache middleware in local memory, the cheapest cache
it could have.
"""

import json
import os
import re
import sys
from pathlib import Path

import requests

from tests.benchmarks import http_support as hs

SETTINGS = '''"""bench_http.py's settings for bakerydemo: its dev settings, DEBUG off, optionally the per-site cache."""
import os

from bakerydemo.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
'''
SETTINGS += hs.SITE_CACHE_SETTINGS
# Its pages that stand for the portal's home page, column and article.
HOME, COLUMN = "/", "/blog/"


class Bakerydemo:
    def __init__(self, directory, workdir):
        self.directory = Path(directory).resolve()
        self.python = self.directory / ".venv" / "bin" / "python"
        if not self.python.exists() or not (self.directory / "bakerydemo").is_dir():
            raise SystemExit(f"--bakerydemo：{self.directory} 不是带 .venv 的 bakerydemo 检出目录")
        settings_dir = Path(workdir) / "bakerydemo-settings"
        settings_dir.mkdir()
        (settings_dir / "bench_bakerydemo_settings.py").write_text(SETTINGS)
        # Only the basics of this shell: bakerydemo takes DATABASE_URL or REDIS_URL from the environment.
        self.env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
        self.env.update(
            DJANGO_SETTINGS_MODULE="bench_bakerydemo_settings",
            PYTHONPATH=f"{settings_dir}{os.pathsep}{self.directory}",
            BENCH_STATIC_ROOT=str(Path(workdir) / "bakerydemo-static"),
        )
        manage = [str(self.python), "manage.py"]
        hs.run([*manage, "collectstatic", "--noinput", "-v0"], self.env, cwd=self.directory, what="bakerydemo 静态文件")
        self.workdir = workdir

    def servers(self):
        """(plain, with the per-site cache), each `gunicorn -w 2` from bakerydemo's virtualenv."""
        gunicorn = self.directory / ".venv" / "bin" / "gunicorn"
        common = {"cwd": self.directory, "gunicorn": gunicorn, "options": ["--workers", "2"]}
        plain = hs.Gunicorn("bakerydemo", "bakerydemo.wsgi:application", self.env, self.workdir, **common)
        cached_env = {**self.env, "SITE_CACHE": "1"}
        cached = hs.Gunicorn("bakerydemo-站点缓存", "bakerydemo.wsgi:application", cached_env, self.workdir, **common)
        return plain, cached

    def article(self, server):
        """The first blog post linked from its blog index: what stands for an article."""
        html = requests.get(server.url(COLUMN), timeout=30).text
        found = re.search(r'href="(/blog/[^"/]+/)"', html)
        if found is None:
            raise SystemExit("bakerydemo 的 /blog/ 上没有文章链接：是否已运行 load_initial_data？")
        return found.group(1)

    def in_process(self, paths, requests):
        """http_inprocess.py under bakerydemo's interpreter: {path: {ms, status, queries}}."""
        script = hs.BASE_DIR / "tests" / "benchmarks" / "http_inprocess.py"
        command = [str(self.python), str(script), "--pythonpath", str(self.directory), "--requests", str(requests)]
        output = hs.run([*command, *paths], self.env, cwd=self.directory)
        return json.loads(output.splitlines()[-1])


def versions(directory):
    """'Django x, Wagtail y' of bakerydemo's virtualenv and of this one, printed beside the figures."""
    script = "import django, wagtail; print(f'Django {django.get_version()}, Wagtail {wagtail.__version__}')"
    theirs = hs.run([str(Path(directory) / ".venv" / "bin" / "python"), "-c", script], dict(os.environ)).strip()
    ours = hs.run([sys.executable, "-c", script], dict(os.environ)).strip()
    return theirs, ours
