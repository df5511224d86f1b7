"""Template databases, built once and copied for every test process: the migrated schema, and the demo county.

Migrating the schema takes far longer than copying it, and every pytest-xdist worker needs its own
database. The first process to need the template builds it (``manage.py migrate`` in a subprocess, under a
file lock so parallel workers and parallel runs wait for one build); each process then copies it into its
own test database and lets Django's ``keepdb`` setup apply anything newer. The template's name carries a
hash of every migration file and of the pinned dependencies, so a change to either builds a new one.

The demo county (``seed_demo``, about 25 seconds on PostgreSQL) is built the same way, once per change of the
code: the migrated template is copied and seeded by ``manage.py seed_demo`` in a subprocess, whose uploaded and
private files go to a folder of their own. A test that needs the demo copies that database over its own and
those files into its own folders (``use_demo_database``), and the migrated one back afterwards
(``use_migrated_database``): a copy each way instead of a seed in every process.
"""

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[1]
# One lock per template: a worker copying the migrated one does not wait for another seeding the demo.
LOCKS = ROOT / "var"
# Our migrations and the test-only app; third-party migrations change only with pyproject.toml.
SOURCES = ["cms", "workflows", "disclosure", "newmedia", "site_pages", "tests/testapp"]
# What the demo is made of: all of our code, its data files and its templates.
DEMO_SOURCES = ["cms", "workflows", "disclosure", "newmedia", "site_pages", "locale"]
# The folders of settings.TEST_FILES_ROOT that seed_demo writes (uploads, 依申请公开 and letters' private files).
DEMO_FILE_FOLDERS = ("media", "private", "private-letters")


# Once per process: the files do not change during a run.
@cache
def fingerprint():
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            if "migrations" in path.parts or source == "tests/testapp":
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def demo_fingerprint():
    digest = hashlib.sha256(fingerprint().encode())
    for source in DEMO_SOURCES:
        for path in sorted((ROOT / source).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _locked(template):
    LOCKS.mkdir(parents=True, exist_ok=True)
    with (LOCKS / f"template-{template}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _manage(database_url, *args, files_root=None):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    env.pop("PYTEST_XDIST_WORKER", None)
    if files_root:
        # cms/settings/test.py puts uploads and private files there instead of a worker's folder.
        env["TEST_FILES_ROOT"] = str(files_root)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _migrate(database_url):
    _manage(database_url, "migrate", "--run-syncdb", "--noinput", "-v0")


def _sqlite_template(key):
    return ROOT / "var" / f"test-template-{key}.sqlite3"


# The migrated templates' files (a partial build's too), not the demo's: each kind is built under its own lock.
SQLITE_STALE_PATTERN = "test-template-" + "[0-9a-f]" * 12 + ".*"


def _sqlite_build(template, stale_pattern, fill, source=None):
    """Under the lock: unless ``template`` exists, the stale ones dropped, a partial file (a copy of ``source``, or
    new) filled and renamed."""
    if template.exists():
        return
    for stale in template.parent.glob(stale_pattern):
        stale.unlink()
    partial = template.with_suffix(".partial")
    if source:
        shutil.copyfile(source, partial)
    fill(f"sqlite:///{partial}")
    partial.rename(template)


def _sqlite(test_name, key):
    template = _sqlite_template(key)
    with _locked("migrated"):
        _sqlite_build(template, SQLITE_STALE_PATTERN, _migrate)
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, test_name)


# The configured database's name, kept before the test setup renames the connection's to the per-worker one.
_configured = {}


def _postgres_prefix():
    # Named after the configured database, not the per-worker test name: one template for every worker.
    name = _configured.setdefault("name", settings.DATABASES["default"]["NAME"])
    return f"test_{name}"[:40] + "_tpl_"


def _postgres_url(name):
    base = settings.DATABASES["default"]
    user = base.get("USER") or ""
    auth = f"{user}:{base.get('PASSWORD')}@" if base.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{base.get('HOST') or '127.0.0.1'}:{base.get('PORT') or 5432}/{name}"


def postgres_stale_pattern(prefix):
    """The migrated templates' names (a partial build's too), not the demo's: each kind is built under its own lock."""
    return f"^{re.escape(prefix)}[0-9a-f]{{12}}(_partial)?$"


def _postgres_build(cursor, template, stale_pattern, source, fill):
    """Under the lock: unless ``template`` exists, the stale ones (names matching the regular expression
    ``stale_pattern``, a partial one of a failed build among them) dropped, a partial database created from
    ``source`` (SQL) and filled, then renamed."""
    quote = connection.ops.quote_name
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
    if cursor.fetchone() is not None:
        return
    cursor.execute("SELECT datname FROM pg_database WHERE datname ~ %s", [stale_pattern])
    for (stale,) in cursor.fetchall():
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)} WITH (FORCE)")
    partial = f"{template}_partial"
    cursor.execute(f"CREATE DATABASE {quote(partial)} {source}")
    fill(_postgres_url(partial))
    cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(template)}")


def _postgres(test_name, key):
    prefix = _postgres_prefix()
    template = prefix + key
    quote = connection.ops.quote_name
    with _locked("migrated"), connection._nodb_cursor() as cursor:
        _postgres_build(
            cursor, template, postgres_stale_pattern(prefix), "ENCODING 'UTF8' TEMPLATE template0", _migrate
        )
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


def _demo_files(key):
    # One per database backend: a SQLite and a PostgreSQL run of the same code may build theirs at the same time.
    return ROOT / "var" / f"test-demo-{connection.vendor}-{key}"


def _demo_database(key):
    """The demo template's name (PostgreSQL) or path (SQLite), seeded first if this code has none yet."""
    files = _demo_files(key)

    def seed(database_url):
        for stale in files.parent.glob(f"test-demo-{connection.vendor}-*"):
            shutil.rmtree(stale)
        _manage(database_url, "seed_demo", files_root=files)

    with _locked("demo"):
        if connection.vendor == "sqlite":
            template = _sqlite_template(f"demo-{key}")
            migrated = _sqlite_template(fingerprint())
            _sqlite_build(template, "test-template-demo-*", seed, source=migrated)
            return str(template)
        prefix = f"{_postgres_prefix()}demo_"
        migrated = connection.ops.quote_name(_postgres_prefix() + fingerprint())
        with connection._nodb_cursor() as cursor:
            _postgres_build(cursor, prefix + key, f"^{re.escape(prefix)}", f"TEMPLATE {migrated}", seed)
        return prefix + key


def remember_test_database():
    """Notes the test database that the test setup made (tests/conftest.py's django_db_setup): the only one that
    ``_copy_database`` will replace."""
    _configured["test_name"] = connection.settings_dict["NAME"]


def _copy_database(source):
    """The live test database replaced by a copy of ``source``, every connection of this process closed first:
    PostgreSQL copies a database only while nobody is connected to it, and SQLite's backup must not race a
    connection's own cache.

    Refused unless the connection is on the test database made for this run: without one, it is still on the
    configured database, a developer's own."""
    target = connection.settings_dict["NAME"]
    if _configured.get("test_name") != target:
        raise RuntimeError(f"{target} is not this run's test database: it is not replaced")
    connections.close_all()
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            _terminate_sessions(cursor, target)
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")
    # Rows come back with ids a cache may hold for other rows.
    for alias in settings.CACHES:
        caches[alias].clear()


def copy_demo_database(target):
    """A new database holding the demo county: a PostgreSQL database named ``target``, or a SQLite file there."""
    source = _demo_database(demo_fingerprint())
    if connection.vendor == "sqlite":
        shutil.copyfile(source, target)
    else:
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def copy_demo_files(root):
    """The demo's uploaded and private files into ``root``/media, private and private-letters."""
    for folder in DEMO_FILE_FOLDERS:
        seeded = _demo_files(demo_fingerprint()) / folder
        if seeded.is_dir():
            shutil.copytree(seeded, Path(root) / folder, dirs_exist_ok=True)


def use_demo_database():
    """This process's test database becomes a copy of the demo county, with the demo's files in its folders."""
    _copy_database(_demo_database(demo_fingerprint()))
    copy_demo_files(settings.TEST_FILES_ROOT)


def use_migrated_database():
    """This process's test database back to a copy of the migrated template (after use_demo_database)."""
    key = fingerprint()
    _copy_database(str(_sqlite_template(key)) if connection.vendor == "sqlite" else _postgres_prefix() + key)


def _terminate_sessions(cursor, name):
    # Connections this process cannot reach any more (opened while a browser test's event loop ran, in
    # another context) would stop a copy or a drop; nothing uses them again.
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
    )


def release_test_database():
    """Ends every session on this process's test database, so that it can be dropped."""
    connections.close_all()
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            _terminate_sessions(cursor, connection.settings_dict["NAME"])
