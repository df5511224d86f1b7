"""Production settings fail fast and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Production settings in subprocesses, against no test database: the SQLite run covers them.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[1]
GOOD_ENV = {
    "SECRET_KEY": "k" * 20 + "9Xq!vT3#pL8@wZ2$rN5%bM7^cJ4&hF6*" + "s" * 10,
    "DATABASE_URL": "postgres://cms:secret@127.0.0.1:5432/cms",
    "ALLOWED_HOSTS": "www.anyue.gov.cn,anyue.gov.cn",
}


def run_manage(*args, env_overrides=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL")}
    env.update(GOOD_ENV)
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(name):
    result = run_manage("check", drop=(name,))
    assert result.returncode != 0
    assert f"Environment variable {name} is required" in result.stderr


def test_blank_required_variable_counts_as_missing():
    result = run_manage("check", env_overrides={"SECRET_KEY": "   "})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_redis_cache_is_used_when_redis_url_is_set():
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('settings-test', '县政府', 30); "
        "print(settings.CACHES['default']['BACKEND'], cache.get('settings-test'))"
    )
    result = run_manage("shell", "-c", code, env_overrides={"REDIS_URL": "redis://127.0.0.1:6379/1"})
    assert result.returncode == 0, result.stderr
    assert "django_redis.cache.RedisCache 县政府" in result.stdout


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
