"""Wagtail's users app, pointed at the user admin of ``cms.security.users`` (kept apart: an AppConfig
module must not import models)."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "cms.security.users.UserViewSet"
