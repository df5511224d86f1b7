"""A bounded, polite checker for links to other websites.

Each distinct address is checked once per run: HEAD, then GET when the server does not allow HEAD (405, 501).
Redirects are followed hop by hop (each hop a request of its own, under the same limits), so a redirect is
broken only when it ends dead. Politeness: at most ``concurrency`` requests at once, one request per host at a
time and ``host_interval`` seconds between requests to the same host, a timeout on every request, no
robots.txt fetch (a link checker requests each address once, as a visitor following the link would).
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "cms-inspection-link-check"
REDIRECTS = {301, 302, 303, 307, 308}
NO_HEAD = {405, 501}


@dataclass(frozen=True)
class LinkStatus:
    url: str
    broken: bool
    detail: str
    status: int | None = None


class ExternalLinkChecker:
    def __init__(self, concurrency=None, timeout=None, host_interval=None, max_redirects=5):
        self.concurrency = concurrency or getattr(settings, "INSPECTION_LINK_CONCURRENCY", 4)
        self.timeout = timeout or getattr(settings, "INSPECTION_LINK_TIMEOUT", 10.0)
        self.host_interval = (
            host_interval if host_interval is not None else getattr(settings, "INSPECTION_LINK_HOST_INTERVAL", 1.0)
        )
        self.max_redirects = max_redirects
        self._guard = threading.Lock()
        self._host_locks = {}
        self._last_request = {}

    def check_all(self, urls):
        """{url: LinkStatus} for the distinct URLs given."""
        distinct = sorted(set(urls))
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return dict(zip(distinct, pool.map(self.check, distinct), strict=True))

    def check(self, url):
        current = url
        for _hop in range(self.max_redirects + 1):
            try:
                response = self._request("HEAD", current)
                if response.status_code in NO_HEAD:
                    response = self._request("GET", current)
            except requests.Timeout:
                return LinkStatus(url, True, _("访问超时（%(seconds)s 秒）") % {"seconds": self.timeout})
            except requests.RequestException as error:
                return LinkStatus(url, True, _("无法访问（%(error)s）") % {"error": error.__class__.__name__})
            location = response.headers.get("Location")
            if response.status_code in REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                detail = _("返回状态码 %(status)s") % {"status": response.status_code}
                if current != url:
                    detail += _("（跳转至 %(url)s）") % {"url": current}
                return LinkStatus(url, True, detail, response.status_code)
            return LinkStatus(url, False, "", response.status_code)
        return LinkStatus(url, True, _("跳转次数过多（超过 %(count)s 次）") % {"count": self.max_redirects})

    def _request(self, method, url):
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        # One request per host at a time, spaced by host_interval: a county portal must not hammer anyone.
        with lock:
            wait = self._last_request.get(host, 0) + self.host_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                response = requests.request(
                    method,
                    url,
                    headers={"User-Agent": USER_AGENT},
                    timeout=self.timeout,
                    allow_redirects=False,
                    stream=True,
                )
                response.close()
                return response
            finally:
                self._last_request[host] = time.monotonic()
