"""Links to commercial hosts (the regulation's 第二十一条)."""

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from .findings import WARN, _finding

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
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in ALLOWED_LINK_HOST_SUFFIXES)


_LINK_SUGGESTION = _("政府网站不得链接商业网站或发布商业广告；请确认该链接属于党政机关或权威媒体。")


def _link_findings(text):
    if "://" not in text and not _WWW.search(text):
        return []
    found = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        host = link_host(url)
        if host and not is_allowed_link_host(host):
            start = match.start()
            found.append(_finding(text, "commercial_link", host, start, start + len(url), WARN, _LINK_SUGGESTION))
    return found
