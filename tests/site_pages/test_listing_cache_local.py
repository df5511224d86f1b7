"""The listing cache's copies in this process, and what page serving takes from the listing cache.

site_pages.listing_cache keeps each value it read or computed, pickled, under the generation it belongs to; a page
served with the listing cache on takes its site, PortalSettings and an article's neighbours from it
(site_pages.serving, portal_tags.column_neighbours). The generation is renewed by every purge, and nothing may
outlive it.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from site_pages import listing_cache
from site_pages.models import PortalSettings
from tests.factories import make_content

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


@pytest.fixture
def listing_cache_on(settings):
    settings.LISTING_CACHE_ENABLED = True
    listing_cache.bump()  # nothing cached by an earlier, rolled-back test is read


class Counted:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def shared_reads(monkeypatch):
    """The keys read from the shared cache (Redis when deployed)."""
    reads = []
    original = listing_cache.cache.get

    def get(key, *args, **kwargs):
        reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(listing_cache.cache, "get", get)
    return reads


def test_a_value_is_read_from_the_shared_cache_once_per_process_and_generation(listing_cache_on, shared_reads):
    compute = Counted({"titles": ["石羊镇", "龙台镇"]})
    first = listing_cache.cached("test-value", compute, 1)
    second = listing_cache.cached("test-value", compute, 1)
    assert first == second == compute.value and compute.calls == 1
    assert second is not first and second["titles"] is not first["titles"]  # no request shares another's objects
    assert [key for key in shared_reads if "test-value" in key] == [shared_reads[0]]

    listing_cache.bump()
    compute.value = {"titles": ["周礼镇"]}
    assert listing_cache.cached("test-value", compute, 1) == {"titles": ["周礼镇"]}
    assert compute.calls == 2


def test_another_process_copy_is_taken_from_the_shared_cache(listing_cache_on, shared_reads):
    listing_cache.cached("test-value", Counted(["石羊镇"]), 2)
    listing_cache.local_values.clear()  # as a process that has not read it yet
    compute = Counted(["other"])
    assert listing_cache.cached("test-value", compute, 2) == ["石羊镇"]
    assert compute.calls == 0
    reads = len(shared_reads)
    listing_cache.cached("test-value", compute, 2)
    assert len(shared_reads) == reads


def test_a_copy_expires_with_the_shared_value(listing_cache_on, shared_reads, monkeypatch):
    listing_cache.cached("test-value", Counted(["石羊镇"]), 3)
    reads = len(shared_reads)
    now = listing_cache.time.monotonic()
    monkeypatch.setattr(listing_cache.time, "monotonic", lambda: now + listing_cache.TIMEOUT + 1)
    listing_cache.cached("test-value", Counted(["石羊镇"]), 3)
    assert len(shared_reads) == reads + 1


def test_the_copies_stay_within_their_bytes_least_recently_used_out():
    values = listing_cache.LocalValues(limit=100)
    values.put("a", 1, b"x" * 40)
    values.put("b", 1, b"x" * 40)
    assert values.get("a", 1) == b"x" * 40  # "b" is now the least recently used
    values.put("c", 1, b"x" * 40)
    assert values.get("b", 1) is None and values.get("a", 1) is not None and values.get("c", 1) is not None
    values.put("too-big", 1, b"x" * 101)
    assert values.get("too-big", 1) is None
    assert values.get("a", 2) is None  # another generation's value is never answered
    values.put("d", 2, b"y")
    assert values.get("a", 1) is None  # a new generation drops the old one's copies


def served_queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_served_page_reads_its_site_and_settings_from_the_listing_cache(client, listing_cache_on, portal, settings):
    article = make_content(portal["a"], title="石羊镇召开春耕会")
    site = Site.objects.get(is_default_site=True)
    portal_settings = PortalSettings.for_site(site)
    portal_settings.site_name = "安岳县人民政府门户"
    portal_settings.save()
    for url in ("/", portal["a"].url, article.url):
        html, queries = served_queries(client, url)
        assert "安岳县人民政府门户" in html
        assert not [sql for sql in queries if '"wagtailcore_site"' in sql or "site_pages_portalsettings" in sql], url
    portal_settings.site_name = "安岳县政府"  # a write to a publicly shown model purges
    portal_settings.save()
    assert "安岳县政府</span>" in client.get(article.url).content.decode()
    settings.LISTING_CACHE_ENABLED = False
    _html, queries = served_queries(client, article.url)
    assert [sql for sql in queries if '"wagtailcore_site"' in sql], "Wagtail's own lookup with the cache off"


def test_each_host_is_served_by_the_site_wagtail_chooses(client, listing_cache_on, portal):
    other_root = portal["b"]
    Site.objects.create(hostname="longtai.example", port=80, root_page=other_root, site_name="龙台镇")
    for host, title in (("longtai.example", "龙台镇"), ("testserver", "首页"), ("unknown.example", "首页")):
        for _ in range(2):  # the first fills the listing cache, the second reads it
            response = client.get("/", HTTP_HOST=host)
            assert response.status_code == 200
            assert response.context["page"].title == title, host


def pager_of(client, page):
    return client.get(page.url).content.decode().split('class="article-pager"', 1)[1].split("</nav>", 1)[0]


def test_an_article_shows_a_newer_neighbour_once_it_is_published(client, listing_cache_on, portal):
    older = make_content(portal["a"], title="石羊镇旧闻")
    middle = make_content(portal["a"], title="石羊镇中间")
    for offset, page in enumerate((older, middle)):
        page.first_published_at = timezone.now() - datetime.timedelta(days=3 - offset)
        page.save()
    assert "上一篇：没有了" in pager_of(client, middle)
    assert f'href="{older.url}" rel="next">石羊镇旧闻' in pager_of(client, middle)
    newer = make_content(portal["a"], title="石羊镇新闻")
    assert f'href="{newer.url}" rel="prev">石羊镇新闻' in pager_of(client, middle)
    newer.unpublish()
    assert "上一篇：没有了" in pager_of(client, middle)


def feed(title, column):
    return ("column_feed", {"title": title, "column": column, "page_type": "", "count": 8})


def test_the_home_sections_are_kept_until_pages_change_and_never_shown_for_a_draft(client, listing_cache_on, portal):
    home = portal["home"]
    home.body = [feed("石羊动态", portal["a"])]
    home.save_revision().publish()
    make_content(portal["a"], title="石羊镇召开春耕会")
    assert "石羊镇召开春耕会" in client.get("/").content.decode()
    make_content(portal["a"], title="石羊镇柠檬丰收")  # a publication renews the kept sections
    assert "石羊镇柠檬丰收" in client.get("/").content.decode()

    draft = home.get_latest_revision_as_object()
    draft.body = [feed("草稿标题", portal["a"])]
    draft.save_revision()
    preview = draft.make_preview_request().content.decode()
    assert "草稿标题" in preview and "石羊动态" not in preview
    public = client.get("/").content.decode()
    assert "石羊动态" in public and "草稿标题" not in public


def test_each_site_is_shown_the_home_sections_it_would_be_without_the_cache(client, listing_cache_on, portal, settings):
    home = portal["home"]
    home.body = [feed("石羊动态", portal["a"])]
    home.save_revision().publish()
    make_content(portal["a"], title="石羊镇召开春耕会")
    Site.objects.create(hostname="other.example", port=8080, root_page=portal["news"], site_name="另一站点")
    hosts = ("testserver", "other.example:8080", "unknown.example")
    cached = {host: [client.get("/", HTTP_HOST=host).content.decode() for _ in range(2)] for host in hosts}
    settings.LISTING_CACHE_ENABLED = False
    for host in hosts:
        assert cached[host] == [client.get("/", HTTP_HOST=host).content.decode()] * 2, host


def test_kept_breadcrumbs_subcolumns_and_source_follow_their_changes(client, listing_cache_on, portal, township_a):
    article = make_content(portal["a"], title="石羊镇召开春耕会", owning_unit=township_a)
    make_content(portal["b"], title="龙台镇新闻")
    for _ in range(2):  # filled, then read from the cache
        html = client.get(article.url).content.decode()
        assert f'<a href="{portal["a"].url}">石羊镇</a>' in html and "来源：安岳县石羊镇人民政府测试" in html
        assert '<h2 class="subnav-title">乡镇动态</h2>' in client.get(portal["towns"].url).content.decode()
    column = portal["a"]
    column.title = "石羊镇新名"
    column.save_revision().publish()
    township_a.name = "安岳县石羊镇人民政府（新）"
    township_a.save()
    html = client.get(article.url).content.decode()
    assert f'<a href="{column.url}">石羊镇新名</a>' in html and "来源：安岳县石羊镇人民政府（新）" in html
    assert f'<a href="{column.url}">石羊镇新名</a>' in client.get(portal["towns"].url).content.decode()


def test_a_view_restriction_applies_on_the_next_request_to_a_kept_route(client, listing_cache_on, portal):
    article = make_content(portal["a"], title="石羊镇召开春耕会")
    for _ in range(2):  # the route, its restrictions and the restricted pages the listings exclude are kept
        assert client.get(article.url).status_code == 200
        assert "石羊镇召开春耕会" in client.get(portal["news"].url).content.decode()
    restriction = PageViewRestriction.objects.create(page=portal["towns"], restriction_type=PageViewRestriction.LOGIN)
    for _ in range(2):
        assert client.get(article.url).status_code == 302
        assert "石羊镇召开春耕会" not in client.get(portal["news"].url).content.decode()
    restriction.delete()
    assert client.get(article.url).status_code == 200
    assert "石羊镇召开春耕会" in client.get(portal["news"].url).content.decode()


@pytest.mark.parametrize("change", ["module gone", "class gone", "other arguments"])
def test_a_value_the_code_can_no_longer_read_is_computed_again_and_replaced(listing_cache_on, monkeypatch, change):
    """A value written by other code (an upgrade's old workers): its class moved, was renamed or changed shape."""
    import sys
    import types
    from dataclasses import dataclass

    module = types.ModuleType("tests_listing_cache_old_code")

    @dataclass
    class Row:
        title: str

        def __reduce__(self):
            return (type(self), (self.title,))

    Row.__module__, Row.__qualname__ = module.__name__, "Row"
    module.Row = Row
    monkeypatch.setitem(sys.modules, module.__name__, module)
    compute = Counted([Row("旧版本写入")])
    listing_cache.cached("old-code", compute)
    listing_cache.local_values.clear()  # another process: only the shared cache has the value
    if change == "module gone":
        monkeypatch.delitem(sys.modules, module.__name__)
    elif change == "class gone":
        monkeypatch.delattr(module, "Row")
    else:
        monkeypatch.setattr(module, "Row", lambda: "没有参数")
    fresh = Counted(["新版本计算"])
    assert listing_cache.cached("old-code", fresh) == ["新版本计算"] and fresh.calls == 1
    listing_cache.local_values.clear()
    assert listing_cache.cached("old-code", fresh) == ["新版本计算"] and fresh.calls == 1  # written over


@pytest.mark.parametrize("holder", ["list", "dict", "dataclass"])
@pytest.mark.parametrize("slotted", [False, True], ids=["dict", "slots"])
def test_a_value_written_before_its_class_gained_a_field_is_computed_again(
    listing_cache_on, monkeypatch, holder, slotted
):
    """An upgrade adds a field with a default to a cached dataclass: the old workers' values unpickle without it, and
    would answer the class's default instead of the computed value."""
    import dataclasses
    import sys
    import types

    module = types.ModuleType("tests_listing_cache_grown_class")
    monkeypatch.setitem(sys.modules, module.__name__, module)

    def in_module(cls):
        cls.__module__ = module.__name__  # where pickle finds the class again
        setattr(module, cls.__name__, cls)
        return cls

    box = in_module(dataclasses.make_dataclass("Box", [("row", object)]))

    def define(*extra):
        return in_module(dataclasses.make_dataclass("Row", [("title", str), *extra], slots=slotted))

    def held(row):
        return {"list": [row], "dict": {"rows": [row]}, "dataclass": [box(row)]}[holder]

    old_value = held(define()("旧版本写入"))
    listing_cache.cached("grown-class", Counted(old_value))
    listing_cache.local_values.clear()  # another process: only the shared cache has the value
    unchanged = Counted(["不应计算"])
    assert listing_cache.cached("grown-class", unchanged) == old_value and unchanged.calls == 0

    new_value = held(define(("unit", str, dataclasses.field(default="")))("新版本计算", "石羊镇"))
    listing_cache.local_values.clear()
    fresh = Counted(new_value)
    assert listing_cache.cached("grown-class", fresh) == new_value and fresh.calls == 1
    listing_cache.local_values.clear()
    assert listing_cache.cached("grown-class", fresh) == new_value and fresh.calls == 1  # written over
