"""A fixed-window counter per client address in Django's cache (Redis in production, so the
limit holds across worker processes). No third-party service is contacted."""

from django.conf import settings
from django.core.cache import cache

from cms.security.client_ip import client_ip

DEFAULT_LIMITS = {
    # successful submissions of the public request form per address
    "submit": (5, 3600),
    # failed status look-ups per address: the secret is random, this only slows guessing down
    "status": (20, 3600),
}


def _limit(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "DISCLOSURE_REQUEST_RATE_LIMITS", {})}
    return limits[scope]


def _key(scope, address):
    return f"disclosure-requests:rate:{scope}:{address}"


def exceeded(scope, request):
    count, _window = _limit(scope)
    return (cache.get(_key(scope, client_ip(request))) or 0) >= count


def record(scope, request):
    _count, window = _limit(scope)
    key = _key(scope, client_ip(request))
    # add() starts the window only if none is running; incr() is atomic in both cache backends.
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window)


def window_minutes(scope):
    return _limit(scope)[1] // 60
