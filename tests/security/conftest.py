import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import TestCase

from cms.security.fingerprint import render_page
from cms.security.tamper import live_pages
from tests import module_data
from tests.factories import UnitFactory, make_column, make_content, make_home


def _publish(action, *args, **kwargs):
    """As the admin publishes: fingerprints are taken when the transaction commits (here, when the block ends)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action(*args, **kwargs)


@pytest.fixture
def published(db):
    """Publish like the admin does: fingerprints are taken when the transaction commits."""
    return _publish


@pytest.fixture(scope="module")
def site_tree_rows(module_db, django_db_blocker):
    """The published tree, made once for a module's tests (tests/module_data.py): each publication renders and
    fingerprints pages, about a second for the tree."""
    with django_db_blocker.unblock():
        unit = UnitFactory(name="安岳县石羊镇人民政府测试", short_name="石羊镇")
        other = UnitFactory(name="安岳县龙台镇人民政府测试", short_name="龙台镇")
        home = _publish(make_home)
        news = _publish(make_column, home, "新闻动态", unit, slug="xwdt")
        col_a = _publish(make_column, news, "石羊镇", unit, slug="sy")
        col_b = _publish(make_column, news, "龙台镇", other, slug="lt")
        article = _publish(make_content, col_a, title="石羊镇召开春耕生产会", text="春耕生产正当时。", slug="chungeng")
    return {"home": home, "news": news, "a": col_a, "b": col_b, "article": article}


@pytest.fixture
def site_tree(request, site_tree_rows, db):
    return module_data.copy_for(request, site_tree_rows)


class FakeSite:
    """A stand-in for the running site: serves whatever HTML the test put at each path."""

    def __init__(self):
        self.pages = {}
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = site.pages.get(self.path, (404, "<html><body>not found</body></html>"))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def serve_current(self):
        """What the real site would serve now: every live page rendered from the database."""
        self.pages.clear()
        for page in live_pages():
            url, html = render_page(page)
            self.pages[page.get_url_parts()[2]] = (200, html)

    def replace(self, page, old, new):
        path = page.get_url_parts()[2]
        status, html = self.pages[path]
        assert old in html
        self.pages[path] = (status, html.replace(old, new, 1))


@pytest.fixture
def fake_site():
    site = FakeSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def integrity_files(tmp_path, settings):
    """A small template tree and manifest outside the project, so tests never touch real files."""
    templates = tmp_path / "templates"
    (templates / "site").mkdir(parents=True)
    (templates / "site" / "page.html").write_text("<main>{{ page.title }}</main>", encoding="utf-8")
    (templates / "site" / "list.html").write_text("<ul></ul>", encoding="utf-8")
    settings.SECURITY_INTEGRITY_PATHS = [templates]
    settings.SECURITY_INTEGRITY_MANIFEST = tmp_path / "manifest.json"
    return templates
