"""What the page cache serves and stores (cms.pagecache.middleware), on a small portal without the demo."""

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from wagtail.models import Page

from cms.pagecache.middleware import HEADER, storable
from site_pages.models import ArticlePage, SearchQueryStat
from tests.factories import UserFactory, log_in, make_content
from tests.pagecache.conftest import generation, warm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]
SKIPPED = {HEADER, "Date"}


@pytest.fixture
def article(portal):
    return make_content(portal["a"], title="石羊镇缓存测试信息", text="正文")


def comparable_headers(response):
    return {name: value for name, value in response.headers.items() if name not in SKIPPED}


def test_a_hit_after_a_miss_has_the_same_body_and_headers(page_cache_on, portal, article):
    client = Client()
    for url in ("/", portal["a"].url, article.url):
        stored = warm(client, url)
        hit = client.get(url)
        assert hit.get(HEADER) == "hit"
        assert hit.content == stored.content
        assert comparable_headers(hit) == comparable_headers(stored)
        assert "Content-Security-Policy" in hit and "X-Content-Type-Options" in hit


def test_head_is_answered_from_the_stored_get_without_a_body(page_cache_on, portal):
    client = Client()
    cold = client.head(portal["a"].url)
    assert cold.status_code == 200 and cold.content == b""
    assert cold.get(HEADER) == "skip"  # a HEAD never stores: the view may answer it differently
    stored = warm(client, portal["a"].url)
    head = client.head(portal["a"].url)
    assert head.get(HEADER) == "hit" and head.content == b""
    assert head["Content-Length"] == str(len(stored.content))
    assert head["Content-Type"] == stored["Content-Type"]


def test_the_query_string_is_normalised(page_cache_on, portal):
    client = Client()
    warm(client, f"{portal['a'].url}?b=2&a=1")
    assert client.get(f"{portal['a'].url}?a=1&b=2").get(HEADER) == "hit"
    assert client.get(f"{portal['a'].url}?a=1").get(HEADER) != "hit"


def test_signed_in_users_get_fresh_pages(page_cache_on, portal, article):
    editor = log_in(Client(), UserFactory(username="cache_editor", is_superuser=True))
    anonymous = Client()
    warm(anonymous, article.url)
    # A change without a signal: the anonymous copy stays until purged, the editor's page is rendered.
    ArticlePage.objects.filter(pk=article.pk).update(title="不经信号修改的标题")
    Page.objects.filter(pk=article.pk).update(title="不经信号修改的标题")
    signed_in = editor.get(article.url)
    assert HEADER not in signed_in
    assert "不经信号修改的标题" in signed_in.content.decode()
    assert anonymous.get(article.url).get(HEADER) == "hit"


def test_admin_login_documents_and_previews_are_never_cached(page_cache_on, portal, article):
    editor = log_in(Client(), UserFactory(username="preview_editor", is_superuser=True))
    anonymous = Client()
    for url in ("/admin/", "/admin/login/", "/_util/login/", "/documents/1/x.pdf", "/a11y/large-text/"):
        for _ in range(2):
            assert HEADER not in anonymous.get(url), url
    draft = article.save_revision()
    preview = editor.get(f"/admin/pages/{article.pk}/edit/preview/")
    assert HEADER not in preview
    # Wagtail renders a preview through a simulated request to the page's public URL, through the middleware.
    simulated = draft.as_object().make_preview_request()
    assert simulated.status_code == 200 and HEADER not in simulated


def test_cookies_outside_the_key_bypass_the_cache(page_cache_on, portal, settings):
    url = portal["a"].url
    warm(Client(), url)
    assert Client().get(url).get(HEADER) == "hit"
    csrf = Client()
    csrf.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert csrf.get(url).get(HEADER) == "hit"
    for name in (settings.SESSION_COOKIE_NAME, "messages", "survey_visitor"):
        other = Client()
        other.cookies[name] = "something"
        assert HEADER not in other.get(url), name
    # Large text is a variant of the page with its own key.
    large = Client()
    large.cookies["large_text"] = "1"
    assert large.get(url).get(HEADER) == "miss"
    assert 'class="large-text"' in large.get(url).content.decode()
    assert 'class="large-text"' not in Client().get(url).content.decode()


def test_searches_are_counted_and_do_not_empty_the_cache(page_cache_on, portal, article):
    """Search statistics are written on public requests: they must not purge, and every search is counted."""
    client = Client()
    warm(client, "/")
    before = generation()
    searches = 5
    for _ in range(searches):
        search = client.get("/search/", {"q": "石羊镇"})
        assert search.status_code == 200
        assert search.get(HEADER) == "skip"  # it wrote its statistics: a hit would have skipped them
        assert client.get("/").get(HEADER) == "hit"
    assert generation() == before
    assert SearchQueryStat.objects.get(query="石羊镇").searches == searches


def test_switched_off_it_neither_serves_nor_stores(page_cache_on, portal, settings):
    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    for _ in range(2):
        assert HEADER not in client.get(portal["a"].url)
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(portal["a"].url).get(HEADER) == "miss"


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(status=404),
        HttpResponse('{"a": 1}', content_type="application/json"),
        StreamingHttpResponse(iter([b"x"])),
        HttpResponse(headers={"Cache-Control": "private"}),
        HttpResponse(headers={"Cache-Control": "no-store"}),
        HttpResponse(headers={"Cache-Control": "max-age=0, no-cache"}),
        HttpResponse(headers={"Vary": "Accept-Encoding"}),
        HttpResponse(headers={"Content-Security-Policy": "script-src 'self' 'nonce-abc'"}),
    ],
    ids=["404", "json", "streaming", "private", "no-store", "no-cache", "vary", "nonce"],
)
def test_unstorable_responses(response):
    assert not storable(response)


def test_a_cookie_setting_response_is_not_stored():
    response = HttpResponse()
    response.set_cookie("csrftoken", "x")
    assert not storable(response)
    assert storable(HttpResponse(headers={"Vary": "Accept-Language, Cookie"}))
