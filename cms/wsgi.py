import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
django_application = get_wsgi_application()

from cms.pagecache.wsgi import PageCacheApplication  # noqa: E402 - imports models: after Django is set up
from site_pages.segmentation import build_around_forks  # noqa: E402

application = PageCacheApplication(django_application)
# jieba's dictionary (searches and saves segment text) takes about a second to build: not here, before gunicorn's
# first answer, but around its forks (see build_around_forks). Without --preload it is built on first use.
build_around_forks()
