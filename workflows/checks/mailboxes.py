"""Organisations' mailboxes: gov.cn and the domains in the 公开邮箱域名 list are not personal data."""

from django.core.cache import cache

CACHE_KEY = "workflows.checks.public_mailbox_domains"
CACHE_SECONDS = 300
BUILT_IN_DOMAINS = ("gov.cn",)


def public_mailbox_domains():
    """Active domains of the list, cached (saves and deletes clear the cache through signals)."""
    domains = cache.get(CACHE_KEY)
    if domains is None:
        from workflows.models import PublicMailboxDomain

        domains = frozenset(PublicMailboxDomain.objects.filter(active=True).values_list("domain", flat=True))
        cache.set(CACHE_KEY, domains, CACHE_SECONDS)
    return domains


def invalidate_public_mailbox_domains(**kwargs):
    cache.delete(CACHE_KEY)


def _matches(host, suffix):
    return host == suffix or host.endswith("." + suffix)


def is_public_mailbox(domain):
    """An organisation's mail domain: gov.cn or a listed domain, each with its subdomains."""
    host = domain.lower().rstrip(".")
    if any(_matches(host, suffix) for suffix in BUILT_IN_DOMAINS):
        return True
    return any(_matches(host, suffix) for suffix in public_mailbox_domains())
