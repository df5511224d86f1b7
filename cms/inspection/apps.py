from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "cms.inspection"
    label = "inspection"
    verbose_name = _("检查考核")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # 生成季度通报 registers its admin URL beside the bulletin, 网站检查状态 its admin home panel beside the
        # dashboard; wagtail_hooks holds the menu and run views.
        from . import bulletin_hooks, dashboard  # noqa: F401
