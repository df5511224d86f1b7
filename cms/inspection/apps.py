from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "cms.inspection"
    label = "inspection"
    verbose_name = _("检查考核")
    default_auto_field = "django.db.models.BigAutoField"
