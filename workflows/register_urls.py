"""Admin URLs for the publication register; mounted under admin/register/ by the register_admin_urls hook."""

from django.urls import path

from . import register

app_name = "workflows_register"
urlpatterns = [
    path("", register.RegisterView.as_view(), name="index"),
    path("results/", register.RegisterView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", register.ApprovalFormView.as_view(), name="form"),
    path("<int:pk>/pdf/", register.ApprovalFormPdfView.as_view(), name="form_pdf"),
    path("rejections/", register.RejectionsView.as_view(), name="rejections"),
    path("rejections/results/", register.RejectionsView.as_view(results_only=True), name="rejections_results"),
]
