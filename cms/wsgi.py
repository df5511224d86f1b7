import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
django_application = get_wsgi_application()

from cms.pagecache.wsgi import PageCacheApplication  # noqa: E402 - imports models: after Django is set up
from site_pages.segmentation import tokenizer  # noqa: E402

application = PageCacheApplication(django_application)
# Under gunicorn --preload this runs once in the master before the fork: every worker, including those that
# --max-requests restarts under load, shares jieba's dictionary instead of building it on its first search.
tokenizer()
