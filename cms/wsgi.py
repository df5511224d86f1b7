import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
django_application = get_wsgi_application()

from cms.pagecache.wsgi import PageCacheApplication  # noqa: E402 - imports models: after Django is set up
from site_pages.segmentation import build_in_background  # noqa: E402

application = PageCacheApplication(django_application)
# jieba's dictionary (searches and saves segment text) takes about a second to build. Built here, in gunicorn's
# master under --preload, it delayed every start's first answer by that second; each worker, including those
# --max-requests replaces, builds it in the background as soon as it is forked and answers meanwhile. Without
# --preload (no fork after this import) it is built on first use.
os.register_at_fork(after_in_child=build_in_background)
