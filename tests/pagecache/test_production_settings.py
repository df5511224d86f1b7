"""The page cache in the production settings, read in a subprocess as tests/test_settings.py reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import GOOD_ENV

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import json, cms.settings.production as p; "
    "print(json.dumps({'enabled': p.PAGE_CACHE_ENABLED, 'middleware': p.MIDDLEWARE, 'pages': p.CACHES['pages']}))"
)


def production(**env):
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, **GOOD_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.one_database
def test_production_caches_pages_in_redis_first_in_the_middleware_unless_switched_off():
    on = production(REDIS_URL="redis://127.0.0.1:6379/1", PAGE_CACHE_ENABLED="1")
    assert on["enabled"] is True
    assert on["middleware"][0] == "cms.pagecache.middleware.PageCacheMiddleware"
    security = on["middleware"].index("django.middleware.security.SecurityMiddleware")
    assert on["middleware"][security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert on["pages"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert on["pages"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert production(PAGE_CACHE_ENABLED="0")["enabled"] is False
