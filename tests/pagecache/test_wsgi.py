"""Hits answered in front of Django (cms.pagecache.wsgi): same pages, same rules, nothing else reaches Django."""

from io import BytesIO
from wsgiref.headers import Headers

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cms.pagecache.middleware import HEADER
from cms.pagecache.wsgi import PageCacheApplication

pytestmark = pytest.mark.django_db


class Recorder:
    """The Django application behind the wrapper, counting what reaches it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def app():
    # As Django's test client does: the test's transaction must outlive each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        recorder = Recorder()
        yield PageCacheApplication(recorder), recorder
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def call(application, path, method="GET", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        **extra,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, Headers(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


def test_a_stored_page_is_answered_without_django(page_cache_on, portal, app):
    application, django = app
    first = call(application, portal["a"].url)
    assert first["headers"][HEADER] in ("miss", "skip") and django.calls == 1
    stored = call(application, portal["a"].url)
    if stored["headers"][HEADER] != "hit":  # the first render wrote (renditions): the second stores
        stored = call(application, portal["a"].url)
    calls = django.calls
    hit = call(application, portal["a"].url, QUERY_STRING="")
    assert hit["headers"][HEADER] == "hit" and django.calls == calls
    assert hit["status"] == "200 OK" and hit["body"] == stored["body"]
    for name in ("Content-Type", "Content-Security-Policy", "X-Content-Type-Options", "Content-Length"):
        assert hit["headers"][name] == stored["headers"][name]
    head = call(application, portal["a"].url, method="HEAD")
    assert head["headers"][HEADER] == "hit" and head["body"] == b"" and django.calls == calls


def test_what_the_middleware_would_not_serve_goes_to_django(page_cache_on, portal, app, settings):
    application, django = app
    for _ in range(3):
        call(application, portal["a"].url)
    calls = django.calls
    refused = [
        {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"HTTP_HOST": "evil.example"},
        {"REQUEST_METHOD": "POST"},
    ]
    for extra in refused:
        answer = call(application, portal["a"].url, **extra)
        assert answer["headers"].get(HEADER) != "hit", extra
    assert django.calls == calls + len(refused)
    assert call(application, "/admin/")["headers"].get(HEADER) is None


def test_switched_off_everything_goes_to_django(page_cache_on, portal, app, settings):
    application, django = app
    for _ in range(3):
        call(application, portal["a"].url)
    settings.PAGE_CACHE_ENABLED = False
    calls = django.calls
    assert call(application, portal["a"].url)["headers"].get(HEADER) is None
    assert django.calls == calls + 1


def test_a_miss_reads_the_shared_cache_once_front_and_middleware_together(page_cache_on, portal, app, monkeypatch):
    """The front's lookup of a page it cannot answer is handed to the middleware, which stores under it."""
    from django.core.cache.backends.locmem import LocMemCache

    application, _django = app
    reads = []
    get_many = LocMemCache.get_many
    monkeypatch.setattr(
        LocMemCache, "get_many", lambda cache, keys, *a, **k: reads.append(list(keys)) or get_many(cache, keys, *a, **k)
    )
    first = call(application, portal["a"].url)
    assert first["headers"][HEADER] in ("miss", "skip")
    assert len([keys for keys in reads if "pagecache:generation" in keys]) == 1
