"""Restore drills: a backup restored over a damaged site brings back the same site.

Each drill runs manage.py in subprocesses against its own throw-away database (a SQLite file, or
a PostgreSQL database created and dropped here), never against the test database. It starts from a copy of the
demo county and its files, which the suite seeds once (tests/dbtemplate.py).
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

from tests import dbtemplate

# Minutes each, in subprocesses: a parallel run starts them first.
pytestmark = pytest.mark.slow

PROJECT = Path(settings.BASE_DIR)


class Drill:
    def __init__(self, tmp_path, database_url):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.security.drill_settings",
            "DATABASE_URL": database_url,
            "DRILL_MEDIA_ROOT": str(tmp_path / "media"),
            "DRILL_PRIVATE_ROOT": str(tmp_path / "private"),
        }
        self.private_root = str((tmp_path / "private").resolve())
        self.backups = tmp_path / "backups"
        self.timings = {}

    def run(self, *args, check=True):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, *args], cwd=PROJECT, env=self.env, capture_output=True, text=True, timeout=300
        )
        self.timings[args[1] if args[0] == "manage.py" else args[-1]] = round(time.monotonic() - started, 1)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def manage(self, *args, check=True):
        return self.run("manage.py", *args, check=check)

    def snapshot(self):
        return json.loads(self.run("-m", "tests.security.drill", "snapshot").stdout)

    def rehearse(self):
        started = time.monotonic()
        # The copied demo was seeded under the test settings; under these it must need no migration.
        self.manage("migrate", "--check", "-v0")
        self.run("-m", "tests.security.drill", "history")
        original = self.snapshot()
        assert original["workflow_states"] and original["task_states"]
        # Every storage root holds files, the private 答复书 included.
        assert original["files"][self.private_root] and all(original["files"].values())

        self.manage("backup", "--output", str(self.backups))
        (archive,) = self.backups.glob("cms-backup-*.tar.gz")

        self.run("-m", "tests.security.drill", "damage")
        damaged = self.snapshot()
        for key in ("pages", "users", "workflow_states", "html"):
            assert damaged[key] != original[key], key
        for root, files in original["files"].items():
            assert damaged["files"][root] != files, root

        # A corrupted copy is refused and changes nothing.
        corrupted = self.backups / "corrupted.tar.gz"
        data = bytearray(archive.read_bytes())
        data[len(data) // 2] ^= 0xFF
        corrupted.write_bytes(bytes(data))
        refused = self.manage("restore", str(corrupted), "--yes", check=False)
        assert refused.returncode != 0
        assert "损坏" in refused.stderr or "校验失败" in refused.stderr
        assert self.snapshot() == damaged

        self.manage("restore", str(archive), "--yes")
        restored = self.snapshot()
        for key in original:
            assert restored[key] == original[key], key

        # The comparison sees the private root: a 答复书 changed after the restore is a difference.
        self.run("-m", "tests.security.drill", "alter-private")
        altered = self.snapshot()
        assert altered["files"][self.private_root] != original["files"][self.private_root]
        self.timings["total"] = round(time.monotonic() - started, 1)
        print(f"restore drill timings (s): {self.timings}")


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


# The SQLite drill does not use the suite's database; the PostgreSQL run has its own drill below.
@pytest.mark.one_database
def test_restore_drill_sqlite(tmp_path, django_db_setup, django_db_blocker):
    database = tmp_path / "drill.sqlite3"
    with django_db_blocker.unblock():
        dbtemplate.copy_demo_database(database)
    dbtemplate.copy_demo_files(tmp_path)
    Drill(tmp_path, f"sqlite:///{database}").rehearse()


@pytest.mark.postgres
@pytest.mark.skipif(_postgres_url() is None, reason="DATABASE_URL is not PostgreSQL")
def test_restore_drill_postgresql(tmp_path, django_db_setup, django_db_blocker):
    import psycopg

    config = dj_database_url.parse(_postgres_url())
    name = f"security_drill_{uuid.uuid4().hex[:12]}"
    admin = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with django_db_blocker.unblock():
        dbtemplate.copy_demo_database(name)
    dbtemplate.copy_demo_files(tmp_path)
    try:
        drill_url = _postgres_url().rsplit("/", 1)[0] + f"/{name}"
        Drill(tmp_path, drill_url).rehearse()
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
