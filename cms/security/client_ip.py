"""The client's address: the one answer used by the audit log, the login lockout (django-axes,
AXES_CLIENT_IP_CALLABLE) and the public rate limits. No other module reads REMOTE_ADDR or a proxy header
(tests/security/test_client_ip.py enforces it).

Settings: ``CLIENT_IP_META_KEY`` names where the address comes from: ``REMOTE_ADDR`` (no proxy), a header a
trusted proxy sets to one value (``HTTP_X_REAL_IP``), or ``HTTP_X_FORWARDED_FOR``. Each proxy appends its
peer's address to X-Forwarded-For and the last proxy is REMOTE_ADDR, so with ``TRUSTED_PROXY_COUNT`` proxies
the client is the right-most entry the other TRUSTED_PROXY_COUNT - 1 proxies did not write; everything to
the left of it was sent by the client and is ignored. django-ipware does the parsing (ports, IPv6 brackets,
IPv4-mapped addresses, garbage tokens).
"""

from django.conf import settings
from ipware import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
PEER = "REMOTE_ADDR"


def _from(request, key, proxies_in_header):
    # "left-most" is X-Forwarded-For's order (client first); the proxy count then picks from the right, and
    # non-strict lets a longer chain (entries the client prepended) through instead of discarding it.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies_in_header,
        request_header_order=[key],
        strict=False,
    )
    return address


def client_ip(request):
    """The client's address as text, or None when even the peer address is unusable (a Unix socket).

    A missing, malformed or too short proxy header gives the peer's address (the proxy's): the limits then
    hold that address rather than one the client chose, and the audit log still names where it came from.
    """
    if request is None:
        return None
    key = getattr(settings, "CLIENT_IP_META_KEY", PEER) or PEER
    if key != PEER:
        proxies_in_header = max(settings.TRUSTED_PROXY_COUNT - 1, 0) if key == FORWARDED_FOR else 0
        address = _from(request, key, proxies_in_header)
        if address:
            return address
    return _from(request, PEER, 0)
