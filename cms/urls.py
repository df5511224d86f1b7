from django.urls import path
from wagtail.admin.auth import require_admin_access

from cms import public_urls
from workflows import editor as workflow_editor

urlpatterns = [
    *public_urls.logins,
    # 设置 › 工作流 refuses a workflow without an independent sign-off stage; before Wagtail's own so that it wins.
    path("admin/workflows/add/", require_admin_access(workflow_editor.Create.as_view())),
    path("admin/workflows/edit/<int:pk>/", require_admin_access(workflow_editor.Edit.as_view())),
    # Named, not included: the admin's URLs are imported when a request first needs them (cms.public_urls).
    path("admin/", ("wagtail.admin.urls", None, None)),
    *public_urls.site,
]

handler500 = public_urls.handler500
