"""The static mirror (`manage.py export_static DIR`, issue 17 §5) exported from the demo county.

The demo is exported once per module, with a public attachment on a live article and documents that only a
draft or a restricted page uses. The checks walk what the export wrote and what the database holds: every
live public page, every link in every exported page and stylesheet, every document.
"""

import hashlib
import html
import io
import json
import re
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.http import HttpResponseServerError
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site

from site_pages.mirror.addresses import MANIFEST_FILE, UNAVAILABLE_FILE, Address, html_file, local_address
from site_pages.mirror.export import export_static, public_pages
from site_pages.models import ArticlePage

# The mirror is files written from pages that the page tests render on both databases: SQLite's run covers it.
pytestmark = [pytest.mark.slow, pytest.mark.one_database]

LINK_ATTRIBUTES = ("href", "src", "poster", "action", "data")
CHART_ID = re.compile(r"chart-\d+")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)['"]?\s*\)""")


def _document(title, name, content):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def _attach(page, document):
    page.body.append(("attachment", {"document": document, "title": document.title}))
    page.save_revision().publish()


@pytest.fixture(scope="module")
def documents(demo_county_module, django_db_blocker):
    """A document on a live public article, one only on a draft, one only on a restricted page, one unused."""
    with django_db_blocker.unblock():
        restricted = PageViewRestriction.objects.first().page.specific
        article = ArticlePage.objects.live().public().first()
        draft = ArticlePage.objects.live().public().exclude(pk=article.pk).first()
        public = _document("公开附件", "mirror-public.pdf", b"%PDF-1.4\n% public attachment\n")
        only_draft = _document("草稿附件", "mirror-draft-only.docx", b"PK\x03\x04 draft")
        only_restricted = _document("受限附件", "mirror-restricted-only.docx", b"PK\x03\x04 restricted")
        _document("未使用附件", "mirror-unused.docx", b"PK\x03\x04 unused")
        _attach(article, public)
        if "body" in {f.name for f in restricted._meta.get_fields()}:
            _attach(restricted, only_restricted)
        draft.body.append(("attachment", {"document": only_draft, "title": only_draft.title}))
        draft.save_revision()  # saved, not published: the live page does not link it
        return {"public": public, "article": article}


@pytest.fixture(scope="module")
def mirror(documents, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("mirror") / "site"
    with django_db_blocker.unblock():
        summary = export_static(directory)
    return directory, summary


def _site():
    return Site.objects.get(is_default_site=True)


def _page_file(directory, page):
    return directory / html_file(Address(page.relative_url(_site())))


def _exported(directory, suffixes):
    return sorted(path for path in directory.rglob("*") if path.is_file() and path.suffix in suffixes)


def _links(path):
    """Every URL an exported page or stylesheet names: link attributes, srcset candidates, CSS url()."""
    text = path.read_text("utf-8")
    if path.suffix == ".css":
        return CSS_URL.findall(text)
    soup = BeautifulSoup(text, "html.parser")
    links = []
    for tag in soup.find_all(True):
        links += [tag[name] for name in LINK_ATTRIBUTES if isinstance(tag.get(name), str)]
        if tag.get("srcset"):
            links += [candidate.split()[0] for candidate in tag["srcset"].split(",") if candidate.strip()]
        links += CSS_URL.findall(tag.get("style") or "")
        if tag.name == "style" and tag.string:
            links += CSS_URL.findall(tag.string)
    return links


def _contents(directory):
    """What each file holds, less what a page or file generates anew on every request.

    Charts number their element ids per process (chart-N), and the bulletin's PDF and the spreadsheets are
    built on each download with their creation time inside, so those are compared by name only.
    """
    contents = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        name = str(path.relative_to(directory))
        if path.suffix in (".pdf", ".xlsx") and path.parent.name in ("pdf", "xlsx"):
            contents[name] = "generated on request"
        elif path.suffix == ".html":
            contents[name] = CHART_ID.sub("chart-N", path.read_text("utf-8"))
        else:
            contents[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return contents


def test_every_live_public_page_is_exported_with_its_title(demo_county, mirror):
    directory, summary = mirror
    pages = list(public_pages(_site()).specific())
    # No page of the demo links an address the site does not serve (a broken link would lead to the note page).
    assert len(pages) > 100 and summary.failures == [] and summary.missing == []
    for page in pages:
        path = _page_file(directory, page)
        assert path.is_file(), page.url_path
        assert html.escape(page.title, quote=False) in path.read_text("utf-8"), page.url_path
    assert summary.pages >= len(pages)


def test_drafts_private_restricted_pages_and_admin_are_absent(demo_county, mirror):
    directory, _summary = mirror
    site = _site()
    public = set(public_pages(site).values_list("pk", flat=True))
    hidden = Page.objects.descendant_of(site.root_page).exclude(pk__in=public)
    assert hidden.filter(live=False).exists() and PageViewRestriction.objects.exists()
    for page in hidden:
        assert not (directory / page.url_path.removeprefix(site.root_page.url_path)).exists(), page.url_path
    for prefix in ("admin", "django-admin", "_util", "search", "yxsqgk", "a11y"):
        assert not (directory / prefix).exists()


def test_every_local_link_resolves_to_a_file_in_the_mirror(demo_county, mirror):
    directory, _summary = mirror
    checked = 0
    for path in _exported(directory, {".html", ".css"}):
        for link in _links(path):
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")) or not link.strip():
                continue
            assert not link.startswith("/"), f"{path}: {link}"
            target = (path.parent / unquote(parts.path)).resolve()
            assert directory in target.parents and target.is_file(), f"{path.relative_to(directory)}: {link}"
            checked += 1
    assert checked > 1000


def test_no_absolute_link_to_the_site_itself_remains(demo_county, mirror):
    directory, _summary = mirror
    hosts = {urlsplit(_site().root_url).netloc, _site().hostname}
    for path in _exported(directory, {".html", ".css"}):
        for link in _links(path):
            assert urlsplit(link).netloc not in hosts, f"{path}: {link}"
        assert _site().root_url not in path.read_text("utf-8")


def test_public_documents_are_exported_as_served_and_private_files_never(demo_county, mirror, documents):
    directory, _summary = mirror
    public = documents["public"]
    page_html = _page_file(directory, documents["article"]).read_text("utf-8")
    served = Client().get(public.url)
    assert served.status_code == 200
    exported = directory / unquote(public.url).lstrip("/")
    assert exported.read_bytes() == b"".join(served.streaming_content)
    assert exported.name in page_html
    names = {path.name for path in directory.rglob("*")}
    assert not {"mirror-draft-only.docx", "mirror-restricted-only.docx", "mirror-unused.docx"} & names
    for document in get_document_model().objects.exclude(pk=public.pk):
        assert not (directory / unquote(document.url).lstrip("/")).exists()
    # Files are published as the web server publishes them: renditions, never originals or document storage.
    assert (directory / "media" / "images").is_dir()
    assert not (directory / "media" / "original_images").exists()
    assert not (directory / "media" / "documents").exists()


def test_services_lead_to_a_note_page_and_forms_carry_no_token(demo_county, mirror):
    directory, _summary = mirror
    note = directory / UNAVAILABLE_FILE
    assert "镜像站点不提供此项服务" in note.read_text("utf-8")
    home = BeautifulSoup((directory / "index.html").read_text("utf-8"), "html.parser")
    assert home.find("form", class_="search-form")["action"] == UNAVAILABLE_FILE
    assert home.find("a", href=lambda href: href and "yxsqgk" in href) is None
    for path in _exported(directory, {".html"}):
        text = path.read_text("utf-8")
        assert "csrfmiddlewaretoken" not in text, path
        soup = BeautifulSoup(text, "html.parser")
        for form in soup.find_all("form"):
            assert (path.parent / form["action"]).resolve() == note.resolve() and form["method"] == "get"


def test_second_export_is_idempotent_and_removes_what_it_wrote_before(demo_county, mirror):
    directory, _summary = mirror
    before = _contents(directory)
    manifest = directory / MANIFEST_FILE
    listed = json.loads(manifest.read_text("utf-8"))
    listed["files"].append("old/gone/index.html")
    manifest.write_text(json.dumps(listed), "utf-8")
    stale = directory / "old" / "gone" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("written by an earlier export", "utf-8")
    out = io.StringIO()
    # As in production, where plain HTTP is redirected to HTTPS: the export asks over HTTPS.
    with override_settings(SECURE_SSL_REDIRECT=True):
        call_command("export_static", str(directory), stdout=out)
    assert not (directory / "old").exists()
    assert _contents(directory) == before
    assert re.fullmatch(r"静态镜像已导出：页面 \d+ 个，文件 \d+ 个，共 \d+ 字节，用时 [\d.]+ 秒。\n", out.getvalue())


def test_a_foreign_directory_is_refused_unless_forced_and_a_page_not_served_fails_the_run(
    demo_county, tmp_path, monkeypatch
):
    foreign = tmp_path / "www"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours", "utf-8")
    with pytest.raises(CommandError, match="不是空目录.*--force"):
        call_command("export_static", str(foreign), stdout=io.StringIO())
    with pytest.raises(CommandError, match="不是目录"):
        call_command("export_static", str(foreign / "keep.txt"), "--force", stdout=io.StringIO())
    assert sorted(p.name for p in foreign.iterdir()) == ["keep.txt"]
    broken = ArticlePage.objects.live().public().order_by("path").last()
    serve = ArticlePage.serve

    def failing_serve(page, request, *args, **kwargs):
        if page.pk == broken.pk:
            return HttpResponseServerError("broken")
        return serve(page, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "serve", failing_serve)
    err = io.StringIO()
    with pytest.raises(CommandError, match="有 1 个公开页面未能导出"):
        call_command("export_static", str(foreign), "--force", stdout=io.StringIO(), stderr=err)
    assert broken.url_path.removeprefix(_site().root_page.url_path) in err.getvalue() and "500" in err.getvalue()
    # The rest of the site is written all the same; the file it did not write is left alone.
    assert (foreign / "keep.txt").read_text("utf-8") == "not ours" and (foreign / "index.html").is_file()
    assert not _page_file(foreign, broken).exists()
    assert "keep.txt" not in json.loads((foreign / MANIFEST_FILE).read_text("utf-8"))["files"]


def test_file_names_of_pages_queries_and_unsafe_paths():
    assert html_file(Address("/")) == "index.html"
    assert html_file(Address("/a/b/")) == "a/b/index.html"
    assert re.fullmatch(r"a/index-page_2-[0-9a-f]{8}\.html", html_file(Address("/a/", "page=2")))
    assert local_address("http://127.0.0.1:8000/a/?x=1#top", "/", {"127.0.0.1:8000"}) == (Address("/a/", "x=1"), "top")
    assert local_address("../c/", "/a/b/", set()) == (Address("/a/c/"), "")
    assert local_address("/a/%2e%2e/%2e%2e/etc/passwd", "/", set()) is None
    assert local_address("https://other.example/a/", "/", {"127.0.0.1:8000"}) is None
    assert local_address("mailto:x@example.com", "/", set()) is None
