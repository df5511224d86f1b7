"""Availability probes (``probe_site``): request the home page and a sample of live pages as a visitor would.

Each request follows redirects and reads the whole page within one overall time limit, so a server that
trickles bytes cannot hold the probe longer than the limit. The time recorded is until the last byte. The
served HTML is also read for 暗链 (``hidden.hidden_links``), which catches links injected on the way out that
stored content does not show.
"""

import random
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.security.fingerprint import own_hosts, page_location

from .hidden import hidden_links
from .links import in_sites
from .probe_models import ProbeResult

USER_AGENT = "cms-inspection-probe_site"
MAX_BYTES = 5 * 1024 * 1024


def default_timeout():
    return float(getattr(settings, "INSPECTION_PROBE_TIMEOUT", 20.0))


def targets(sample, base_url=None, rng=random):
    """[(url, Host header or None, is_home)]: every site's home page, then `sample` random live pages."""
    homes = [site.root_page for site in Site.objects.select_related("root_page").order_by("-is_default_site", "pk")]
    home_ids = {page.pk for page in homes}
    candidates = list(
        Page.objects.live().public().filter(in_sites()).exclude(pk__in=home_ids).values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, min(sample, len(candidates))) if sample > 0 else []
    found = []
    for page, is_home in [*((home, True) for home in homes), *((p, False) for p in Page.objects.filter(pk__in=chosen))]:
        location = page_location(page)
        if location is None:
            continue
        site, url, path = location
        if base_url:
            port = "" if site.port in (80, 443) else f":{site.port}"
            host = None if site.is_default_site else f"{site.hostname}{port}"
            found.append((base_url.rstrip("/") + path, host, is_home))
        else:
            found.append((url, None, is_home))
    return found


def probe(url, host_header=None, timeout=None, is_home=False):
    """Request one page and return its (unsaved) ProbeResult."""
    timeout = timeout or default_timeout()
    headers = {"User-Agent": USER_AGENT, **({"Host": host_header} if host_header else {})}
    result = ProbeResult(checked_at=timezone.now(), url=url[:500], is_home=is_home)
    start = time.monotonic()
    try:
        with requests.get(url, headers=headers, timeout=timeout, stream=True) as response:
            body = bytearray()
            for chunk in response.iter_content(65536):
                body += chunk
                if time.monotonic() - start > timeout:
                    raise requests.Timeout
                if len(body) > MAX_BYTES:
                    break
            result.status = response.status_code
            html = body.decode(response.encoding or "utf-8", errors="replace")
            if "html" in response.headers.get("Content-Type", ""):
                hosts = own_hosts(urlsplit(url).hostname, urlsplit(response.url).hostname)
                result.hidden_links = [
                    {"href": href, "reason": reason} for href, reason in hidden_links(html, response.url, hosts)
                ]
    except requests.Timeout:
        result.error = _("超时（%(seconds)s 秒）") % {"seconds": timeout}
    except requests.RequestException as error:
        result.error = _("无法访问（%(error)s）") % {"error": error.__class__.__name__}
    result.elapsed = round(time.monotonic() - start, 3)
    return result


def probe_site(sample, base_url=None, timeout=None):
    results = [probe(url, host, timeout, is_home) for url, host, is_home in targets(sample, base_url)]
    return ProbeResult.objects.bulk_create(results)
