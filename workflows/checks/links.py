"""Links to commercial hosts (the regulation's 第二十一条) and URL shorteners.

Links are looked for in the width-folded text (ｈｔｔｐ：／／ｔ．ｃｎ is a link too); the fold keeps
the length, so offsets land on the original characters. Only the stretches of text that can hold a
link are folded: most texts have none.
"""

import functools
import re
from urllib.parse import urlsplit

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .findings import BLOCK, WARN, _finding
from .folded_classes import char_class, characters, led, raw_class
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


class _Stretches:
    """Where links can be, found in the text as written, so that only those stretches are folded.

    A link, with or without scheme, and the character the shortener pattern looks behind at are made of
    characters that fold to the URL characters; a stretch is a maximal run of them that holds a slash
    or www. (needed by http://, a bare t.cn/… and www.). Matching stretch by stretch finds what matching
    the whole folded text would.
    """

    def __init__(self):
        def one_of(chars):
            return raw_class(fold, f"[{re.escape(chars)}]", re.IGNORECASE)

        url_class = _URL.pattern[_URL.pattern.index("[") :].removesuffix("+")
        self.url_characters = frozenset(characters(fold, url_class, re.IGNORECASE))
        self.run = re.compile(char_class(sorted(self.url_characters)) + "*")
        self.anchor = re.compile(led([("/", ""), ("w", one_of("w") * 2 + one_of("."))], one_of))

    def find(self, text):
        """(start, end) of each stretch, in order."""
        stretches, end = [], 0
        for anchor in self.anchor.finditer(text):
            if anchor.start() < end:
                continue
            start = anchor.start()
            while start > end and text[start - 1] in self.url_characters:
                start -= 1
            end = self.run.match(text, anchor.start()).end()
            stretches.append((start, end))
        return stretches


@functools.cache
def _stretches():
    return _Stretches()


def _link_findings(text):
    stretches = [(start, fold(text[start:end])) for start, end in _stretches().find(text)]
    if not stretches:
        return []
    shorteners = url_shortener_hosts()
    has_bare = any(host + "/" in folded.lower() for _start, folded in stretches for host in shorteners)
    bare = _bare_shortener_pattern(shorteners) if has_bare else None
    found, found_bare = [], []
    for offset, folded in stretches:
        covered = []
        for match in _URL.finditer(folded):
            url = match.group().rstrip(_URL_TRAILING)
            host = link_host(url)
            start, end = offset + match.start(), offset + match.start() + len(url)
            if host and is_url_shortener(host):
                found.append(_finding(text, "short_link", host, start, end, BLOCK, _SHORTENER_SUGGESTION))
            elif host and not is_allowed_link_host(host):
                found.append(_finding(text, "commercial_link", host, start, end, WARN, _LINK_SUGGESTION))
            covered.append((match.start(), match.end()))
        for match in bare.finditer(folded) if bare is not None else ():
            if any(start <= match.start() < end for start, end in covered):
                continue
            url = match.group().rstrip(_URL_TRAILING)
            start = offset + match.start()
            found_bare.append(
                _finding(
                    text, "short_link", match.group(1).lower(), start, start + len(url), BLOCK, _SHORTENER_SUGGESTION
                )
            )
    return found + found_bare
