"""The export: crawl the public site from every live public page, write its files, rewrite their links.

Pass 1 requests each URL as an anonymous visitor and writes what the visitor is served: pages, the
documents the checked serving view hands out, the static files and image renditions the pages name.
Pass 2 rewrites the links of every written page and stylesheet into relative links between mirror files.
A URL the mirror cannot answer (a form that posts, search, log-in, the admin, a refused or missing URL)
leads to one page saying the service is unavailable on the mirror.
"""

import json
import os
import posixpath
import re
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.mediastorage import RENDITIONS

from . import rewrite
from .addresses import (
    MANIFEST_FILE,
    UNAVAILABLE_FILE,
    Address,
    download_file,
    html_file,
    local_address,
    relative_link,
)

REDIRECTS = (301, 302, 303, 307, 308)
UNAVAILABLE = object()
FILENAME = re.compile(r"""filename\*=UTF-8''(?P<quoted>[^;]+)|filename="?(?P<plain>[^";]+)"?""", re.IGNORECASE)


@dataclass
class Summary:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    # Live public pages an anonymous visitor was not served (path, status): the mirror lacks them.
    failures: list = field(default_factory=list)
    # Other addresses the pages link that a visitor is not served either (url, status): broken links of the site,
    # linked to the note page in the mirror.
    missing: list = field(default_factory=list)


def service_prefixes():
    """URLs that need the server whatever they answer to a GET: never requested, linked to the note page."""
    return (
        reverse("wagtailadmin_home"),
        reverse("wagtailcore_login"),
        reverse("search"),
        reverse("toggle_large_text"),
        reverse("disclosure_requests:form"),
    )


def public_pages(site):
    """Every live page of the site that an anonymous visitor may see (no view restriction on it or above)."""
    return Page.objects.live().public().descendant_of(site.root_page, inclusive=True).order_by("path")


class Exporter:
    def __init__(self, target, force=False):
        self.target = Path(target).resolve()
        self.force = force
        self.site = Site.objects.get(is_default_site=True)
        host = self.site.hostname if self.site.port in (80, 443) else f"{self.site.hostname}:{self.site.port}"
        self.host = host
        admin_host = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").netloc
        self.own_hosts = {host.lower(), self.site.hostname.lower(), admin_host.lower()} - {""}
        self.client = Client(HTTP_HOST=host, raise_request_exception=False)
        self.services = service_prefixes()
        # Address -> mirror file (str), another Address (a redirect), an external URL, or UNAVAILABLE.
        self.targets = {}
        self.queue = deque()
        self.seeds = set()
        self.html_files = {}  # mirror file -> the path its relative links are read against
        self.css_files = {}
        self.written = set()
        self.summary = Summary()

    # --- the directory -------------------------------------------------------------------------------------

    def _previous_manifest(self):
        manifest = self.target / MANIFEST_FILE
        if self.target.exists() and not self.target.is_dir():
            raise CommandError(_("%(dir)s 不是目录。") % {"dir": self.target})
        if manifest.is_file():
            return set(json.loads(manifest.read_text(encoding="utf-8")).get("files", []))
        if self.target.exists() and any(self.target.iterdir()) and not self.force:
            raise CommandError(
                _("目录 %(dir)s 不是空目录，也不是 export_static 生成的镜像目录；确认写入该目录请加 --force。")
                % {"dir": self.target}
            )
        return set()

    def _write(self, file, data):
        """Written beside and renamed into place: a mirror served while it is refreshed never shows half a file."""
        path = self.target / file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".export-", delete=False) as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
        self.written.add(file)
        return file

    def _copy(self, source, file, opener=open):
        with opener(source, "rb") as handle:
            return self._write(file, iter(lambda: handle.read(1 << 20), b""))

    def _finish(self, previous):
        for file in sorted(previous - self.written):
            stale = self.target / file
            if stale.is_file() and self.target in stale.resolve().parents:
                stale.unlink()
                for directory in stale.parents:
                    if directory == self.target or any(directory.iterdir()):
                        break
                    directory.rmdir()
        self.summary.files = len(self.written)
        self.summary.bytes = sum((self.target / file).stat().st_size for file in self.written)
        manifest = {"generator": "export_static", "files": sorted(self.written)}
        self.target.joinpath(MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=0), "utf-8")

    # --- pass 1: the crawl ---------------------------------------------------------------------------------

    def _enqueue(self, address):
        if address not in self.targets:
            self.targets[address] = None
            self.queue.append(address)

    def _collect_links(self, base_path):
        def collect(url):
            found = local_address(url, base_path, self.own_hosts)
            if found:
                self._enqueue(found[0])

        return collect

    def _fetch_static(self, address):
        name = address.path[len(settings.STATIC_URL) :]
        try:
            source = staticfiles_storage.path(name) if staticfiles_storage.exists(name) else finders.find(name)
        except NotImplementedError:
            source = finders.find(name)
        if not source:
            return self._missing(address, 404)
        file = self._copy(source, address.path.lstrip("/"))
        if file.endswith(".css"):
            self.css_files[file] = address.path
            rewrite.map_css_urls(Path(source).read_text("utf-8"), self._collect_links(address.path))
        return file

    def _fetch_media(self, address):
        """Image renditions only, as the site publishes them; originals and document files never.

        Read through the default storage, which need not be a directory here (MEDIA_STORAGE=s3).
        """
        name = address.path[len(settings.MEDIA_URL) :]
        if posixpath.normpath(name) != name or not name.startswith(RENDITIONS) or not default_storage.exists(name):
            return self._missing(address, 404)
        return self._copy(name, address.path.lstrip("/"), opener=default_storage.open)

    def _missing(self, address, status):
        self.summary.missing.append((address.url, status))
        return UNAVAILABLE

    def _fetch(self, address):
        if address.path.startswith(self.services):
            return UNAVAILABLE
        if address.path.startswith(settings.STATIC_URL):
            return self._fetch_static(address)
        if address.path.startswith(settings.MEDIA_URL):
            return self._fetch_media(address)
        self.client.cookies.clear()
        # Over HTTPS, as visitors come: production redirects plain HTTP to it. The test client closes the
        # response as a server would (a streamed one once its content is read).
        return self._store(address, self.client.get(address.url, secure=True, HTTP_ACCEPT="text/html,*/*"))

    def _store(self, address, response):
        if response.status_code in REDIRECTS:
            found = local_address(response["Location"], address.path, self.own_hosts)
            if found is None:
                return response["Location"]
            self._enqueue(found[0])
            return found[0]
        if response.status_code != 200:
            if address in self.seeds:
                self.summary.failures.append((address.path, response.status_code))
                return UNAVAILABLE
            return self._missing(address, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            soup = rewrite.parse(response.content.decode(response.charset or "utf-8"))
            # Live pages are the mirror's content even with a form on them; other views that post are services.
            if address not in self.seeds and rewrite.has_post_form(soup):
                return UNAVAILABLE
            rewrite.map_html_links(soup, self._collect_links(address.path))
            file = self._write(html_file(address), response.content)
            self.html_files[file] = address.path
            self.summary.pages += 1
            return file
        match = FILENAME.search(response.get("Content-Disposition", ""))
        filename = (unquote(match["quoted"]) if match["quoted"] else match["plain"]) if match else ""
        body = response.streaming_content if response.streaming else response.content
        return self._write(download_file(address, filename), body)

    def _render_unavailable(self):
        request = RequestFactory(HTTP_HOST=self.host).get("/")
        request.user = AnonymousUser()
        html = render_to_string("site_pages/mirror/unavailable.html", {"request": request}, request=request)
        file = self._write(UNAVAILABLE_FILE, html.encode("utf-8"))
        self.html_files[file] = "/"
        rewrite.map_html_links(rewrite.parse(html), self._collect_links("/"))

    def _crawl(self):
        for page in public_pages(self.site).specific(defer=True).iterator():
            url = page.relative_url(self.site)
            found = url and local_address(url, "/", self.own_hosts)
            if found:
                self.seeds.add(found[0])
                self._enqueue(found[0])
        self._render_unavailable()
        while self.queue:
            address = self.queue.popleft()
            self.targets[address] = self._fetch(address)

    # --- pass 2: relative links ----------------------------------------------------------------------------

    def _resolve(self, address):
        seen = set()
        target = self.targets.get(address, UNAVAILABLE)
        while isinstance(target, Address) and target not in seen:
            seen.add(target)
            target = self.targets.get(target, UNAVAILABLE)
        return UNAVAILABLE if target is None or isinstance(target, Address) else target

    def _relative_links(self, from_file, base_path):
        def replace(url):
            found = local_address(url, base_path, self.own_hosts)
            if found is None:
                return None
            address, fragment = found
            target = self._resolve(address)
            if target is UNAVAILABLE:
                return relative_link(from_file, UNAVAILABLE_FILE)
            if "://" in target:
                return target
            return relative_link(from_file, target, fragment)

        return replace

    def _rewrite(self):
        for file, base_path in self.html_files.items():
            path = self.target / file
            soup = rewrite.parse(path.read_text("utf-8"))
            rewrite.map_html_links(soup, self._relative_links(file, base_path))
            rewrite.neutralise_forms(soup, relative_link(file, UNAVAILABLE_FILE))
            self._write(file, str(soup).encode("utf-8"))
        for file, base_path in self.css_files.items():
            path = self.target / file
            css = rewrite.map_css_urls(path.read_text("utf-8"), self._relative_links(file, base_path))
            self._write(file, css.encode("utf-8"))

    def run(self):
        started = time.monotonic()
        previous = self._previous_manifest()
        self.target.mkdir(parents=True, exist_ok=True)
        self._crawl()
        self._rewrite()
        self._finish(previous)
        self.summary.seconds = time.monotonic() - started
        return self.summary


def export_static(target, force=False):
    return Exporter(target, force=force).run()
