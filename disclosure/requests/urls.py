from django.urls import path

from . import views

app_name = "disclosure_requests"

urlpatterns = [
    path("", views.request_form, name="form"),
    path("receipt/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
]
