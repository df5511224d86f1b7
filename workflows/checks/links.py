"""Links to commercial hosts (the regulation's 第二十一条) and URL shorteners.

Links are looked for in the width-folded text (ｈｔｔｐ：／／ｔ．ｃｎ is a link too); the fold keeps
the length, so offsets land on the original characters.
"""

import re
from urllib.parse import urlsplit

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .findings import BLOCK, WARN, _finding
from .personal_data import fold

# Hosts of party and government organs and authoritative media: links elsewhere are flagged as
# possibly commercial (第二十一条). A host matches itself and its subdomains.
ALLOWED_LINK_HOST_SUFFIXES = (
    "gov.cn",
    "12371.cn",
    "people.com.cn",
    "people.cn",
    "xinhuanet.com",
    "news.cn",
    "cctv.com",
    "cctv.cn",
    "cntv.cn",
    "cnr.cn",
    "chinanews.com.cn",
    "chinanews.com",
    "gmw.cn",
    "qstheme.cn",
    "qstheme.com",
    "chinadaily.com.cn",
    "ce.cn",
    "china.com.cn",
    "youth.cn",
    "cyol.com",
    "workercn.cn",
    "legaldaily.com.cn",
    "scdaily.cn",
    "sc.gov.cn",
    "npc.gov.cn",
    "court.gov.cn",
    "spp.gov.cn",
    "ccdi.gov.cn",
)


# A shortened link hides its target, so it cannot be checked: it blocks. Security administrators
# add hosts in the 短链接域名 list. A host matches itself and its subdomains.
URL_SHORTENER_HOSTS = ("t.cn", "dwz.cn", "url.cn", "bit.ly", "suo.im")
CACHE_KEY = "workflows.checks.url_shortener_hosts"
CACHE_SECONDS = 300


def url_shortener_hosts():
    """Built-in hosts and the active ones of the list, cached (saves and deletes clear the cache through signals)."""
    listed = cache.get(CACHE_KEY)
    if listed is None:
        from workflows.models import UrlShortenerHost

        listed = tuple(UrlShortenerHost.objects.filter(active=True).values_list("domain", flat=True))
        cache.set(CACHE_KEY, listed, CACHE_SECONDS)
    return URL_SHORTENER_HOSTS + listed


def invalidate_url_shortener_hosts(**kwargs):
    cache.delete(CACHE_KEY)


def _host_in(host, suffixes):
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in suffixes)


def is_url_shortener(host):
    return _host_in(host, url_shortener_hosts())


# URLs end at the first character that cannot be part of one (Chinese text usually follows directly).
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\""
_WWW = re.compile(r"www\.", re.IGNORECASE)


def link_host(url):
    url = url.strip()
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_allowed_link_host(host):
    return _host_in(host, ALLOWED_LINK_HOST_SUFFIXES)


_LINK_SUGGESTION = _("政府网站不得链接商业网站或发布商业广告；请确认该链接属于党政机关或权威媒体。")
_SHORTENER_SUGGESTION = _("短链接无法确认实际指向的网站，请改用完整的原始链接。")


def _bare_shortener_pattern(hosts):
    """Shortener links written without http:// or www. (t.cn/A6xYz): the host must not continue a longer name."""
    alternatives = "|".join(re.escape(host) for host in sorted(hosts, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9.\-/@])({alternatives})/[A-Za-z0-9\-._~/?#=&%]+", re.IGNORECASE)


def _link_findings(text):
    folded = fold(text)
    shorteners = url_shortener_hosts()
    has_url = "://" in folded or _WWW.search(folded)
    bare = _bare_shortener_pattern(shorteners) if any(host + "/" in folded.lower() for host in shorteners) else None
    if not has_url and bare is None:
        return []
    found, covered = [], []
    for match in _URL.finditer(folded) if has_url else ():
        url = match.group().rstrip(_URL_TRAILING)
        host = link_host(url)
        start, end = match.start(), match.start() + len(url)
        if host and is_url_shortener(host):
            found.append(_finding(text, "short_link", host, start, end, BLOCK, _SHORTENER_SUGGESTION))
        elif host and not is_allowed_link_host(host):
            found.append(_finding(text, "commercial_link", host, start, end, WARN, _LINK_SUGGESTION))
        covered.append((match.start(), match.end()))
    for match in bare.finditer(folded) if bare is not None else ():
        if any(start <= match.start() < end for start, end in covered):
            continue
        url = match.group().rstrip(_URL_TRAILING)
        host = match.group(1).lower()
        found.append(
            _finding(text, "short_link", host, match.start(), match.start() + len(url), BLOCK, _SHORTENER_SUGGESTION)
        )
    return found
