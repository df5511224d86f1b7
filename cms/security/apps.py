from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "security"
    verbose_name = _("安全运维")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from axes.signals import user_locked_out

        from . import audit_signals, signals
        from .accounts_admin import on_locked_out

        signals.connect()
        audit_signals.connect()
        user_locked_out.connect(on_locked_out, dispatch_uid="security_audit_lockout")
