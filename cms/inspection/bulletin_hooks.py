"""Admin URL of 生成季度通报 (the run detail links to it with the run's id)."""

from django.urls import path
from wagtail import hooks

from .bulletin_views import create_bulletin


@hooks.register("register_admin_urls")
def register_bulletin_urls():
    return [path("inspection/runs/<int:run_id>/bulletin/", create_bulletin, name="inspection_bulletin_create")]
