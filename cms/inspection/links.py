"""Every link and attachment in live content, and which of them are broken or hidden (错链断链, 暗链).

Links come from each live page's stored fields: rich text (``<a linktype="page|document">`` and plain
``href``), StreamField blocks (page and document choosers, URL blocks, a struct's ``url`` value), URL fields
and document foreign keys, including the page's inline child objects. Internal targets are resolved in the
database (the page exists and is live, the document exists and its file is stored, a path routes); only links
to other websites go over HTTP, through ``ExternalLinkChecker`` and only when INSPECTION_CHECK_EXTERNAL_LINKS
is on. Pages are read per page type in chunks and targets are resolved in bulk, so the number of queries grows
with the number of page types and of chunks, not with columns.
"""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site, get_page_models

from cms.security.fingerprint import own_hosts

from .external_links import ExternalLinkChecker
from .hidden import CAN_HIDE, hidden_in_soup

CHUNK = 500
URL_KEYS = {"url", "href", "link"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")


@dataclass(frozen=True)
class Link:
    page_id: int
    unit: str
    where: str  # the field (and block) holding the link
    kind: str  # "page", "document" or "url"
    target: str  # page or document id, or the address


@dataclass(frozen=True)
class Problem:
    page_id: int
    unit: str
    where: str
    target: str
    detail: str


def live_pages_by_type(unit_code=None):
    """Live public pages below a site root, as their specific type, each with its unit's code."""
    roots = in_sites()
    for model in get_page_models():
        if model._meta.abstract:
            continue
        pages = model.objects.filter(content_type=ContentType.objects.get_for_model(model)).live().public()
        pages = pages.filter(roots)
        has_unit = any(field.name == "owning_unit" for field in model._meta.concrete_fields)
        if unit_code:
            if not has_unit:
                continue
            pages = pages.filter(owning_unit__organisation_code=unit_code)
        if has_unit:
            pages = pages.select_related("owning_unit")
        relations = [r.get_accessor_name() for r in getattr(model._meta, "child_relations", ()) if _published(r)]
        yield from pages.prefetch_related(*relations).order_by("path").iterator(chunk_size=CHUNK)


def in_sites():
    """Pages at or below some site's root: the ones that have a public address."""
    in_a_site = models.Q(pk__in=[])
    for root_path in Site.objects.values_list("root_page__path", flat=True):
        in_a_site |= models.Q(path__startswith=root_path)
    return in_a_site


def _published(relation):
    return not relation.related_model._meta.app_label.startswith("wagtail")


def unit_of(page):
    unit = getattr(page, "owning_unit", None)
    return unit.organisation_code if unit is not None else ""


def page_links(page, hosts=()):
    """(links, hidden) of one page: every Link in its stored fields, and (where, href, reason) hidden in rich text."""
    links, hidden = [], []
    unit = unit_of(page)

    def add(where, kind, target):
        if target not in (None, ""):
            links.append(Link(page.pk, unit, where, kind, str(target).strip()))

    def add_html(where, html):
        if not html or ("<a" not in html and "<A" not in html):
            return  # most paragraphs hold no link: not worth parsing
        soup = BeautifulSoup(html, "html.parser")
        for anchor in soup.find_all("a"):
            linktype = anchor.get("linktype")
            if linktype in ("page", "document"):
                add(where, linktype, anchor.get("id"))
            elif anchor.get("href"):
                add(where, "url", anchor["href"])
        if CAN_HIDE.search(html):
            hidden.extend((where, href, reason) for href, reason in hidden_in_soup(soup, own_hosts=hosts))

    _walk_object(page, "", add, add_html)
    return links, hidden


def _walk_object(obj, label, add, add_html):
    for field in obj._meta.concrete_fields:
        where = f"{label}{capfirst(str(field.verbose_name))}"
        if isinstance(field, StreamField):
            value = getattr(obj, field.name)
            raw = list(value.raw_data) if value else []
            _walk_block(field.stream_block, raw, where, add, add_html)
        elif isinstance(field, RichTextField):
            add_html(where, getattr(obj, field.name))
        elif isinstance(field, models.URLField):
            add(where, "url", getattr(obj, field.name))
        elif isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractDocument):
            add(where, "document", getattr(obj, field.attname))
    for relation in getattr(obj._meta, "child_relations", ()):
        if not _published(relation):
            continue
        name = capfirst(str(relation.related_model._meta.verbose_name))
        for index, child in enumerate(getattr(obj, relation.get_accessor_name()).all()):
            child_label = _("%(parent)s第%(n)d项 › ") % {"parent": f"{label}{name}", "n": index + 1}
            _walk_object(child, child_label, add, add_html)


def _walk_block(block, raw, where, add, add_html):
    if raw is None:
        return
    if isinstance(block, blocks.BaseStreamBlock):
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, dict) and item.get("type") in block.child_blocks:
                child = block.child_blocks[item["type"]]
                _walk_block(child, item.get("value"), f"{where} › {child.label or item['type']}", add, add_html)
    elif isinstance(block, blocks.ListBlock):
        for item in raw if isinstance(raw, list) else []:
            value = item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
            _walk_block(block.child_block, value, where, add, add_html)
    elif isinstance(block, blocks.BaseStructBlock):
        for name, child in block.child_blocks.items():
            if not isinstance(raw, dict) or name not in raw:
                continue
            if name in URL_KEYS and isinstance(child, blocks.FieldBlock) and isinstance(raw[name], str):
                add(f"{where} › {child.label or name}", "url", raw[name])
            else:
                _walk_block(child, raw[name], f"{where} › {child.label or name}", add, add_html)
    elif isinstance(block, blocks.RichTextBlock):
        add_html(where, raw if isinstance(raw, str) else "")
    elif isinstance(block, blocks.PageChooserBlock):
        add(where, "page", raw)
    elif isinstance(block, DocumentChooserBlock):
        add(where, "document", raw)
    elif isinstance(block, blocks.URLBlock):
        add(where, "url", raw)


class Resolver:
    """Says why an internal target is broken, or "" when it is fine; answers are kept for the run."""

    def __init__(self):
        self.hosts = own_hosts()
        self.sites = {site.hostname.lower(): site for site in Site.objects.select_related("root_page")}
        self.default_site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
        self.live_pages = set()
        self.documents = set()
        self.paths = {}

    def load(self, links):
        self.live_pages, self.documents = set(), set()
        page_ids = {int(link.target) for link in links if link.kind == "page" and link.target.isdigit()}
        document_ids = {int(link.target) for link in links if link.kind == "document" and link.target.isdigit()}
        for chunk in _chunks(sorted(page_ids)):
            self.live_pages.update(Page.objects.filter(pk__in=chunk, live=True).values_list("pk", flat=True))
        for chunk in _chunks(sorted(document_ids)):
            for document in get_document_model().objects.filter(pk__in=chunk).only("pk", "file"):
                if document.file and document.file.storage.exists(document.file.name):
                    self.documents.add(document.pk)

    def page(self, target):
        return "" if target.isdigit() and int(target) in self.live_pages else _("链接的页面不存在或已下线")

    def document(self, target):
        if target.isdigit() and int(target) in self.documents:
            return ""
        if target.isdigit() and get_document_model().objects.filter(pk=int(target)).exists():
            return _("附件文件缺失")
        return _("链接的附件不存在")

    def is_internal(self, url):
        parts = urlsplit(url)
        return (not parts.scheme and not parts.netloc) or (parts.hostname or "").lower() in self.hosts

    def path(self, url):
        if url not in self.paths:
            self.paths[url] = self._path(url)
        return self.paths[url]

    def _path(self, url):
        parts = urlsplit(url)
        path = unquote(parts.path)
        if not path.startswith("/"):
            return ""  # relative to the page: rare in stored content and not resolvable without it
        try:
            match = resolve(path)
        except Resolver404:
            return _("站内地址不存在")
        if match.url_name == "wagtaildocs_serve":
            return self.document(str(match.args[0]))
        if match.url_name != "wagtail_serve":
            return ""
        site = self.sites.get((parts.hostname or "").lower(), self.default_site)
        if site is None:
            return _("站内地址不存在")
        # Routed as Wagtail serves it, so sub-pages of routable pages (e.g. a survey's results) count too.
        request = RequestFactory().get(path, HTTP_HOST=site.hostname)
        request.user = AnonymousUser()
        try:
            site.root_page.specific.route(request, [component for component in path.split("/") if component])
        except Http404:
            return _("站内地址不存在")
        return ""


def _chunks(items):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def find_problems(unit_code=None, check_external=None):
    """(broken, hidden): Problems for every broken and every hidden link in live content.

    Internal targets are resolved per batch of pages, so memory holds one batch of links at a time (plus the
    links to other websites when those are checked).
    """
    if check_external is None:
        check_external = getattr(settings, "INSPECTION_CHECK_EXTERNAL_LINKS", False)
    resolver = Resolver()
    external = defaultdict(list)
    broken, hidden, batch = [], [], []
    for page in live_pages_by_type(unit_code):
        found, concealed = page_links(page, resolver.hosts)
        batch.extend(found)
        hidden.extend(Problem(page.pk, unit_of(page), where, href, reason) for where, href, reason in concealed)
        if len(batch) >= CHUNK * 4:
            broken.extend(_resolve(resolver, batch, external if check_external else None))
            batch = []
    broken.extend(_resolve(resolver, batch, external if check_external else None))
    if external:
        for url, status in ExternalLinkChecker().check_all(external).items():
            if status.broken:
                broken.extend(Problem(x.page_id, x.unit, x.where, url, status.detail) for x in external[url])
    return broken, hidden


def _resolve(resolver, links, external):
    """Problems of the internal links; links to other websites go into `external` (when it is not None)."""
    resolver.load(links)
    for link in links:
        if link.kind == "page":
            detail = resolver.page(link.target)
        elif link.kind == "document":
            detail = resolver.document(link.target)
        elif link.target.lower().startswith(SKIPPED_SCHEMES):
            continue
        elif resolver.is_internal(link.target):
            detail = resolver.path(link.target)
        else:
            if external is not None and urlsplit(link.target).scheme in ("http", "https"):
                external[link.target].append(link)
            continue
        if detail:
            yield Problem(link.page_id, link.unit, link.where, link.target, detail)
