from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("信息公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # catalogue_admin registers the permission policy of policy entries before the admin asks for one.
        from . import catalogue_admin, catalogue_signals, signals  # noqa: F401
