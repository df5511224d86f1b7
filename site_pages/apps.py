from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitePagesConfig(AppConfig):
    name = "site_pages"
    verbose_name = _("门户网站")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        from .draft_privacy import DraftPrivacyPagePermissionPolicy

        # Before any view asks the registry for the page policy (draft_privacy explains the policy).
        register_permission_policy(AbstractPage, DraftPrivacyPagePermissionPolicy())
