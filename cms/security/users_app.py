"""Wagtail's users app, pointed at the user and group admin of ``cms.security.users`` (kept apart: an
AppConfig module must not import models)."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "cms.security.users.UserViewSet"
    group_viewset = "cms.security.users.GroupViewSet"
