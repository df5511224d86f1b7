"""Page URLs built from url_path are the URLs Wagtail's reverse() gives, for every page model."""

import pytest
from django.test import RequestFactory
from django.urls import set_script_prefix
from wagtail.models import Page, Site, get_page_models

from site_pages.page_urls import UrlPathMixin
from tests.factories import make_content

pytestmark = pytest.mark.django_db


def test_every_page_model_of_the_portal_builds_urls_from_url_path():
    own = [model for model in get_page_models() if model is not Page]
    assert own
    assert [model.__name__ for model in own if not issubclass(model, UrlPathMixin)] == []


@pytest.fixture
def pages(portal):
    unicode_page = make_content(portal["a"], title="中文路径", slug="石羊-动态_2026")
    return [portal["home"], portal["news"], portal["a"], unicode_page, make_content(portal["b"], slug="x")]


@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_urls_match_wagtails_reverse(pages, prefix):
    request = RequestFactory().get("/")
    set_script_prefix(prefix)
    try:
        for page in pages:
            for with_request in (None, request):
                assert page.get_url_parts(with_request) == Page.get_url_parts(page, with_request), page.url_path
                assert page.get_url(with_request) == Page.get_url(page, with_request)
    finally:
        set_script_prefix("/")
    assert pages[3].url.startswith("/xwdt/xzdt/sy/%E7%9F%B3%E7%BE%8A-")


def test_a_page_outside_every_site_has_no_url(pages):
    Site.objects.all().delete()
    assert pages[1].get_url_parts() is None
    assert pages[1].url is None


def test_urls_follow_a_moved_page(portal, pages):
    article = pages[4]
    article.move(portal["a"], pos="last-child")
    article.refresh_from_db()
    assert article.url == "/xwdt/xzdt/sy/x/"
