"""Fingerprints of public page HTML, used to tell publishing from tampering.

A page is split into two regions:

* the content region, ``<main>``: what the page itself says, plus listings of its children;
* the chrome: everything else (header, navigation, footer), shared by every page.

Each region is hashed in a normalised form (parsed, whitespace collapsed, attributes sorted,
per-request values dropped), so byte-level differences that browsers ignore do not raise
alarms. Separately, the whole document's *active elements* are listed: scripts (by source or
by hash of the inline code), frames, objects and embeds, resources and links on other hosts,
event-handler attributes, ``javascript:`` URLs, meta refreshes and ``<base>``. That list is the
set of approved active content: anything outside it in served HTML is reported as 挂马/暗链
even when the rest of the page is unchanged.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

WHITESPACE = re.compile(r"\s+")
# Attributes whose value differs per request without the page changing.
VOLATILE_ATTRIBUTES = {"nonce"}
CSRF_FIELD = "csrfmiddlewaretoken"
MAX_KEY_VALUE = 300

# (tag, attribute) pairs that load a resource into the page.
RESOURCE_ATTRIBUTES = [
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("form", "action"),
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}


@dataclass
class PageSnapshot:
    content_sha256: str
    chrome_sha256: str
    active_elements: list[str] = field(default_factory=list)


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _short(value):
    value = value.strip()
    if len(value) > MAX_KEY_VALUE:
        return f"sha256:{_digest(value)[:16]}"
    return value


def _attribute_value(value):
    return " ".join(value) if isinstance(value, list) else str(value)


def _canonical(node):
    """Start tags with sorted, stable attributes and collapsed text, in document order."""
    tokens = []
    for item in node.descendants:
        if isinstance(item, Tag):
            attributes = []
            for name, value in sorted(item.attrs.items()):
                if name in VOLATILE_ATTRIBUTES:
                    continue
                if name == "value" and item.get("name") == CSRF_FIELD:
                    continue
                attributes.append(f"{name}={_attribute_value(value)}")
            tokens.append(f"<{item.name} {' '.join(attributes)}>")
        elif isinstance(item, NavigableString) and not isinstance(item, Comment | Doctype | ProcessingInstruction):
            text = WHITESPACE.sub(" ", str(item)).strip()
            if text:
                tokens.append(text)
    return "\n".join(tokens)


class _UrlNormaliser:
    def __init__(self, page_url, own_hosts):
        self.page_url = page_url
        self.own_hosts = {h.lower() for h in own_hosts}

    def resolve(self, value):
        """(is_external, key) for a URL: own-host URLs become paths so that they match across hosts."""
        value = value.strip()
        absolute = urljoin(self.page_url, value)
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https"):
            if (parts.hostname or "").lower() in self.own_hosts:
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                return False, _short(path)
            return True, _short(absolute)
        return False, _short(value)


def _srcset_urls(value):
    return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]


def active_elements(soup, page_url, own_hosts):
    urls = _UrlNormaliser(page_url, own_hosts)
    found = set()
    for script in soup.find_all("script"):
        if script.get("src"):
            found.add(f"script-src:{urls.resolve(script['src'])[1]}")
        else:
            code = WHITESPACE.sub(" ", script.get_text()).strip()
            if code:
                found.add(f"inline-script:{_digest(code)[:16]}")
    for tag_name, attribute in (("iframe", "src"), ("frame", "src"), ("embed", "src"), ("object", "data")):
        for element in soup.find_all(tag_name):
            found.add(f"{tag_name}:{urls.resolve(element.get(attribute, ''))[1]}")
    for element in soup.find_all("applet"):
        found.add(f"applet:{_short(element.get('code', '') or element.get('archive', ''))}")
    for tag_name, attribute in RESOURCE_ATTRIBUTES:
        for element in soup.find_all(tag_name, attrs={attribute: True}):
            values = _srcset_urls(element[attribute]) if attribute == "srcset" else [element[attribute]]
            for value in values:
                external, key = urls.resolve(value)
                if external:
                    found.add(f"external:{tag_name}:{key}")
    for element in soup.find_all(["a", "area"], href=True):
        external, key = urls.resolve(element["href"])
        if external:
            found.add(f"external-link:{key}")
    for element in soup.find_all("meta"):
        if str(element.get("http-equiv", "")).lower() == "refresh":
            found.add(f"meta-refresh:{_short(element.get('content', ''))}")
    for element in soup.find_all("base"):
        found.add(f"base:{_short(element.get('href', ''))}")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = _attribute_value(value)
            if name.lower().startswith("on"):
                found.add(f"event-handler:{element.name}[{name}]:{_digest(text)[:16]}")
            elif name.lower() in URL_ATTRIBUTES and text.strip().lower().startswith(("javascript:", "vbscript:")):
                found.add(f"javascript-url:{element.name}[{name}]:{_digest(text)[:16]}")
    return sorted(found)


def analyse_html(html, page_url, own_hosts):
    soup = BeautifulSoup(html, "html.parser")
    elements = active_elements(soup, page_url, own_hosts)
    main = soup.find("main")
    if main is None:
        content = _canonical(soup)
        chrome = ""
    else:
        content = _canonical(main)
        main.extract()
        chrome = _canonical(soup)
    return PageSnapshot(_digest(content), _digest(chrome), elements)


def own_hosts(*extra):
    """Host names that count as this portal's own (every Wagtail site and every allowed host)."""
    from wagtail.models import Site

    hosts = {h for h in Site.objects.values_list("hostname", flat=True)}
    hosts.update(h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and h != "*")
    hosts.update(h for h in extra if h)
    return hosts


def page_location(page):
    """(site, absolute URL, path below the site root) of a routable page, or None."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    site_id, root_url, path = parts
    if root_url is None or path is None:
        return None
    from wagtail.models import Site

    return Site.objects.get(pk=site_id), root_url + path, path


def render_page(page):
    """Render a live page in-process exactly as the public site would, or None if it is not served (200).

    Public visitors always get the site language and time zone, whatever the publishing user chose
    for the admin, so the render overrides both.
    """
    from wagtail.views import serve

    location = page_location(page)
    if location is None:
        return None
    site, url, path = location
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    request = RequestFactory().get(path, HTTP_HOST=host, SERVER_PORT=str(site.port), secure=site.port == 443)
    request.user = AnonymousUser()
    request._wagtail_site = site
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        response = serve(request, path.lstrip("/"))
        if hasattr(response, "render"):
            response.render()
    if response.status_code != 200:
        return None
    return url, response.content.decode(response.charset or "utf-8")


def snapshot_page(page):
    """(url, PageSnapshot) of the page as the CMS renders it now, or None when it is not served."""
    rendered = render_page(page)
    if rendered is None:
        return None
    url, html = rendered
    return url, analyse_html(html, url, own_hosts(urlsplit(url).hostname))


def record_fingerprint(page, reason):
    """Store the page's current fingerprint; never raises, because publishing must not fail on it."""
    from django.db import transaction

    from .models import PageFingerprint

    try:
        with transaction.atomic():
            result = snapshot_page(page)
            if result is None:
                return None
            url, snapshot = result
            fingerprint, _ = PageFingerprint.objects.update_or_create(
                page=page,
                defaults={
                    "revision_id": page.live_revision_id,
                    "url": url[:500],
                    "content_sha256": snapshot.content_sha256,
                    "chrome_sha256": snapshot.chrome_sha256,
                    "active_elements": snapshot.active_elements,
                    "reason": reason,
                    "created_at": timezone.now(),
                },
            )
            return fingerprint
    except Exception:
        logger.exception("Could not fingerprint page %s", page.pk)
        return None
