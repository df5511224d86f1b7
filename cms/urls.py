from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms.mediastorage import serve_rendition
from cms.security import login as security_login
from site_pages import serving as site_serving
from site_pages import views as site_views
from workflows import editor as workflow_editor

urlpatterns = [
    # The admin's login with lockout and two-factor steps; before Wagtail's own so that it wins.
    path("admin/login/", security_login.LoginView.as_view(), name="wagtailadmin_login"),
    path("admin/login/verify/", security_login.VerifyView.as_view(), name="security_otp_verify"),
    path("admin/login/enrol/", security_login.EnrolView.as_view(), name="security_otp_enrol"),
    # 设置 › 工作流 refuses a workflow without an independent sign-off stage; before Wagtail's own so that it wins.
    path("admin/workflows/add/", require_admin_access(workflow_editor.Create.as_view())),
    path("admin/workflows/edit/<int:pk>/", require_admin_access(workflow_editor.Edit.as_view())),
    path("admin/", include(wagtailadmin_urls)),
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

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's front-end login (pages restricted to signed-in users) with the same steps as the admin's;
    # before wagtail.urls so that it wins.
    path("_util/login/", security_login.FrontendLoginView.as_view(), name="wagtailcore_login"),
    # Wagtail's page serving with the site and portal settings from the listing cache (site_pages.serving).
    path("", include(site_serving.urlpatterns)),
]

handler500 = "site_pages.views.server_error"
