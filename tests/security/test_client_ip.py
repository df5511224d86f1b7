"""The client's address (issue: hardening §7). One function decides it for the audit log, the login lockout
(django-axes) and the public rate limits; behind proxies it is the right-most X-Forwarded-For entry that no
trusted proxy wrote, so a client cannot choose it by sending its own X-Forwarded-For."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from cms.security.client_ip import client_ip
from cms.security.models import AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.test_settings import run_manage

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
STATUS_URL = "/yxsqgk/status/"
PROXY = "10.0.0.1"
CLIENT = "198.51.100.20"
OTHER_CLIENT = "198.51.100.21"


def spoofed(n):
    """A different left-most entry each time, as an attacker would send."""
    return f"203.0.113.{n + 1}"


@pytest.fixture
def behind_proxy(settings):
    """One reverse proxy that appends the peer's address to X-Forwarded-For."""
    settings.CLIENT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield settings
    cache.clear()


def via_proxy(client_address, spoof=None, hops=()):
    """META as the application sees a request the proxy chain passed on."""
    chain = [spoof] if spoof else []
    chain += [client_address, *hops]
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ", ".join(chain)}


def login(client, username, password, meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


@pytest.mark.django_db
def test_spoofed_forwarded_for_never_reaches_the_audit_log(client, behind_proxy):
    login(client, "nobody", "Wrong-pass-123", via_proxy(CLIENT, spoof=spoofed(0)))
    entry = AuditEntry.objects.filter(action="login_failed").latest("pk")
    assert entry.ip_address == CLIENT


@pytest.mark.django_db
def test_the_client_is_counted_from_the_right_past_every_trusted_proxy(client, behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    login(client, "nobody", "Wrong-pass-123", via_proxy(CLIENT, spoof=spoofed(0), hops=["10.0.0.2"]))
    assert AuditEntry.objects.filter(action="login_failed").latest("pk").ip_address == CLIENT


@pytest.mark.django_db
def test_spoofed_forwarded_for_neither_dodges_nor_aims_the_lockout(behind_proxy):
    UserFactory(username="zhaoliu")
    attacker = Client()
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        login(attacker, f"guess{n}", "Wrong-pass-123", via_proxy(CLIENT, spoof=spoofed(n)))
    # The attacker's real address is locked whatever it claims next...
    response = login(attacker, "zhaoliu", PASSWORD, via_proxy(CLIENT, spoof=spoofed(99)))
    assert response.status_code == 429
    # ...and another client is not locked by claiming the attacker's address.
    response = login(Client(), "zhaoliu", PASSWORD, via_proxy(OTHER_CLIENT, spoof=CLIENT))
    assert response.status_code == 302


@pytest.mark.django_db
def test_spoofed_forwarded_for_neither_dodges_nor_aims_the_rate_limit(behind_proxy):
    behind_proxy.DISCLOSURE_REQUEST_RATE_LIMITS = {"status": (3, 3600)}
    attacker = Client()
    lookup = {"receipt_number": "YSQ2026-00001", "secret": "x"}
    for n in range(3):
        assert attacker.post(STATUS_URL, lookup, **via_proxy(CLIENT, spoof=spoofed(n))).status_code == 400
    assert attacker.post(STATUS_URL, lookup, **via_proxy(CLIENT, spoof=spoofed(50))).status_code == 429
    assert Client().post(STATUS_URL, lookup, **via_proxy(OTHER_CLIENT, spoof=CLIENT)).status_code == 400


def test_without_a_proxy_setting_headers_are_ignored(rf, settings):
    settings.CLIENT_IP_META_KEY = "REMOTE_ADDR"
    request = rf.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR=CLIENT, HTTP_X_REAL_IP=CLIENT)
    assert client_ip(request) == "192.0.2.9"


def test_a_single_value_header_is_read_as_the_proxy_wrote_it(rf, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=CLIENT)) == CLIENT
    # A chain in it: only the right-most entry was written by the proxy.
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=f"{spoofed(0)}, {CLIENT}")) == CLIENT


@pytest.mark.parametrize("header", [None, "", "not an address", "unknown", "0.0.0.0"])
def test_a_missing_or_malformed_header_falls_back_to_the_peer(rf, behind_proxy, header):
    """Never None and never a value the client chose: the limits then hold the proxy's address."""
    meta = {"REMOTE_ADDR": PROXY}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header
    assert client_ip(rf.get("/", **meta)) == PROXY


def test_too_short_a_chain_falls_back_to_the_peer(rf, behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 3
    assert client_ip(rf.get("/", **via_proxy(CLIENT, hops=["10.0.0.2"]))) == PROXY


def test_production_refuses_forwarded_for_without_trusted_proxies():
    result = run_manage(
        "check", env_overrides={"CLIENT_IP_META_KEY": "HTTP_X_FORWARDED_FOR", "TRUSTED_PROXY_COUNT": "0"}
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


# --- Every reader of the client's address goes through client_ip ------------------------------------------

ADDRESS_SOURCES = re.compile(r"REMOTE_ADDR|FORWARDED_FOR|X_REAL_IP|CLIENT_IP\b|get_client_ip|axes_ip_address")
THE_FUNCTION = ROOT / "cms" / "security" / "client_ip.py"
SETTINGS_DIR = ROOT / "cms" / "settings"


def project_files():
    """Every Python file and template of the project's own packages, found on disk (new apps included)."""
    for package in sorted(p.parent for p in ROOT.glob("*/__init__.py")):
        if package.name == "tests":
            continue
        for path in package.rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                yield path


def test_no_module_reads_the_address_except_client_ip():
    files = list(project_files())
    assert THE_FUNCTION in files and len(files) > 100
    readers = []
    for path in files:
        if path == THE_FUNCTION:
            continue
        text = path.read_text(encoding="utf-8")
        if path.is_relative_to(SETTINGS_DIR):
            # Settings may name the header (configuration), never read request.META.
            assert ".META" not in text, path
            continue
        if ADDRESS_SOURCES.search(text):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_audit_axes_and_rate_limits_call_the_one_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "cms.security.client_ip.client_ip"
    for module in ("cms/security/audit.py", "disclosure/requests/ratelimit.py"):
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        imported = {
            (node.module, alias.name)
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert imported & {("cms.security.client_ip", "client_ip"), ("client_ip", "client_ip")}, module
