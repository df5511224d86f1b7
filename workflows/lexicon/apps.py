from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LexiconConfig(AppConfig):
    name = "workflows.lexicon"
    label = "lexicon"
    verbose_name = _("词库")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .leaders import register_cache
        from .matcher import matcher_cache
        from .models import LeaderTitle, LexiconEntry

        # Saves in this process take effect on the next scan; other processes notice through
        # the version check in matcher_cache.
        post_save.connect(matcher_cache.invalidate, sender=LexiconEntry, dispatch_uid="lexicon_invalidate_save")
        post_delete.connect(matcher_cache.invalidate, sender=LexiconEntry, dispatch_uid="lexicon_invalidate_delete")
        post_save.connect(register_cache.invalidate, sender=LeaderTitle, dispatch_uid="leaders_invalidate_save")
        post_delete.connect(register_cache.invalidate, sender=LeaderTitle, dispatch_uid="leaders_invalidate_delete")
