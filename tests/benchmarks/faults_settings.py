"""Settings for the gunicorn of tests/benchmarks/bench_faults.py: the production settings (database health checks,
Redis caches that degrade, the 503 page, the page cache) with what the load needs on plain HTTP: the letter form's
captcha and rate limits off (as in letters_settings.py), cookies without the Secure flag, and mail kept in memory.
Production refuses LETTERS_LOAD_TEST from its environment or its own module; this module is for the benchmark only.
"""

from cms.settings.production import *  # noqa: F403

LETTERS_LOAD_TEST = True
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
