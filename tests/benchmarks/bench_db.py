"""The throw-away database every in-process benchmark runs in, and the Django set-up before it.

`setup_django()` sets Django up with cms.settings.test (unless DJANGO_SETTINGS_MODULE says otherwise). The
database is SQLite by default; DATABASE_URL=postgres://... selects PostgreSQL, and so does
BENCH_POSTGRES_URL=postgres://user@host:port when DATABASE_URL is unset (the server only, as bench_http.py takes
it). `benchmark_database(label)` creates a test database named after the benchmark (test_<name>_<label> on
PostgreSQL, so that a pytest run on the same server, which uses test_<name>, is never clobbered), migrates it,
and destroys it when the block ends, on an exception, Ctrl-C or SIGTERM too.
"""

import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.db import connection
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

BASE_DIR = Path(__file__).resolve().parents[2]


def setup_django():
    """Django with the test settings, on the database the environment names; call before the settings are read."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    if not os.environ.get("DATABASE_URL") and os.environ.get("BENCH_POSTGRES_URL"):
        server = os.environ["BENCH_POSTGRES_URL"].rstrip("/")
        # The settings need a database name to connect to; the test database is created beside it.
        os.environ["DATABASE_URL"] = server if urlsplit(server).path.strip("/") else f"{server}/postgres"
    django.setup()


@dataclass
class BenchmarkDatabase:
    name: str
    migrate_seconds: float


def _raise_system_exit(signum, _frame):
    raise SystemExit(128 + signum)


@contextmanager
def temporary_media_root():
    """MEDIA_ROOT in a temporary folder (uploads and renditions of the demo), removed afterwards."""
    media_root = tempfile.mkdtemp(prefix="benchmark-media-")
    try:
        with override_settings(MEDIA_ROOT=media_root):
            yield media_root
    finally:
        shutil.rmtree(media_root, ignore_errors=True)


def settle():
    """The database after a bulk load as a deployment's would be: planner statistics and, on PostgreSQL, vacuumed
    and checkpointed.

    Right after a bulk load PostgreSQL's first reads set every row's hint bits (dirtying the pages), autovacuum
    then visits the new rows and the checkpointer writes them out, all while the timings run: the same search at
    100,000 pages measured up to 1.8 times slower than on the settled database (docs/deployment.md). SQLite's
    ANALYZE is what its connections' PRAGMA optimize keeps up to date. Last, the operating system writes out what
    the load left in its cache (gigabytes at 100,000 pages; the test settings write SQLite without syncing),
    which it would otherwise do within the next half minute, during the timings.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    os.sync()


@contextmanager
def benchmark_database(label, *, temporary_media=False):
    """A migrated throw-away test database for the block (a BenchmarkDatabase), destroyed at its end."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    if connection.vendor == "sqlite":
        test_file = settings_dict["TEST"].get("NAME")
        if test_file:  # the test settings put it under var/, which a fresh checkout lacks
            Path(test_file).parent.mkdir(parents=True, exist_ok=True)
    elif not settings_dict["TEST"].get("NAME"):
        settings_dict["TEST"]["NAME"] = f"test_{old_name}_{label}"
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_system_exit)
    setup_test_environment()
    try:
        with temporary_media_root() if temporary_media else nullcontext():
            started = time.perf_counter()
            try:
                name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                yield BenchmarkDatabase(name, time.perf_counter() - started)
            finally:
                if settings_dict["NAME"] != old_name:  # created, even if migrating it failed
                    connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        teardown_test_environment()
        signal.signal(signal.SIGTERM, previous_sigterm)
