"""Which requests the page cache may answer, and under which key; remembered by what of a request they depend on.

A request qualifies (``cacheable_request``) when it is a GET or HEAD outside the admin, documents, media, logins
and the API, and carries no cookie but the CSRF cookie and the cookies that are part of the key
(``PAGE_CACHE_VARY_COOKIES``): a session, a pending message or any other cookie means the page may be someone's
own. Its key is ``keys.page_key``.

Building a Django request and its key was about half of what a hit cost in Python. Both depend only on a few
values of the WSGI environ (``ENVIRON_READ``) and on the settings, so ``request_key`` remembers the answer by those
values: a hit then builds no request. tests/pagecache/test_qualify.py records what Django reads of the environ
for the answer, under every setting that changes what it reads, and fails when that is anything else; the
answers are forgotten whenever a setting changes.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed

from .keys import page_key

# Paths whose answer depends on who asks, or that are never a public page.
EXCLUDED_PREFIXES = (
    "/admin/",  # Wagtail's admin, its login and two-factor steps, the admin API
    "/django-admin/",
    "/documents/",  # documents are checked per download (cms.security.docserve)
    "/media/",
    "/static/",
    "/_util/",  # Wagtail's front-end login and page-password forms
    "/api/",
    "/a11y/",  # sets the large-text cookie
)
# What WSGIRequest, cacheable_request and page_key read of the environ. The header of SECURE_PROXY_SSL_HEADER is
# added from the settings. A request with credentials (HTTP_AUTHORIZATION) is never remembered nor answered.
ENVIRON_READ = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "SCRIPT_URL",
    "REDIRECT_URL",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_COOKIE",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
)
# Answers remembered at most; a client making up a new query string each time only empties them now and then.
REMEMBERED = 4096


def cacheable_cookies():
    return {settings.CSRF_COOKIE_NAME, *settings.PAGE_CACHE_VARY_COOKIES}


def cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    if request.COOKIES and not cacheable_cookies().issuperset(request.COOKIES):
        return False
    # A preview (Wagtail runs a simulated request through the middleware) shows a draft.
    return "HTTP_AUTHORIZATION" not in request.META and not getattr(request, "is_dummy", False)


class _Answers:
    def __init__(self):
        self.forget()

    def forget(self, **_kwargs):
        self.names = None
        self.known = {}

    def key(self, environ, request=None):
        if "HTTP_AUTHORIZATION" in environ or (request is not None and getattr(request, "is_dummy", False)):
            return None
        names = self.names or self._names()
        signature = tuple(map(environ.get, names))
        try:
            return self.known[signature]
        except KeyError:
            pass
        request = request if request is not None else WSGIRequest(environ)
        # A host not allowed raises here, and is never remembered.
        key = page_key(request) if cacheable_request(request) else None
        if len(self.known) >= REMEMBERED:
            self.known.clear()
        self.known[signature] = key
        return key

    def _names(self):
        proxy_header = settings.SECURE_PROXY_SSL_HEADER
        self.names = ENVIRON_READ + ((proxy_header[0],) if proxy_header else ())
        return self.names


_answers = _Answers()
setting_changed.connect(_answers.forget)


def request_key(environ, request=None):
    """The page cache's key for the request of ``environ`` (``request`` when one is built), or None when the cache
    may not answer it."""
    return _answers.key(environ, request)
