"""Security headers: the public Content-Security-Policy, the admin's own, and the headers sent with both.

The public policy forbids inline script and style, so every public template must do without them:
test_public_templates_have_no_inline_script_or_style lists each offending line, whoever wrote it.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests.factories import log_in

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"
# Apps whose templates the public sees; their admin/ sub-folders are rendered inside Wagtail's admin.
PUBLIC_TEMPLATE_ROOTS = [
    "cms/templates",
    "site_pages/templates",
    "disclosure/templates",
    "disclosure/requests/templates",
    "newmedia/templates",
]
INLINE_PATTERNS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def directives(header):
    """{'script-src': ["'self'"], ...} from a policy string."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_public_policy(response):
    policy = directives(response[CSP])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response[CSP] and "'unsafe-eval'" not in response[CSP]


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_get_the_strict_policy(client, site_tree):
    for url in ["/", site_tree["a"].url, site_tree["article"].url, "/search/?q=春耕", "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_public_policy(response)
        assert_common_headers(response)


def test_public_pages_render_no_inline_script_or_style(client, site_tree):
    for url in ["/", site_tree["a"].url, site_tree["article"].url, "/search/?q=春耕", "/no-such-page/"]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        inline_scripts = [s for s in soup.find_all("script") if not s.get("src")]
        assert not inline_scripts, url
        assert not soup.find_all("style"), url
        assert not soup.select("[style]"), url
        handlers = [tag.name for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
        assert not handlers, url


def test_large_text_toggle_redirect_carries_the_headers(client, site_tree):
    response = client.get("/a11y/large-text/?next=/")
    assert response.status_code == 302
    assert_public_policy(response)


def test_admin_gets_its_own_policy(client, admin_user):
    log_in(client, admin_user)
    for url in ["/admin/login/", "/admin/pages/"]:
        response = client.get(url)
        policy = directives(response[CSP])
        # Wagtail's admin runs inline scripts and styles (see SECURITY_ADMIN_CSP_DIRECTIVES); nothing else widens.
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert "'unsafe-eval'" not in response[CSP]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert_common_headers(response)


def test_admin_policy_allows_nothing_from_other_hosts():
    for values in settings.SECURITY_ADMIN_CSP_DIRECTIVES.values():
        for value in values:
            assert value.startswith("'") or value in ("data:", "blob:"), value


def test_preview_of_a_page_gets_the_public_policy(site_tree):
    """Previews (editor panel, 排版出样) run through the page's public URL, so they show what the public allows."""
    response = site_tree["article"].make_preview_request()
    assert response.status_code == 200
    assert_public_policy(response)


def test_served_document_keeps_wagtails_own_policy(admin_client):
    # Signed in: a document no live page links to is served only to those who may use it in the admin.
    document = Document.objects.create(title="测试文件", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="test.pdf"))
    response = admin_client.get(document.url)
    assert response.status_code == 200
    # Wagtail's "nothing may run inside a document" beats the admin policy for the file itself.
    assert response[CSP] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    document.file.delete(save=False)


def public_templates():
    base = Path(settings.BASE_DIR)
    for root in PUBLIC_TEMPLATE_ROOTS:
        for path in sorted((base / root).rglob("*.html")):
            if "admin" not in path.relative_to(base / root).parts:
                yield path


def test_public_templates_have_no_inline_script_or_style():
    """Lists every line of a public template that the public policy would block (move it to a static file)."""
    templates = list(public_templates())
    assert any(p.name == "base.html" for p in templates)
    offences = []
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern in INLINE_PATTERNS.items():
                if pattern.search(line):
                    offences.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {what}: {line.strip()[:120]}")
    assert not offences, "blocked by the public Content-Security-Policy:\n" + "\n".join(offences)
