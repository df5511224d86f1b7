"""An optional read replica of PostgreSQL for anonymous public page views (docs/deployment.md).

When ``DATABASE_REPLICA_URL`` is set, production settings add the "replica" alias, ``ReplicaRouter`` and
``PublicReadMiddleware``. The middleware marks a request as a public read only when nothing in it may depend on
the visitor's own recent writes or rights: GET or HEAD, outside the admin and the login views, without a session
cookie (a writer who has just sent a letter or a request holds its receipt in a session and must see it at once,
whatever the replica's lag) and not signed in. Only reads of marked requests go to the replica; every write, every
read after a write in the same request and every read inside a transaction go to the primary, as does everything
outside a request (management commands, scheduled jobs).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from cms.security.headers import is_admin_path

REPLICA_DB_ALIAS = "replica"
# Wagtail's front-end login and password forms for restricted pages.
PRIVATE_PATH_PREFIXES = ("/_util/",)

_public_read = ContextVar("cms_public_read", default=False)


def is_public_read(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if is_admin_path(request.path_info) or request.path_info.startswith(PRIVATE_PATH_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PublicReadMiddleware:
    """Sets the public-read flag for the view of a request that qualifies (see the module's doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Read your own writes: once a request writes, the rest of it reads the primary too.
        _public_read.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by PostgreSQL's replication, never by migrations.
        return db == DEFAULT_DB_ALIAS
