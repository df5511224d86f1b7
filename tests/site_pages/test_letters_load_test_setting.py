"""The benchmark's switch that turns the letter form's captcha and rate limits off is refused in production."""

import pytest

from tests.test_settings import run_manage

# Production settings in subprocesses, against no test database: the SQLite run covers them.
pytestmark = pytest.mark.one_database


def test_production_refuses_the_letters_load_test_switch():
    result = run_manage("check", env_overrides={"LETTERS_LOAD_TEST": "True"})
    assert result.returncode != 0
    assert "LETTERS_LOAD_TEST" in result.stderr


def test_production_starts_without_it():
    result = run_manage("check", env_overrides={"LETTERS_LOAD_TEST": "false"})
    assert result.returncode == 0, result.stderr
