"""The URLs an anonymous visitor can reach: all but the admin's, which load about forty Wagtail admin modules.

Routing and reverse() read a whole URLconf on first use, so a public page under the full one (cms.urls) loaded the
admin's URLs too, in every worker's first request (issue 17 §2, cold start). PublicUrlconfMiddleware routes an
anonymous GET or HEAD outside /admin/ by this one; cms.urls is these patterns with the admin's put among them.
"""

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.documents import urls as wagtaildocs_urls

from cms.mediastorage import serve_rendition
from cms.security import login as security_login
from site_pages import serving as site_serving
from site_pages import views as site_views

ADMIN_PREFIX = "/admin/"
SAFE_METHODS = ("GET", "HEAD")

# The admin's login with lockout and two-factor steps; before Wagtail's own (cms.urls) so that it wins.
logins = [
    path("admin/login/", security_login.LoginView.as_view(), name="wagtailadmin_login"),
    path("admin/login/verify/", security_login.VerifyView.as_view(), name="security_otp_verify"),
    path("admin/login/enrol/", security_login.EnrolView.as_view(), name="security_otp_enrol"),
]

site = [
    path("documents/", include(wagtaildocs_urls)),
    path("search/", site_views.search, name="search"),
    path("a11y/large-text/", site_views.toggle_large_text, name="toggle_large_text"),
    path("yxsqgk/", include("disclosure.requests.urls")),
    # Image renditions when the media are not on this machine's disk (MEDIA_STORAGE=s3); on disk nginx
    # serves the same addresses itself (deploy/nginx/cms.conf).
    path(f"{settings.MEDIA_URL.lstrip('/')}images/<path:name>", serve_rendition, name="media_rendition"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.ico", permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    site += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

site += [
    # Wagtail's front-end login (pages restricted to signed-in users) with the same steps as the admin's;
    # before wagtail.urls so that it wins.
    path("_util/login/", security_login.FrontendLoginView.as_view(), name="wagtailcore_login"),
    # Wagtail's page serving with the site and portal settings from the listing cache (site_pages.serving).
    path("", include(site_serving.urlpatterns)),
]

urlpatterns = logins + site

handler500 = "site_pages.views.server_error"


class PublicUrlconfMiddleware:
    """Routes an anonymous GET or HEAD outside /admin/ by this URLconf (after AuthenticationMiddleware).

    Those are the page views. A signed-in user's pages link into the admin and /admin/ is the admin; a form sent by
    a visitor (a letter, a report, a request) tells the offices by links into the admin: they keep ROOT_URLCONF."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in SAFE_METHODS
            and not request.path_info.startswith(ADMIN_PREFIX)
            and not request.user.is_authenticated
        ):
            request.urlconf = __name__
        return self.get_response(request)
