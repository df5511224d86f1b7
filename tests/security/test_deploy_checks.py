"""Production headers (HSTS and the policies through the whole production middleware stack) and the CI security
gate's decisions (.ci/security-check). `check --deploy` itself is tested in tests/test_settings.py.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import run_manage

# Production settings in subprocesses, against no test database: the SQLite run covers them.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[2]

# Runs inside `manage.py shell` with production settings: every production middleware, a view that needs no
# database, and the reverse proxy's X-Forwarded-Proto.
PROBE = """
import json
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import RequestFactory

class Handler(BaseHandler):
    def _get_response(self, request):
        return HttpResponse("ok")

handler = Handler()
handler.load_middleware()
factory = RequestFactory(HTTP_HOST="www.anyue.gov.cn")
result = {}
for path in ["/", "/admin/pages/"]:
    for proto in ["https", "http"]:
        response = handler.get_response(factory.get(path, HTTP_X_FORWARDED_PROTO=proto))
        result[f"{proto} {path}"] = {"status": response.status_code, **dict(response.items())}
print("PROBE" + json.dumps(result))
"""


@pytest.fixture(scope="module")
def production_responses():
    result = run_manage("shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


def test_production_sends_hsts_and_both_policies_over_https(production_responses):
    public, admin = production_responses["https /"], production_responses["https /admin/pages/"]
    for response in (public, admin):
        assert response["status"] == 200
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in public["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"]


def test_production_redirects_plain_http_to_https(production_responses):
    for path in ["/", "/admin/pages/"]:
        response = production_responses[f"http {path}"]
        assert response["status"] == 301
        assert response["Location"] == f"https://www.anyue.gov.cn{path}"


# --- .ci/security-check: what fails CI and what only warns ---


def fake_venv(tmp_path, audit_report=None, audit_status=0, bandit_status=0):
    """A venv whose bandit and pip-audit are stand-ins: the gate's decisions are tested without the network."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    scripts = {
        "bandit": f"exit {bandit_status}",
        "pip": "echo 'Django==5.2.19'",
        # pip-audit writes its JSON report to the path after --output.
        "pip-audit": (
            'while [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done\n'
            + (f"cat > \"$out\" <<'JSON'\n{json.dumps(audit_report)}\nJSON\n" if audit_report is not None else "")
            + (f"echo 'ConnectionError: service unreachable' >&2\nexit {audit_status}")
        ),
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/usr/bin/env bash\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return tmp_path / "venv"


def run_gate(venv, strict=False):
    env = {**os.environ, "VENV": str(venv)}
    env.pop("SECURITY_AUDIT_STRICT", None)
    if strict:
        env["SECURITY_AUDIT_STRICT"] = "1"
    return subprocess.run(["bash", ".ci/security-check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


AUDITED = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.20"]}]}
    ],
    "fixes": [],
}
UNAUDITED = {
    "dependencies": [{"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"}],
    "fixes": [],
}


def test_gate_passes_when_every_dependency_was_audited_clean(tmp_path):
    result = run_gate(fake_venv(tmp_path, AUDITED))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no known vulnerability in 1 pinned dependencies" in result.stdout
    assert "WARNING" not in result.stdout


def test_gate_fails_on_a_known_vulnerability(tmp_path):
    result = run_gate(fake_venv(tmp_path, VULNERABLE, audit_status=1))
    assert result.returncode == 1
    assert "VULNERABLE: django==5.2.19: PYSEC-0000-1 (fixed in: 5.2.20)" in result.stdout


def test_gate_fails_on_a_high_severity_bandit_finding(tmp_path):
    result = run_gate(fake_venv(tmp_path, AUDITED, bandit_status=1))
    assert result.returncode != 0
    assert "pip-audit" not in result.stdout


@pytest.mark.parametrize("report,status", [(UNAUDITED, 0), (None, 1)], ids=["skipped", "unreachable"])
def test_gate_warns_loudly_when_dependencies_could_not_be_audited(tmp_path, report, status):
    venv = fake_venv(tmp_path, report, audit_status=status)
    result = run_gate(venv)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "THIS IS NOT A PASS" in result.stdout
    assert run_gate(venv, strict=True).returncode == 1
