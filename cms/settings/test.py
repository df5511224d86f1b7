"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL is set (see .ci/run)."""

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
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
DEMO_SEED_ALLOWED = True
# A workflow-enabled snippet model used only by the tests (no migrations: created with the test database).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
