"""The first page of every keyset listing with a count key is kept in the listing cache (site_pages.keyset):
answered without reading the listing again, renewed by the next change of pages, the same as rendered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from site_pages import keyset
from site_pages.models import ArticlePage
from tests.factories import make_content
from tests.site_pages.test_column_listing_plans import keyset_listing_models

pytestmark = pytest.mark.django_db
LISTING_QUERY = re.compile(r"ORDER BY .*first_published_at.* LIMIT", re.DOTALL)


@pytest.fixture
def listing_cache_on(settings):
    settings.LISTING_CACHE_ENABLED = True


def listing_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries.captured_queries if LISTING_QUERY.search(q["sql"])]


def shown(response):
    return [getattr(item, "pk", None) for item in response.context["listing"].object_list]


def test_every_listing_page_type_keeps_its_first_page_until_pages_change(client, portal, listing_cache_on):
    for model in keyset_listing_models():
        page = model(title=f"{model.__name__} 列表", slug=model.__name__.lower(), owning_unit=portal["a"].owning_unit)
        portal["a"].add_child(instance=page)
        page.save_revision().publish()
        for number in range(3):
            make_content(page, title=f"{model.__name__} 第{number}条")
        first, read = listing_queries(client, page.url)
        assert read, f"{model.__name__}: the first rendering reads its listing"
        again, read = listing_queries(client, page.url)
        assert read == [], f"{model.__name__}: the first page was read again: {read}"
        assert shown(again) == shown(first) and again.content == first.content
        # "page=1" (the link back from page 2) is the same first page.
        assert listing_queries(client, f"{page.url}?page=1")[1] == []

        make_content(page, title=f"{model.__name__} 新发布")
        renewed, read = listing_queries(client, page.url)
        assert read and f"{model.__name__} 新发布" in renewed.content.decode()


def test_other_pages_are_read_each_time(client, portal, listing_cache_on, monkeypatch):
    monkeypatch.setattr(keyset, "BOUNDED_COUNT", 1000)
    column = portal["a"]
    for number in range(25):
        make_content(column, model=ArticlePage, title=f"分页第{number}条")
    first, _read = listing_queries(client, column.url)
    assert first.context["listing"].has_next
    for _ in range(2):
        second, read = listing_queries(client, f"{column.url}?{first.context['listing'].next_query}")
        assert read and second.context["listing"].number == 2
