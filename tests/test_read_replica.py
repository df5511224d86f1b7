"""The optional read replica (cms/replica.py): only the reads of anonymous public GET and HEAD views go to it.

Django cannot switch DATABASES inside a test, so the router and the middleware are exercised directly (the
router never opens a connection), and the production settings are loaded in a child process."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page

from cms.replica import PublicReadMiddleware, ReplicaRouter

ROOT = Path(__file__).resolve().parent.parent
SIGNED_IN = SimpleNamespace(is_authenticated=True)
router = ReplicaRouter()


def databases_used(request, write=False):
    """The aliases the router picks for a read, then (optionally) a write and a read, inside the request."""

    def view(request):
        chosen = [router.db_for_read(Page)]
        if write:
            chosen += [router.db_for_write(Page), router.db_for_read(Page)]
        return HttpResponse(",".join(chosen))

    return PublicReadMiddleware(view)(request).content.decode().split(",")


def make_request(method="get", path="/xwzx/", user=None, cookies=None):
    made = getattr(RequestFactory(), method)(path)
    made.user = user or AnonymousUser()
    made.COOKIES.update(cookies or {})
    return made


def test_anonymous_public_get_and_head_read_the_replica():
    assert databases_used(make_request()) == ["replica"]
    assert databases_used(make_request("head")) == ["replica"]
    assert databases_used(make_request(path="/search/")) == ["replica"]


@pytest.mark.parametrize(
    "made",
    [
        make_request("post"),
        make_request(path="/admin/pages/"),
        make_request(path="/documents/1/a.pdf"),
        make_request(path="/_util/login/"),
        make_request(user=SIGNED_IN),
        # A visitor with a session may have just written (a letter's receipt) and must read the primary.
        make_request(cookies={"sessionid": "abc"}),
    ],
    ids=["post", "admin", "documents", "login", "signed-in", "session"],
)
def test_everything_else_reads_the_primary(made):
    assert databases_used(made) == ["default"]


def test_a_write_goes_to_the_primary_and_the_rest_of_the_request_reads_it():
    assert databases_used(make_request(), write=True) == ["replica", "default", "default"]


def test_outside_a_request_and_after_it_everything_uses_the_primary():
    assert router.db_for_read(Page) == "default"
    databases_used(make_request())
    assert router.db_for_read(Page) == "default"


@pytest.mark.django_db(transaction=False)
def test_reads_inside_a_transaction_use_the_primary():
    # pytest-django runs this test inside a transaction on the primary.
    assert databases_used(make_request()) == ["default"]


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "wagtailcore")
    assert not router.allow_migrate("replica", "wagtailcore")


def production_databases(**extra):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "replica-test-only",
        "ALLOWED_HOSTS": "www.example.gov.cn",
        "DATABASE_URL": "postgres://cms:x@127.0.0.1:5432/cms",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        **extra,
    }
    code = (
        "import json\nfrom django.conf import settings\n"
        "print(json.dumps({'databases': settings.DATABASES, 'routers': settings.DATABASE_ROUTERS,"
        " 'middleware': settings.MIDDLEWARE}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_add_the_replica_only_when_configured():
    without = production_databases()
    assert list(without["databases"]) == ["default"] and without["routers"] == []
    assert "cms.replica.PublicReadMiddleware" not in without["middleware"]

    configured = production_databases(DATABASE_REPLICA_URL="postgres://cms:x@10.0.0.2:5432/cms")
    replica = configured["databases"]["replica"]
    assert replica["HOST"] == "10.0.0.2" and replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == 3 and replica["CONN_HEALTH_CHECKS"]
    assert configured["routers"] == ["cms.replica.ReplicaRouter"]
    assert configured["middleware"][-1] == "cms.replica.PublicReadMiddleware"


@pytest.mark.django_db
def test_every_postgresql_connection_runs_without_jit_compilation():
    """JIT is off on the primary and the replica, after the options a DATABASE_URL brings itself; the connection
    the suite runs on has it off too when it is PostgreSQL."""
    configured = production_databases(
        DATABASE_URL="postgres://cms:x@127.0.0.1:5432/cms?options=-c%20statement_timeout%3D30000",
        DATABASE_REPLICA_URL="postgres://cms:x@10.0.0.2:5432/cms",
    )
    options = {alias: database["OPTIONS"]["options"] for alias, database in configured["databases"].items()}
    assert options == {"default": "-c statement_timeout=30000 -c jit=off", "replica": "-c jit=off"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
