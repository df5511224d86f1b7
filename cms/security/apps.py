from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "security"
    verbose_name = _("安全运维")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import audit_signals, signals

        signals.connect()
        audit_signals.connect()
