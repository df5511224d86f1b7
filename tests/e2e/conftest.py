"""Fixtures for the browser smoke tests: Debian's headless Chromium driven by Playwright's sync API.

Nothing is downloaded: the browser is /usr/bin/chromium and axe-core comes from npm (node_modules).
When either is missing the tests are skipped, or fail when E2E_REQUIRED=1 (CI must not skip silently).

How the pieces fit (and why the browser is started per test, after the demo is in place):

* The live server runs in another thread, so it sees only what is committed: a browser test runs outside any
  transaction, on its own copy of the demo county (seeded once per run, tests/dbtemplate.py), which
  ``demo_site`` replaces by a copy of the migrated database afterwards. Two copies instead of pytest-django's
  transactional tests, whose flush and restore of the migrated rows cost 2.3 s a test on PostgreSQL and were
  thrown away by the copy of the demo. ``e2e_server`` is pytest-django's live server under another name:
  asking for ``live_server`` makes pytest-django turn the test into a transactional one.
* Playwright's sync API keeps an asyncio event loop registered as *running* in the main thread for as
  long as Playwright is started. While it is, Django refuses ORM calls (SynchronousOnlyOperation) unless
  DJANGO_ALLOW_ASYNC_UNSAFE is set, and ``django.db.connections`` then hands out *another* connection
  object (asgiref's thread-critical Local switches to context-variable storage). So Playwright starts only
  after the copy and stops before the database is replaced: the copies happen with no event loop around.
* DJANGO_ALLOW_ASYNC_UNSAFE=true is still set for the browser's lifetime (a test that queries the ORM
  while the page is open must not crash), but only then: set for the whole run, it leaked into
  tests/test_settings.py, whose `manage.py check --deploy` subprocess then reports async.E001.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests import dbtemplate
from tests.prerequisites import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Offline by the browser itself: every request but one to the loopback (the live server) goes to a proxy
    # on a port where nothing listens, and fails. Playwright's routing would do it per request through its
    # driver, and routing switches the browser's HTTP cache off, so each admin page fetched its scripts again.
    "--proxy-server=http://127.0.0.1:9",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "e2e-screenshots"
VIEWPORT = {"width": 1280, "height": 800}
# Generous for a loaded CI machine, short enough that a hang fails the run quickly.
TIMEOUT_MS = 15_000


def _unavailable(reason):
    """Skip, or fail when the environment promises a browser (E2E_REQUIRED=1, or CI)."""
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"E2E_REQUIRED=1 but {reason}", pytrace=False)
    unavailable(reason)


# Autouse and session-scoped, so that a missing browser skips before the test database is built.
@pytest.fixture(scope="session", autouse=True)
def e2e_prerequisites():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} not found or not executable (apt-get install chromium fonts-noto-cjk)")
    if not AXE_JS.is_file():
        _unavailable(f"{AXE_JS} not found (run `npm ci` in {settings.BASE_DIR})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    return {"axe": AXE_JS, "screenshots": SCREENSHOT_DIR}


@pytest.fixture
def browser(e2e_prerequisites, demo_site, monkeypatch):
    """Headless Chromium, started after demo_site's copy and stopped before the database is replaced (see above)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser"
            _unavailable(f"{CHROMIUM} could not be started: {exc}")
        yield chromium
        chromium.close()
        # The test's own ORM calls while the browser ran used a connection of the event loop's context,
        # which outlives the test; closed here, it cannot keep the database busy or go stale.
        connections.close_all()


@pytest.fixture(scope="session")
def e2e_server(request, django_db_setup):
    """pytest-django's live server, on the address its option or environment variable gives."""
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture
def demo_site(e2e_server, e2e_prerequisites, django_db_blocker):
    """The live server on a copy of the demo county, which the test changes without a transaction and which is
    replaced by a copy of the migrated database afterwards (see above)."""
    with django_db_blocker.unblock():
        dbtemplate.use_demo_database()
        e2e_server._live_server_modified_settings.enable()
        try:
            yield e2e_server
        finally:
            e2e_server._live_server_modified_settings.disable()
            dbtemplate.use_migrated_database()


class RequestLog:
    """Every URL the browser requested, and every response with an error status."""

    def __init__(self):
        self.urls = []
        self.failed = []

    def on_request(self, request):
        self.urls.append(request.url)

    def on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def on_request_failed(self, request):
        self.failed.append(f"{request.failure} {request.url}")


@pytest.fixture
def context(browser, demo_site):
    """A fresh browser context (no cookies) per test. Requests to any other host than the live
    server fail (CHROMIUM_ARGS), so the suite never touches the internet whatever a template links to; they
    are still recorded in context.request_log (see assert_stayed_on_site in test_smoke.py)."""
    ctx = browser.new_context(base_url=demo_site.url, viewport=VIEWPORT, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    log = RequestLog()
    ctx.on("request", log.on_request)
    ctx.on("response", log.on_response)
    ctx.on("requestfailed", log.on_request_failed)
    ctx.request_log = log
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def run_axe(e2e_prerequisites):
    """Injects axe-core into the current document and returns axe.run()'s results.

    Evaluated through the DevTools protocol rather than added as a <script> tag: the public site's
    Content-Security-Policy (rightly) refuses inline scripts, and a test tool must not need it relaxed.

    Running transitions are first brought to their end: axe measures contrast as painted, and the admin's
    messages fade in over half a second, so on a loaded machine it measured a half-transparent message
    (infinite animations refuse finish() and are left running)."""
    source = e2e_prerequisites["axe"].read_text(encoding="utf-8")

    def run(page):
        page.evaluate("document.getAnimations().forEach((a) => { try { a.finish(); } catch (e) {} })")
        page.evaluate(source)
        return page.evaluate("axe.run()")

    return run


@pytest.fixture(scope="session")
def screenshot_dir(e2e_prerequisites):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
