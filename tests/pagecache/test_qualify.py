"""Which requests the page cache answers, remembered by what Django reads of their environ (cms.pagecache.qualify).

The remembered answer is only right while it depends on nothing but ``ENVIRON_READ``: the first test records
every environ key Django reads to decide and to build the key, under each setting that changes what it reads, so
a Django upgrade or a new rule that reads another key fails here instead of serving one visitor's page to another.
"""

import itertools
from io import BytesIO

import pytest
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from cms.pagecache import qualify
from cms.pagecache.keys import page_key
from cms.pagecache.qualify import ENVIRON_READ, REMEMBERED, cacheable_request, request_key

# Read by WSGIRequest for the body (its stream and encoding), which neither the decision nor the key uses; and
# the credentials, whose presence alone refuses the request before anything is remembered.
READ_FOR_THE_BODY = {"wsgi.input", "CONTENT_LENGTH", "CONTENT_TYPE", "HTTP_AUTHORIZATION"}
SETTINGS_THAT_CHANGE_READS = [
    {},
    {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
    {"USE_X_FORWARDED_HOST": True},
    {"USE_X_FORWARDED_PORT": True, "USE_X_FORWARDED_HOST": True},
    {"FORCE_SCRIPT_NAME": "/portal"},
    {"PAGE_CACHE_VARY_COOKIES": ()},
]
VARIANTS = {
    "REQUEST_METHOD": ["GET", "HEAD", "POST"],
    "PATH_INFO": ["/", "/xwdt/ayyw/", "/admin/pages/", "/static/a.css", "/%E6%96%B0/"],
    "QUERY_STRING": ["", "page=2&q=a", "q=a&page=2"],
    "HTTP_COOKIE": [None, "large_text=1", "csrftoken=abc", "sessionid=x", "large_text=1; sessionid=x"],
    "HTTP_HOST": ["testserver", "testserver:80"],
    "HTTP_X_FORWARDED_PROTO": [None, "https"],
}


class RecordingEnviron(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def environ(**values):
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
    }
    base.update({name: value for name, value in values.items() if value is not None})
    return base


def combinations():
    names = list(VARIANTS)
    for values in itertools.product(*(VARIANTS[name] for name in names)):
        yield dict(zip(names, values, strict=True))


def direct(values):
    """The answer as Django computes it, nothing remembered."""
    request = WSGIRequest(environ(**values))
    return page_key(request) if cacheable_request(request) else None


@pytest.mark.parametrize("overrides", SETTINGS_THAT_CHANGE_READS, ids=lambda o: ",".join(o) or "defaults")
def test_the_answer_depends_on_nothing_of_the_environ_but_what_is_remembered(settings, overrides):
    for name, value in overrides.items():
        setattr(settings, name, value)
    allowed = set(ENVIRON_READ) | READ_FOR_THE_BODY
    if settings.SECURE_PROXY_SSL_HEADER:
        allowed.add(settings.SECURE_PROXY_SSL_HEADER[0])
    read = set()
    for values in combinations():
        recorded = RecordingEnviron(environ(**values))
        request = WSGIRequest(recorded)
        if cacheable_request(request):
            page_key(request)
        read |= recorded.read
    assert read <= allowed, f"Django reads {sorted(read - allowed)} for the answer: add them to ENVIRON_READ"


@pytest.mark.parametrize("overrides", SETTINGS_THAT_CHANGE_READS, ids=lambda o: ",".join(o) or "defaults")
def test_the_remembered_answer_is_the_one_django_gives(settings, overrides):
    for name, value in overrides.items():
        setattr(settings, name, value)
    for _round in range(2):  # the second round answers from what the first remembered
        for values in combinations():
            assert request_key(environ(**values)) == direct(values), values


def test_a_changed_setting_is_answered_at_once(settings):
    with_cookie = environ(HTTP_COOKIE="large_text=1")
    assert request_key(with_cookie) is not None
    settings.PAGE_CACHE_VARY_COOKIES = ()
    assert request_key(with_cookie) is None
    settings.ALLOWED_HOSTS = ["portal.example"]
    with pytest.raises(DisallowedHost):
        request_key(environ())


def test_a_host_not_allowed_is_never_remembered(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    for _ in range(2):
        with pytest.raises(DisallowedHost):
            request_key(environ(HTTP_HOST="evil.example"))


def test_credentials_and_previews_are_never_answered():
    assert request_key(environ(HTTP_AUTHORIZATION="Basic dTpw")) is None
    preview = WSGIRequest(environ())
    preview.is_dummy = True
    assert request_key(preview.META, preview) is None
    assert request_key(environ()) is not None


def test_what_is_remembered_stays_bounded():
    for number in range(REMEMBERED + 10):
        request_key(environ(QUERY_STRING=f"q={number}"))
    assert 0 < len(qualify._answers.known) <= REMEMBERED


def test_a_request_answered_before_builds_no_django_request(monkeypatch):
    built = []
    monkeypatch.setattr(qualify, "WSGIRequest", lambda environ: built.append(1) or WSGIRequest(environ))
    first = request_key(environ(PATH_INFO="/built-once/"))
    assert request_key(environ(PATH_INFO="/built-once/")) == first
    assert built == [1]
