"""Page cache hits answered in front of Django's request handling.

For a stored page Django's handler still builds the request, sends request_started and request_finished (which
check or close database connections) and runs the middleware chain down to PageCacheMiddleware. This WSGI
wrapper looks the page up with the middleware's own rules and key (``lookup``) and answers a hit itself, so a
cached page costs little more than a static file. Everything else, misses and storing included, goes to Django;
where the wrapper is not in front (the test client, another server), the middleware answers hits the same way,
the stored page's per-hit action included (``run_on_hit``).
"""

from .middleware import HEADER, LOOKUP_ENVIRON_KEY, lookup_environ, run_on_hit


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        found = self._lookup(environ)
        if found is None or found[3] is None:
            # A miss: the middleware renders and stores under this lookup instead of reading the cache again.
            environ[LOOKUP_ENVIRON_KEY] = found
            return self.application(environ, start_response)
        _generation, content, headers, on_hit = found[3]
        if on_hit is not None:
            run_on_hit(on_hit, environ.get("REQUEST_METHOD"))
        start_response("200 OK", [*headers, (HEADER, "hit")])
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [content]

    @staticmethod
    def _lookup(environ):
        try:
            return lookup_environ(environ)
        except Exception:  # noqa: BLE001 - a host not allowed, a malformed request: Django answers it in full
            return None
