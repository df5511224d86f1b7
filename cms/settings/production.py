"""Production settings. Every required value comes from the environment; a missing one stops start-up."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cms.mediastorage import default_storage_config
from cms.outages import redis_caches

from .base import *  # noqa: F403


def require_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Environment variable {name} is required in production (see README.md, 'Environment')."
        )
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in require_env("ALLOWED_HOSTS").split(",") if h.strip()]
# A reused connection is checked before its request (else each worker fails once more after a database
# restart), and a connection attempt gives up quickly so that an outage answers 503 instead of hanging.
DATABASES = {"default": dj_database_url.parse(require_env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
# An optional read replica serves the reads of anonymous public page views (cms.replica); everything else
# reads and writes the primary. Tests mirror the primary instead of creating a second database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["cms.replica.ReplicaRouter"]
    # Last, so that the middleware above (sessions, login policy, lockout) reads the primary.
    MIDDLEWARE = [*MIDDLEWARE, "cms.replica.PublicReadMiddleware"]  # noqa: F405
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    tune_postgresql(_database)  # noqa: F405

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # Short socket timeouts; the default alias ignores Redis errors, "strict" raises them (cms.outages).
    CACHES = redis_caches(REDIS_URL)
    # The page cache is shared by every app server and, like the default alias, ignores Redis errors: while Redis
    # is down pages are built uncached (cms.pagecache).
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
# "0" switches the page cache off (the HTTP benchmark compares both).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1").strip() != "0"

# nginx's page cache (deploy/nginx/cms.conf) keeps only what the application marks cacheable; its local purge
# server is told when a page is published or unpublished (wagtail.contrib.frontend_cache's HTTP backend).
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "").strip()
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
# check_tamper fetches the pages as visitors get them, through the reverse proxy at the public address.
SECURITY_TAMPER_BASE_URL = os.environ.get("SECURITY_TAMPER_BASE_URL", "").strip() or WAGTAILADMIN_BASE_URL

# The site sits behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The header in which that proxy passes the client's address. Without it every visitor has the proxy's
# address, and five failed logins from anyone would lock the login for everyone (per-address lockout).
CLIENT_IP_META_KEY = os.environ.get("CLIENT_IP_META_KEY", "REMOTE_ADDR").strip() or "REMOTE_ADDR"
# How many proxies append to X-Forwarded-For, the one connecting to gunicorn included: the client's address is
# the entry right of which there are TRUSTED_PROXY_COUNT - 1 more. Anything further left the client wrote.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
except ValueError:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be a whole number of proxies.") from None
if CLIENT_IP_META_KEY == "HTTP_X_FORWARDED_FOR" and TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured(
        "CLIENT_IP_META_KEY=HTTP_X_FORWARDED_FOR needs TRUSTED_PROXY_COUNT >= 1: without a trusted proxy every "
        "X-Forwarded-For entry is chosen by the client."
    )
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# nosniff, Referrer-Policy, the Content-Security-Policies and Permissions-Policy are set in base.py for every
# environment, so that the tests and the browser tests see the production headers.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# whitenoise serves the collected static files right after the security middleware (which follows the page cache's).
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")  # noqa: F405
MIDDLEWARE = [  # noqa: F405
    *MIDDLEWARE[: _security + 1],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_security + 1 :],  # noqa: F405
]

# Uploaded media go to MEDIA_ROOT, or with MEDIA_STORAGE=s3 to a private S3-compatible bucket (cms.mediastorage,
# which checks the AWS_* variables here so that a mistake stops start-up rather than the first upload).
STORAGES = {
    "default": default_storage_config(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT))  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    **LOGGING,  # noqa: F405 - the outage filters
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

# The letters benchmark (tests/benchmarks/bench_letters.py) switches the letter form's captcha and rate limits
# off; a production site must never run so, whether the switch comes from the environment or a settings file.
if globals().get("LETTERS_LOAD_TEST") or os.environ.get("LETTERS_LOAD_TEST", "").strip().lower() not in (
    "",
    "0",
    "false",
):
    raise ImproperlyConfigured("LETTERS_LOAD_TEST is for the letters benchmark only and is refused in production.")
