"""Admin URLs of the audit report; mounted under admin/audit/ by the register_admin_urls hook."""

from django.urls import path

from .audit_admin import AuditReportView

app_name = "security_audit"
urlpatterns = [
    path("", AuditReportView.as_view(), name="index"),
    path("results/", AuditReportView.as_view(results_only=True), name="index_results"),
]
