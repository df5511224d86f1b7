"""A migrated template database, built once and copied for every test process.

Migrating the schema takes far longer than copying it, and every pytest-xdist worker needs its own
database. The first process to need the template builds it (``manage.py migrate`` in a subprocess, under a
file lock so parallel workers and parallel runs wait for one build); each process then copies it into its
own test database and lets Django's ``keepdb`` setup apply anything newer. The template's name carries a
hash of every migration file and of the pinned dependencies, so a change to either builds a new one.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "var" / "test-template.lock"
# Our migrations and the test-only app; third-party migrations change only with pyproject.toml.
SOURCES = ["cms", "workflows", "disclosure", "newmedia", "site_pages", "tests/testapp"]


def fingerprint():
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            if "migrations" in path.parts or source == "tests/testapp":
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked():
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    env.pop("PYTEST_XDIST_WORKER", None)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def _sqlite(test_name, key):
    template = ROOT / "var" / f"test-template-{key}.sqlite3"
    with _locked():
        if not template.exists():
            for stale in template.parent.glob("test-template-*"):
                stale.unlink()
            partial = template.with_suffix(".partial")
            _migrate(f"sqlite:///{partial}")
            partial.rename(template)
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, test_name)


def _postgres(test_name, key):
    base = settings.DATABASES["default"]
    # Named after the configured database, not the per-worker test name: one template for every worker.
    prefix = f"test_{base['NAME']}"[:40] + "_tpl_"
    template = prefix + key
    quote = connection.ops.quote_name
    with _locked(), connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
            for (stale,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)} WITH (FORCE)")
            partial = f"{template}_partial"
            cursor.execute(f"CREATE DATABASE {quote(partial)} ENCODING 'UTF8' TEMPLATE template0")
            user = base.get("USER") or ""
            auth = f"{user}:{base.get('PASSWORD')}@" if base.get("PASSWORD") else (f"{user}@" if user else "")
            _migrate(f"postgres://{auth}{base.get('HOST') or '127.0.0.1'}:{base.get('PORT') or 5432}/{partial}")
            cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(template)}")
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")


def clone_into_test_database():
    """Gives this process a fresh test database copied from the migrated template."""
    test_name = connection.creation._get_test_db_name()
    key = fingerprint()
    if connection.vendor == "sqlite":
        if connection.creation.is_in_memory_db(test_name):
            return
        _sqlite(test_name, key)
    elif connection.vendor == "postgresql":
        _postgres(test_name, key)


class Snapshot:
    """A copy of this process's test database, restored in place of it later (demo content seeded once).

    Every connection of this process is closed first: PostgreSQL copies a database only while nobody is
    connected to it, and SQLite's backup must not race a connection's own cache.
    """

    def __init__(self):
        self.taken = False

    def _names(self):
        test_name = connection.settings_dict["NAME"]
        return test_name, f"{test_name}_snapshot"

    def take(self):
        from django.db import connections

        connections.close_all()
        live, copy = self._names()
        if connection.vendor == "sqlite":
            _sqlite_copy(live, copy)
        else:
            self._postgres_copy(live, copy)
        self.taken = True

    def restore(self):
        from django.db import connections

        connections.close_all()
        live, copy = self._names()
        if connection.vendor == "sqlite":
            _sqlite_copy(copy, live)
        else:
            self._postgres_copy(copy, live)

    def drop(self):
        if not self.taken:
            return
        _live, copy = self._names()
        if connection.vendor == "sqlite":
            Path(copy).unlink(missing_ok=True)
        else:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(copy)} WITH (FORCE)")

    @staticmethod
    def _postgres_copy(source, target):
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            _terminate_sessions(cursor, source)
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _sqlite_copy(source, target):
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _terminate_sessions(cursor, name):
    # Connections this process cannot reach any more (opened while a browser test's event loop ran, in
    # another context) would stop a copy or a drop; nothing uses them again.
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
    )


def release_test_database():
    """Ends every session on this process's test database, so that it can be dropped."""
    from django.db import connections

    connections.close_all()
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            _terminate_sessions(cursor, connection.settings_dict["NAME"])
