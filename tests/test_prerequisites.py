"""A test whose outside data or tool is missing skips on a developer's machine and fails under CI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.prerequisites import unavailable

# The test runner in a subprocess, against no test database: the SQLite run covers it.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_missing_prerequisite_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI=true but corpus missing"):
        unavailable("corpus missing")


def test_missing_prerequisite_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="corpus missing"):
        unavailable("corpus missing")


@pytest.mark.parametrize(
    ("ci", "returncode", "outcome"), [("true", 1, "CI=true but XSS corpus not found"), ("", 0, "1 skipped")]
)
def test_xss_corpus_tests_cannot_pass_on_nothing(tmp_path, ci, returncode, outcome):
    """The real corpus test, pointed at an empty folder: under CI the run fails instead of skipping."""
    env = {**os.environ, "CI": ci, "XSS_CORPUS_DIR": str(tmp_path)}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(  # noqa: S603 - the test runner itself, with fixed arguments
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "tests/site_pages/test_sanitize.py::test_corpus_is_loaded",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == returncode, result.stdout[-2000:]
    assert outcome in result.stdout
