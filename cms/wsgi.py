import gc
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
# Under --preload gunicorn forks its workers from this process next. What was loaded so far lives as long as the
# process: frozen, a worker's garbage collections do not walk it and so do not write to (copy) the master's memory
# pages. Without it a worker replaced by --max-requests cost about 0.6 s of CPU in its first requests.
gc.freeze()
