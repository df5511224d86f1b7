"""Settings shared by every environment. Environment-specific modules import from here."""

from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "cms.pagecache",
    "cms.organisation",
    "cms.security",
    "cms.adminui",
    "cms.inspection",
    "workflows",
    "workflows.lexicon",
    "site_pages",
    "disclosure",
    "disclosure.requests",
    "newmedia",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "cms.security.users_app.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs (cms.pagecache).
    "cms.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.security.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.public_urls.PublicUrlconfMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.security.login.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "site_pages.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL (CI, production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}


def tune_postgresql(database):
    """A PostgreSQL database's connections without JIT compilation, which pays off for long analytical statements,
    not for a page's: the listing of a column with 99 sub-columns at 100,000 pages, estimated past
    jit_above_cost, spent 9 ms compiling to run 2 ms (docs/deployment.md, "PostgreSQL's settings")."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


tune_postgresql(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Keep the planner's statistics current (bounded sampling): without them SQLite finds a page among
    # thousands of siblings through the depth index instead of the slug index.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA analysis_limit=400; PRAGMA optimize=0x10002;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 口令策略 (cms.security.passwords): every form and command that sets a password applies these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "cms.security.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "cms.security.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cms.security.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# django-axes counts failures; this backend refuses a locked account or address before the password check.
AUTHENTICATION_BACKENDS = [
    "cms.security.login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Wagtail's own zh_Hans catalogue is incomplete; ours fills the gaps and wins on conflicts.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# "strict" serves the rate limits and the working-calendar stamp, which must notice a failed cache and fall back
# to the database (cms.outages); here it shares the default's memory, in production both are Redis.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "strict": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Full-page cache of anonymous public GET requests (cms.pagecache, docs/architecture.md): the alias it uses, how long
# a page is kept (also how long text that changes with time alone, such as a deadline, may be stale) and the
# cookies that change a public page and so are part of its key.
PAGE_CACHE_ENABLED = True
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_TIMEOUT = 300
PAGE_CACHE_VARY_COOKIES = ("large_text",)
# Each process keeps copies of the pages it served, up to this many bytes, so that a hit reads only the generation
# from Redis (cms.pagecache.local); 0 keeps none.
PAGE_CACHE_LOCAL_BYTES = 32 * 1024 * 1024
# Totals of long listings, filter choices, side menus and home sections, kept under a version that every change of
# pages replaces (site_pages.listing_cache); shared by the processes through the default cache.
LISTING_CACHE_ENABLED = True
# An outage of Redis or the database logs one line per minute and kind of error, not one traceback per request.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "cms.outages.cache"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "cache_outage": {"()": "cms.outages.OncePerInterval"},
        "database_outage": {
            "()": "cms.outages.OncePerInterval",
            "exceptions": ["django.db.OperationalError", "django.db.InterfaceError"],
        },
    },
    "loggers": {
        "cms.outages.cache": {"filters": ["cache_outage"]},
        "django.request": {"filters": ["database_outage"]},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "安岳县人民政府"
# Wagtail's own form with the password field labelled in Chinese.
WAGTAILADMIN_USER_LOGIN_FORM = "cms.adminui.forms.LoginForm"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_USAGE_COUNT_ENABLED = True
# The admin API (Django REST framework) authenticates by the admin session only: HTTP Basic credentials
# would be a login path without the lockout and the second factor.
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"]}
WAGTAILEMBEDS_FINDERS = []

# Chinese text is segmented with jieba before it reaches the configured backend
# (see site_pages/search_backend.py). INNER may be any Wagtail search backend, e.g.
# "wagtail.search.backends.elasticsearch8" for large deployments.
# SEARCH_CONFIG: PostgreSQL's text search configuration for the index and the queries. Without it both follow the
# server's default, which initdb picks by locale: english in an English or C locale (which drops IT, US, no and
# stems Latin words), simple in a Chinese one, so that two servers matched differently. The text arrives
# segmented and lower-cased; simple only splits it, as SQLite's index does. Being named, it is also evaluated
# once per statement instead of once per row scored. Changing it needs `update_index` (docs/deployment.md).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "site_pages.search_backend",
        "INNER": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}

WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are served through Django so that the response is an attachment, never inline HTML.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

LOGIN_URL = "wagtailadmin_login"

# seed_demo creates demo users with a published password: never in production.
DEMO_SEED_ALLOWED = False
# No avatars from an outside host: the portal must work without internet.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- 三审三校 (workflows) ---
# Only the final approval publishes, and it publishes exactly the approved revision without needing
# the approver to hold Wagtail's publish permission (nobody does).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.publish_approved_revision"
# Approvals count only for the revision they were given on.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Approvers are told by the workflows app; superusers are not copied on every submission.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# No autosave: every saved revision of content under review sends it back to the first stage, so saving
# must be a deliberate act (and autosave on the create form raced the submit button into a second page).
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Scanned attachments and images are read with Tesseract (workflows.checks.ocr): at most this many pages
# of one file, each within this many seconds; the rest is left to the reviewer with a warning.
WORKFLOW_OCR_MAX_PAGES = 10
WORKFLOW_OCR_PAGE_TIMEOUT = 60

# --- Security and operations (cms.security): uploads, tamper monitoring, backups ---
# Upload forms that check a file's content against its extension and refuse active content.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.security.uploads.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.security.uploads.SafeImageForm"
# Only PDF may open in the browser, and only one whose content passed the parse check at upload
# (cms.security.docserve); every other document is served as a download.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
MIDDLEWARE = [*MIDDLEWARE, "cms.security.docserve.CheckedPdfInlineMiddleware"]
# Office documents, PDF, OFD and archives; videos keep WAGTAILDOCS_MAX_UPLOAD_SIZE above.
SECURITY_DOCUMENT_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
SECURITY_VIDEO_MAX_UPLOAD_SIZE = WAGTAILDOCS_MAX_UPLOAD_SIZE
# check_tamper alerts go to these addresses, or to ADMINS when the list is empty.
SECURITY_ALERT_EMAILS = []
SECURITY_TAMPER_BASE_URL = "http://127.0.0.1:8000"
SECURITY_INTEGRITY_MANIFEST = BASE_DIR / "var" / "integrity-manifest.json"
# None: the template and static directories of the project's own apps.
SECURITY_INTEGRITY_PATHS = None
SECURITY_BACKUP_DIR = BASE_DIR / "var" / "backups"

# --- Security headers (cms.security.headers); HSTS and secure cookies are in production.py ---
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other government sites we link to learn only our origin, never the path (which may carry a query).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# The public site: no inline script or style at all, nothing from other hosts (the portal must work
# without internet), no plugins. frame-ancestors 'self' because the admin frames page previews (排版出样).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Wagtail's admin cannot run without 'unsafe-inline': its pages carry inline <script> (explorer, editor,
# date pickers, inline panels; chooser modals are HTML with scripts that jQuery runs) and its bundled
# vendor.js inserts <style> elements (Draftail). Seen in Chromium under the public policy; everything
# else stays as strict as the public site. blob: images: the multiple-upload form previews files with
# object URLs. tests/e2e/test_csp.py drives the dashboard, the editor and a workflow modal under it.
SECURITY_ADMIN_PATH_PREFIXES = ("/admin/", "/documents/")
SECURITY_ADMIN_CSP_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# The portal uses none of these browser features; denying them keeps injected content from asking.
SECURITY_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Audit log (cms.security.audit): entries are kept at least this many days before archive_audit may move
# them to a file (Cybersecurity Law: six months).
SECURITY_AUDIT_RETENTION_DAYS = 180
# The client's address for the audit log, the lockout and the rate limits (cms.security.client_ip): REMOTE_ADDR,
# or the header trusted reverse proxies set ("HTTP_X_REAL_IP", or "HTTP_X_FORWARDED_FOR" read from the right
# past TRUSTED_PROXY_COUNT proxies, the one in REMOTE_ADDR included).
CLIENT_IP_META_KEY = "REMOTE_ADDR"
TRUSTED_PROXY_COUNT = 1
SECURITY_AUDIT_ARCHIVE_DIR = BASE_DIR / "var" / "audit-archive"
# Remembers the current request for the audit signal handlers; it never redirects or changes a response.
MIDDLEWARE = [*MIDDLEWARE, "cms.security.audit.AuditRequestMiddleware"]
# Admin URLs naming another unit's page whose drafts the user may not see are refused (site_pages.draft_privacy).
MIDDLEWARE = [*MIDDLEWARE, "site_pages.draft_privacy.DraftPrivacyMiddleware"]

# --- Accounts (cms.security.passwords, cms.security.login, cms.security.twofactor) ---
SECURITY_PASSWORD_MAX_AGE_DAYS = 90
SECURITY_PASSWORD_REMINDER_DAYS = 15
# An admin session ends after this many seconds without a request (background pings excluded).
SECURITY_SESSION_IDLE_TIMEOUT = 30 * 60
# Reviewers (these unit roles) and administrators sign in with a password and an authenticator code.
SECURITY_TWO_FACTOR_REQUIRED = True
SECURITY_TWO_FACTOR_ROLES = ["section_chief", "deputy_head", "head"]
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Lockout (django-axes): 5 failures for one account, or from one address, lock it until a security
# administrator unlocks it (登录保护); AXES_COOLOFF_TIME (hours, or a timedelta) would unlock by itself.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip.client_ip"
AXES_VERBOSE = False
# The lockout decision also runs as the last middleware, turning a locked-out login into its own page.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
# Applicants' personal data in 依申请公开 requests is erased (purge_personal_data) this many days after the reply.
DISCLOSURE_REQUEST_RETENTION_DAYS = 1095
