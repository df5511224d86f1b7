import re

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site

from site_pages.models import NoticePage, PortalSettings
from site_pages.models.columns import LISTING_PAGE_SIZE
from tests.factories import make_column, make_content

pytestmark = pytest.mark.usefixtures("shared_portal")

EXTERNAL_ASSET = re.compile(
    r'<(?:script|link|img|iframe|source|video)\b[^>]*(?:src|href)="(?:https?:)?//', re.IGNORECASE
)


@pytest.fixture
def footer_settings(portal):
    site = Site.objects.get(is_default_site=True)
    settings = PortalSettings.for_site(site)
    settings.site_name = "测试县人民政府"
    settings.sponsor = "测试县人民政府办公室"
    settings.organiser = "测试县电子政务办"
    settings.phone = "028-24520000"
    settings.site_code = "5120219999"
    settings.icp_number = "蜀ICP备00000001号"
    settings.police_number = "川公网安备 51202102000999号"
    settings.conac_url = "https://bszs.conac.cn/sitename?method=show&id=TEST"
    settings.save()
    return settings


def test_home_lists_latest_news_notices_policies_and_interpretations(client, portal, footer_settings):
    home = portal["home"]
    news = make_column(portal["news"], "要闻", portal["news"].owning_unit, slug="yw")
    make_content(news, title="县政府召开常务会议")
    home.body = [("column_feed", {"title": "", "column": news, "page_type": "", "count": 8})]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "县政府召开常务会议" in html
    assert html.count("<h1") == 1


def test_header_and_footer_come_from_site_settings(client, portal, footer_settings):
    html = client.get("/").content.decode()
    for text in (
        "测试县人民政府",
        "主办单位：测试县人民政府办公室",
        "承办单位：测试县电子政务办",
        "028-24520000",
        "网站标识码：5120219999",
        "蜀ICP备00000001号",
        "川公网安备 51202102000999号",
        "https://bszs.conac.cn/sitename?method=show&amp;id=TEST",
    ):
        assert text in html
    footer_settings.icp_number = "蜀ICP备00000002号"
    footer_settings.save()
    assert "蜀ICP备00000002号" in client.get("/").content.decode()


def test_top_navigation_follows_the_column_tree(client, portal):
    make_content(portal["a"], title="石羊镇动态")
    html = client.get("/").content.decode()
    nav = html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    assert "新闻动态" in nav and "首页" in nav


def test_column_listing_is_paginated_newest_first(client, portal):
    for i in range(LISTING_PAGE_SIZE + 5):
        make_content(portal["a"], model=NoticePage, title=f"石羊镇通知第{i:02d}号", slug=f"n{i}")
    first = client.get(portal["a"].url).content.decode()
    assert first.count('<li>\n    <a href="') == LISTING_PAGE_SIZE
    assert first.index("石羊镇通知第24号") < first.index("石羊镇通知第23号")
    assert "第 1 页，共 2 页（25 条）" in first
    second = client.get(portal["a"].url, {"page": 2}).content.decode()
    assert second.count('<li>\n    <a href="') == 5
    for bad in ("0", "-1", "abc", "9999"):
        assert client.get(portal["a"].url, {"page": bad}).status_code == 200


def test_parent_column_lists_content_of_its_subcolumns(client, portal):
    make_content(portal["a"], title="石羊镇动态")
    make_content(portal["b"], title="龙台镇动态")
    html = client.get(portal["towns"].url).content.decode()
    assert "石羊镇动态" in html and "龙台镇动态" in html
    assert "子栏目" in html


def test_empty_column_says_so(client, portal):
    assert "本栏目暂无信息。" in client.get(portal["b"].url).content.decode()


def test_detail_page_has_breadcrumbs_time_source_and_print_view(client, portal):
    page = make_content(portal["a"], title="石羊镇召开会议")
    html = client.get(page.url).content.decode()
    crumbs = html.split('aria-label="当前位置"', 1)[1].split("</nav>", 1)[0]
    for title in ("首页", "新闻动态", "乡镇动态", "石羊镇", "石羊镇召开会议"):
        assert title in crumbs
    assert "发布时间：" in html and "来源：" in html and "?print=1" in html
    printed = client.get(page.url, {"print": "1"}).content.decode()
    assert 'class="main-nav"' not in printed and "site-footer" not in printed
    assert "石羊镇召开会议" in printed and '<meta name="robots" content="noindex">' in printed


def test_draft_pages_are_not_public(client, portal):
    draft = make_content(portal["a"], title="草稿", publish=False)
    assert client.get(draft.url).status_code == 404
    assert "草稿" not in client.get(portal["a"].url).content.decode()


def test_live_page_with_newer_draft_shows_the_published_version(client, portal):
    page = make_content(portal["a"], title="已发布标题")
    page.title = "草稿标题"
    page.save_revision()
    html = client.get(page.url).content.decode()
    assert "已发布标题" in html and "草稿标题" not in html


def test_large_text_toggle_persists_in_a_cookie(client, portal):
    url = reverse("toggle_large_text")
    response = client.get(url, {"next": portal["a"].url})
    assert response.status_code == 302 and response["Location"] == portal["a"].url
    assert client.cookies["large_text"].value == "1"
    assert '<html lang="zh-CN" class="large-text">' in client.get("/").content.decode()
    client.get(url, {"next": "/"})
    assert 'class="large-text"' not in client.get("/").content.decode()


def test_large_text_toggle_refuses_off_site_redirects(client, portal):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        assert client.get(reverse("toggle_large_text"), {"next": target})["Location"] == "/"


def test_no_asset_is_loaded_from_another_host(client, portal, footer_settings):
    page = make_content(portal["a"], title="资产检查")
    for url in ("/", portal["a"].url, page.url, "/search/?q=安岳", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert not EXTERNAL_ASSET.search(html), url


def test_404_page_is_chinese_and_in_the_site_layout(client, portal):
    response = client.get("/no-such-column/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "抱歉，您访问的页面不存在" in html and 'class="site-header"' in html and "返回首页" in html
    assert "Traceback" not in html and "wagtail" not in html.lower()


@override_settings(DEBUG=False)
def test_500_page_is_chinese_and_leaks_nothing(client, portal, monkeypatch):
    from site_pages.models import HomePage

    def explode(*args, **kwargs):
        raise RuntimeError("secret database password: hunter2")

    monkeypatch.setattr(HomePage, "get_context", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "抱歉，系统暂时无法处理您的请求" in html and '<html lang="zh-CN">' in html
    assert "hunter2" not in html and "RuntimeError" not in html and "Traceback" not in html
