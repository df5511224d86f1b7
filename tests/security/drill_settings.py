"""Settings for the restore drill's subprocesses: a plain deployment with its files in temporary directories.

Built on the base settings rather than the test settings, so that test-only apps (whose tables
only the pytest database has) stay out of the drill's migrated database.
"""

import os

from cms.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "restore-drill-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_SEED_ALLOWED = True
MEDIA_ROOT = os.environ["DRILL_MEDIA_ROOT"]
DISCLOSURE_REQUEST_FILES_ROOT = os.environ["DRILL_PRIVATE_ROOT"]
# A root of its own, so the drill shows that letters' attachments are backed up and restored too.
LETTER_FILES_ROOT = DISCLOSURE_REQUEST_FILES_ROOT + "-letters"
