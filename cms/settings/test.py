"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL is set (see .ci/run)."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_SEED_ALLOWED = True
# A workflow-enabled snippet model used only by the tests (no migrations: created with the test database).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# Each pytest-xdist worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) writes files under its own folder, so
# parallel tests never see each other's uploads, backups, manifests or archives. TEST_FILES_ROOT names the folder
# outright (the demo template's seed, a benchmark's server).
_FOLDER = BASE_DIR / "var" / f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
TEST_FILES_ROOT = Path(os.environ.get("TEST_FILES_ROOT") or _FOLDER)  # noqa: F405
MEDIA_ROOT = TEST_FILES_ROOT / "media"
DISCLOSURE_REQUEST_FILES_ROOT = TEST_FILES_ROOT / "private"
LETTER_FILES_ROOT = TEST_FILES_ROOT / "private-letters"
SECURITY_INTEGRITY_MANIFEST = TEST_FILES_ROOT / "integrity-manifest.json"
SECURITY_BACKUP_DIR = TEST_FILES_ROOT / "backups"
SECURITY_AUDIT_ARCHIVE_DIR = TEST_FILES_ROOT / "audit-archive"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, so that tests/dbtemplate.py can copy a migrated template into it; one per process, so that
    # parallel runs never share one. Durability is not needed for a database dropped after the run.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_FILES_ROOT / f"db-{os.getpid()}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] += "PRAGMA synchronous=OFF;"  # noqa: F405

# Off by default: the query budgets and every test that reads a page after changing rows must measure the page
# itself, and the database is rolled back between tests while a cache would keep their pages. tests/pagecache
# switches it on; PAGE_CACHE_ENABLED=1 does for a benchmark run under these settings.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "0").strip() not in ("", "0")
# The same for the listing cache (site_pages.listing_cache): a rolled-back test leaves its values under a version
# the next test would read. The query budgets and the listing tests switch it on for themselves.
LISTING_CACHE_ENABLED = os.environ.get("LISTING_CACHE_ENABLED", "0").strip() not in ("", "0")
