"""Admin hooks of 征集调查: the results and export URLs, and a 调查结果 button on the owning unit's surveys."""

from django.urls import path
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [
        path("surveys/<int:page_id>/", admin_views.SurveyResultsView.as_view(), name="site_pages_survey_results"),
        path("surveys/<int:page_id>/export/<str:fmt>/", admin_views.export_answers, name="site_pages_survey_export"),
    ]


@hooks.register("register_page_listing_more_buttons")
def survey_results_listing_button(page, user, next_url=None):
    button = admin_views.results_button(page, user, priority=50)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def survey_results_header_button(page, user, view_name, next_url=None):
    button = admin_views.results_button(page, user, priority=50)
    if button:
        yield button
