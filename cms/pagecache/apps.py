from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "cms.pagecache"
    label = "pagecache"

    def ready(self):
        from . import purge

        purge.connect()
