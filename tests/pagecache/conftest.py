import pytest

from cms.pagecache.keys import GENERATION_KEY, page_cache
from cms.pagecache.local import local_pages
from cms.pagecache.middleware import HEADER


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (the test settings keep it off) and empty."""
    settings.PAGE_CACHE_ENABLED = True
    page_cache().clear()
    local_pages.clear()
    yield page_cache()
    page_cache().clear()
    local_pages.clear()


def generation():
    return page_cache().get(GENERATION_KEY)


def warm(client, url):
    """GETs ``url`` until the page cache holds it (a first render may write renditions); returns that response."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.get(HEADER) in ("miss", "hit"):
            return response
    raise AssertionError(f"{url} was never stored: X-Page-Cache {response.get(HEADER)}")


def fresh(client, url):
    """A GET that must have been rendered, not served from the cache."""
    response = client.get(url)
    assert response.get(HEADER) != "hit", url
    return response
