"""What a test does when something it needs from outside the repository is missing.

On a developer's machine it skips with the reason; under CI (``CI=true``) it fails, so that a run can
never pass by testing nothing.
"""

import os

import pytest


def required():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason):
    if required():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)
