from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "cms.pagecache"
    label = "pagecache"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import keys, purge

        purge.connect()
        request_started.connect(keys.begin_request, dispatch_uid="pagecache_begin_request")
        request_finished.connect(keys.end_request, dispatch_uid="pagecache_end_request")
