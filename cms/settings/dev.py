"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403

DEBUG = True
# A fixed key is acceptable here only because dev settings never face the internet.
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEMO_SEED_ALLOWED = True
