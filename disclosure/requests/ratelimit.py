"""A fixed-window counter per client address (cms.security.client_ip) in Django's "strict" cache (Redis in
production, so the limit holds across worker processes). While the cache is unreachable the windows are
counted in the database instead, so an outage neither opens the limit nor fails the form. No third-party
service is contacted."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cms.outages import CACHE_ERRORS
from cms.security.client_ip import client_ip

from .models import RateLimitWindow

DEFAULT_LIMITS = {
    # successful submissions of the public request form per address
    "submit": (5, 3600),
    # failed status look-ups per address: the secret is random, this only slows guessing down
    "status": (20, 3600),
    # successful fake-account reports (newmedia, 假冒账号举报) per address
    "newmedia_report": (5, 3600),
    # questions submitted to an online interview (site_pages, 在线访谈) per address
    "interview_question": (5, 3600),
    # letters to the message boards (site_pages.letters), per address and per writer's mobile
    "letter": (5, 3600),
    "letter_mobile": (3, 86400),
    # failed letter status look-ups per address
    "letter_query": (20, 3600),
    # accepted survey answers (site_pages, 征集调查) per address: a household or office may share one address
    "survey": (30, 3600),
}


def _limit(scope):
    limits = {**DEFAULT_LIMITS, **getattr(settings, "DISCLOSURE_REQUEST_RATE_LIMITS", {})}
    return limits[scope]


def _key(scope, address):
    return f"disclosure-requests:rate:{scope}:{address}"


def _stored_count(key):
    try:
        return caches["strict"].get(key) or 0
    except CACHE_ERRORS:
        window = RateLimitWindow.objects.filter(key=key, expires_at__gt=timezone.now()).first()
        return window.count if window else 0


def _count_in_cache(key, window):
    cache = caches["strict"]
    # add() starts the window only if none is running; incr() is atomic in both cache backends.
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window)


def _count_in_database(key, window):
    now = timezone.now()
    with transaction.atomic():
        RateLimitWindow.objects.filter(expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                RateLimitWindow.objects.get_or_create(key=key, defaults={"expires_at": now + timedelta(seconds=window)})
        except IntegrityError:
            pass  # another worker opened this window first; the UPDATE below still counts
        RateLimitWindow.objects.filter(key=key).update(count=F("count") + 1)


def exceeded(scope, request, identity=None):
    """`identity` counts something other than the address (e.g. a hashed mobile number)."""
    count, _window = _limit(scope)
    return _stored_count(_key(scope, identity or client_ip(request))) >= count


def record(scope, request, identity=None):
    _count, window = _limit(scope)
    key = _key(scope, identity or client_ip(request))
    try:
        _count_in_cache(key, window)
    except CACHE_ERRORS:
        _count_in_database(key, window)


def window_minutes(scope):
    return _limit(scope)[1] // 60
