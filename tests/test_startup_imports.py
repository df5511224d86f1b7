"""Start-up imports only what the first request needs (issue 17, cold start; docs/deployment.md).

Everything imported while gunicorn loads the application, and while a worker loads the URLconf and the template tag
libraries for its first request, is paid before the first answer. A fresh interpreter does that here as gunicorn
would, with the production settings; then every dependency of pyproject.toml must be absent from sys.modules unless
FIRST_REQUEST names it. A dependency added later and imported at module level fails this test: import it inside the
function that uses it, or, when the first request truly needs it, add it below with the reason.
"""

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

# Production settings in a subprocess, against no database: the SQLite run covers it.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[1]

# Distributions (pyproject.toml names) that may be imported before the first answer, each with the reason.
FIRST_REQUEST = {
    "django": "the framework",
    "wagtail": "serves every page",
    "psycopg": "the database driver",
    "dj-database-url": "the production settings parse DATABASE_URL with it",
    "django-redis": "the cache backend (page cache, sessions), imported at the first cache read",
    "hiredis": "redis-py's reply parser, imported with redis (cms.outages, the cache)",
    "whitenoise": "middleware serving the static files",
    "django-csp": "middleware setting Content-Security-Policy",
    "django-axes": "login lockout: an installed app with its middleware",
    "django-ipware": "django-axes reads the client's address with it",
    "django-otp": "two-factor authentication: an installed app with its middleware",
    "beautifulsoup4": "Wagtail's admin panels import it (wagtail.utils.text) while the models load",
    "requests": "Wagtail's redirects API imports Django REST framework, which imports it (rest_framework.compat)",
    "filetype": "Willow, Wagtail's image library, imports it while Wagtail's image checks load",
    "defusedxml": "Willow imports it as well",
    "gunicorn": "the server itself",
}

# As gunicorn loads the application (cms/wsgi.py), then what a worker's first request loads besides its view: the
# URLconf (every include is imported) and the template tag libraries. Prints the top-level modules loaded.
PROBE = """
import json, sys
import cms.wsgi
from django.template import engines
from django.urls import get_resolver
get_resolver().url_patterns
for engine in engines.all():
    engine.engine.template_libraries
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def dependencies():
    """The distribution names of pyproject.toml's [project] dependencies, without versions, extras or markers."""
    specs = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {_normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec)[0]) for spec in specs}


def top_level_modules():
    """{normalised distribution name: its top-level modules} for what this virtualenv has installed."""
    modules = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            modules.setdefault(_normalise(distribution), set()).add(module)
    return modules


def _production_env():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="k" * 20 + "9Xq!vT3#pL8@wZ2$rN5%bM7^cJ4&hF6*" + "s" * 10,
        DATABASE_URL="postgres://cms:secret@127.0.0.1:5432/cms",
        ALLOWED_HOSTS="www.anyue.gov.cn",
        REDIS_URL="redis://127.0.0.1:6379/1",
        MEDIA_STORAGE="filesystem",
    )
    return env


def _probe(script):
    result = subprocess.run(  # noqa: S603 - this interpreter with a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def loaded_at_startup():
    return set(_probe(PROBE))


def test_the_allow_list_names_only_dependencies():
    assert set(FIRST_REQUEST) <= dependencies()


def test_every_dependency_maps_to_modules_that_can_be_watched():
    installed = top_level_modules()
    assert [name for name in sorted(dependencies()) if not installed.get(name)] == []


def test_startup_imports_no_dependency_the_first_request_does_not_need():
    installed = top_level_modules()
    loaded = loaded_at_startup()
    # The probe did load the application: the allowed core is there.
    assert {"django", "wagtail", "cms", "site_pages"} <= loaded
    imported = {
        name: sorted(installed[name] & loaded)
        for name in sorted(dependencies() - set(FIRST_REQUEST))
        if installed[name] & loaded
    }
    assert imported == {}, (
        "imported at start-up, before gunicorn's first answer; find the importer with "
        "`python -X importtime -c 'import cms.wsgi'` and import it where it is used"
    )


def test_what_the_master_loaded_is_frozen_before_gunicorn_forks():
    """cms/wsgi.py ends with gc.freeze(): a worker's collections leave the master's objects (and pages) alone."""
    frozen, tracked = _probe(
        "import gc, json, cms.wsgi; print(json.dumps([gc.get_freeze_count(), len(gc.get_objects())]))"
    )
    assert frozen > 100_000
    assert tracked < frozen / 10


def test_routing_and_linking_a_public_page_leave_the_admins_urls_unloaded():
    """An anonymous page view is routed by cms.public_urls (tests/test_public_urls.py): the admin's URLs, about forty
    modules, stay unloaded until a request needs them."""
    loaded = _probe(
        "import json, sys, cms.wsgi\n"
        "from django.urls import resolve, reverse\n"
        "resolve('/xwzx/', urlconf='cms.public_urls')\n"
        "[reverse(name, urlconf='cms.public_urls') for name in ('search', 'toggle_large_text', 'wagtailcore_login')]\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "cms.public_urls" in loaded
    assert "wagtail.admin.urls" not in loaded
