"""Settings for the gunicorn that tests/benchmarks/bench_letters.py starts: the test settings, with the letter
form's captcha and rate limits switched off (cms/settings/production.py refuses this switch)."""

from cms.settings.test import *  # noqa: F403

LETTERS_LOAD_TEST = True
