"""The page cache on the demo county: every public page type, forms, and each kind of change seen on the next request.

Every page type (and every routable subpage without arguments) is walked at run time, as
tests/site_pages/test_query_budgets.py walks them, so a type added later is covered by itself.
"""

import re

import pytest
from django.test import Client
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, get_page_models

from cms.pagecache.keys import bump_generation
from cms.pagecache.middleware import HEADER
from disclosure.models import PolicyCatalogueEntry
from site_pages.models import ArticlePage, ColumnPage, MessageBoardPage, PortalSettings
from tests.pagecache.conftest import fresh, generation, warm

pytestmark = pytest.mark.django_db
POST_FORM = re.compile(r"<form[^>]*method=\"post\"", re.IGNORECASE)


def public_urls():
    """An URL of each live public page type of the demo, and of its routable subpages that take no argument."""
    urls = {}
    for model in get_page_models():
        if model is Page:
            continue
        page = model.objects.exact_type(model).live().public().order_by("path").first()
        assert page is not None, f"the demo county has no live page of {model._meta.label}"
        urls[model._meta.label] = page.url
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                route = str(pattern.pattern)
                if route and "<" not in route and not route.startswith("^"):
                    urls[f"{model._meta.label} {route}"] = page.url + route
    return urls


def test_every_public_page_type_is_stored_only_without_csrf_token_cookie_or_nonce(demo_county, page_cache_on):
    stored = []
    urls = public_urls()
    bump_generation()
    before = generation()
    for label, url in urls.items():
        client = Client()
        responses = [client.get(url) for _ in range(3)]
        for response in responses:
            body = response.content.decode(errors="replace")
            if response.get(HEADER) in ("miss", "hit"):
                assert "csrfmiddlewaretoken" not in body, label
                assert not POST_FORM.search(body), label
                assert not response.cookies and "Set-Cookie" not in response, label
                assert "'nonce-" not in response.get("Content-Security-Policy", ""), label
                stored.append(label)
            elif "csrfmiddlewaretoken" in body:
                # Rendered for this visitor (whose next requests carry the cookies it set: no longer qualifying).
                assert response.get(HEADER) in (None, "skip"), label
    # Reading public pages writes only what NO_PURGE declares (statistics, renditions): no page view empties the cache.
    assert generation() == before
    # Not vacuous: the pages without forms are stored and then served.
    for label in ("site_pages.HomePage", "site_pages.ColumnPage", "site_pages.ArticlePage"):
        assert label in stored, label


def test_the_letter_form_and_a_password_protected_page_are_never_stored(demo_county, page_cache_on):
    board = MessageBoardPage.objects.live().first()
    article = ArticlePage.objects.live().public().first()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for url in (board.url + board.reverse_subpage("write"), article.url):
        client = Client()
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "csrfmiddlewaretoken" in response.content.decode(), url
            assert response.get(HEADER) in (None, "skip"), url


@pytest.fixture
def listed(demo_county):
    """A live article the demo lists on its column and on the home page."""
    home = Client().get("/").content.decode()
    for article in ArticlePage.objects.live().public().order_by("-first_published_at"):
        column = article.get_parent().specific
        if article.title in home and article.title in Client().get(column.url).content.decode():
            return article, column
    raise AssertionError("the demo's home page lists no article")


def warm_all(client, *urls):
    for url in urls:
        warm(client, url)


def test_a_published_edit_is_seen_on_the_page_its_column_and_home(page_cache_on, listed):
    article, column = listed
    client = Client()
    warm_all(client, article.url, column.url, "/")
    article.title = "缓存后修改的标题"
    article.save_revision().publish()
    for url in (article.url, column.url, "/"):
        assert "缓存后修改的标题" in fresh(client, url).content.decode(), url


def test_an_unpublished_page_leaves_its_column_and_home(page_cache_on, listed):
    article, column = listed
    client = Client()
    warm_all(client, article.url, column.url, "/")
    title = article.title
    article.unpublish()
    assert client.get(article.url).status_code == 404
    for url in (column.url, "/"):
        assert title not in fresh(client, url).content.decode(), url


def test_a_moved_page_is_seen_at_its_new_place(page_cache_on, listed):
    article, column = listed
    target = ColumnPage.objects.live().exclude(pk=column.pk).filter(depth=column.depth).first()
    client = Client()
    old_url = article.url
    warm_all(client, old_url, column.url, target.url, "/")
    article.move(target, pos="last-child")
    article.refresh_from_db()
    moved = client.get(old_url)  # Wagtail's automatic redirect from the old URL
    assert moved.status_code == 301 and moved["Location"] == article.url
    assert article.title not in fresh(client, column.url).content.decode()
    assert article.title in fresh(client, target.url).content.decode()
    assert fresh(client, article.url).status_code == 200


def test_a_deleted_page_leaves_its_column_and_home(page_cache_on, listed):
    article, column = listed
    client = Client()
    warm_all(client, article.url, column.url, "/")
    url, title = article.url, article.title
    article.delete()
    assert client.get(url).status_code == 404
    for page_url in (column.url, "/"):
        assert title not in fresh(client, page_url).content.decode(), page_url


def test_a_settings_change_is_seen_on_every_page(page_cache_on, listed):
    article, column = listed
    client = Client()
    warm_all(client, article.url, column.url, "/")
    portal_settings = PortalSettings.for_site(article.get_site())
    portal_settings.phone = "028-87654321"
    portal_settings.save()
    for url in (article.url, column.url, "/"):
        assert "028-87654321" in fresh(client, url).content.decode(), url


def test_a_catalogue_category_rename_is_seen_on_the_policy_page(page_cache_on, demo_county):
    entry = PolicyCatalogueEntry.objects.select_related("category").exclude(category=None).first()
    page = entry.page.specific
    column = page.get_parent().specific
    client = Client()
    warm_all(client, page.url, column.url, "/")
    entry.category.name = "改名后的公开类别"
    entry.category.save()
    assert "改名后的公开类别" in fresh(client, page.url).content.decode()
    for url in (column.url, "/"):
        assert fresh(client, url).get(HEADER) in ("miss", "skip"), url
