"""The home page's editable blocks, empty columns (空白栏目) out of navigation, and valid datetime values."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page

from site_pages.home_blocks import LinkBlock
from site_pages.models import NoticePage, PolicyDocumentPage
from site_pages.templatetags.portal_tags import html_datetime
from tests.factories import make_column, make_content

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


def nav_of(html):
    return html.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]


def test_home_shows_the_blocks_the_editors_chose_in_their_order(client, portal):
    home = portal["home"]
    make_content(portal["a"], title="石羊镇召开春耕会")
    make_content(portal["b"], model=NoticePage, title="龙台镇停水通知")
    policy_column = make_column(home, "政策文件", portal["news"].owning_unit, slug="zcwj")
    make_content(
        policy_column,
        model=PolicyDocumentPage,
        title="关于印发某办法的通知",
        document_number="安府发〔2026〕1号",
        written_date=datetime.date(2026, 1, 5),
        issuing_authority="安岳县人民政府",
    )
    make_content(policy_column, model=NoticePage, title="政策栏目里的通知")
    home.body = [
        ("news", {"title": "安岳要闻", "column": portal["news"], "count": 8, "pictures": 5}),
        ("column_feed", {"title": "", "column": policy_column, "page_type": "policy", "count": 8}),
        ("column_feed", {"title": "龙台通知", "column": portal["b"], "page_type": "notice", "count": 8}),
        (
            "entry",
            {
                "title": "政府信息公开",
                "intro": "",
                "link": {"label": "进入", "page": None, "url": "/zfxxgk/"},
                "links": [{"label": "依申请公开", "page": None, "url": "/yxsqgk/"}],
            },
        ),
        ("shortcuts", {"title": "政务服务", "links": [{"label": "办事动态", "page": portal["a"], "url": ""}]}),
    ]
    home.save_revision().publish()

    html = client.get("/").content.decode()
    headings = re.findall(r'<h2 id="home-[^"]+">(?:<a href="[^"]*">)?([^<]+)', html)
    assert headings == ["安岳要闻", "政策文件", "龙台通知", "政府信息公开", "政务服务"]
    assert "石羊镇召开春耕会" in html and "龙台镇停水通知" in html
    # The policy feed lists policy documents only.
    assert "关于印发某办法的通知" in html and "政策栏目里的通知" not in html
    assert 'href="/yxsqgk/">依申请公开</a>' in html
    assert f'href="{portal["a"].url}">办事动态</a>' in html


def test_a_link_needs_a_page_or_an_address_starting_with_a_slash_or_http():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "空", "page": None, "url": ""}))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "脚本", "page": None, "url": "javascript:alert(1)"}))
    assert block.clean(block.to_python({"label": "表单", "page": None, "url": "/yxsqgk/"}))["url"] == "/yxsqgk/"


def test_a_column_without_live_content_is_not_in_navigation(client, portal):
    assert "新闻动态" not in nav_of(client.get("/").content.decode())
    page = make_content(portal["a"], title="石羊镇动态")
    html = client.get("/").content.decode()
    assert "新闻动态" in nav_of(html)
    # Subcolumn navigation on the column page: only the township with content.
    towns = client.get(portal["towns"].url).content.decode()
    subnav = towns.split('aria-label="子栏目"', 1)[1].split("</nav>", 1)[0]
    assert "石羊镇" in subnav and "龙台镇" not in subnav
    page.unpublish()
    assert "新闻动态" not in nav_of(client.get("/").content.decode())


def test_the_explorer_labels_empty_columns(admin_client, portal):
    make_content(portal["a"], title="石羊镇动态")
    html = admin_client.get(f"/admin/pages/{portal['towns'].pk}/").content.decode()
    rows = {
        title: row
        for title, row in re.findall(r'_title">\s*(?:<svg.*?</svg>)?\s*(\S+)\s*</span>(.*?)</tr>', html, re.S)
    }
    assert "空白栏目" in rows["龙台镇"]
    assert "空白栏目" not in rows["石羊镇"]


def test_datetime_attribute_values_have_whole_seconds_and_an_offset():
    moment = datetime.datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=datetime.UTC)
    with timezone.override("Asia/Shanghai"):
        assert html_datetime(moment) == "2026-03-01T09:02:03+08:00"
    assert html_datetime(None) == ""


def test_an_article_links_the_newer_and_older_article_of_its_own_column(client, portal):
    older = make_content(portal["a"], title="石羊镇旧闻")
    middle = make_content(portal["a"], title="石羊镇中间")
    newer = make_content(portal["a"], title="石羊镇新闻")
    make_content(portal["b"], title="龙台镇新闻")
    for offset, page in enumerate((older, middle, newer)):
        type(page).objects.filter(pk=page.pk).update(
            first_published_at=timezone.now() - datetime.timedelta(days=3 - offset)
        )
    pager = client.get(middle.url).content.decode().split('class="article-pager"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{newer.url}" rel="prev">石羊镇新闻' in pager
    assert f'href="{older.url}" rel="next">石羊镇旧闻' in pager
    assert "龙台镇新闻" not in pager
    newest = client.get(newer.url).content.decode().split('class="article-pager"', 1)[1].split("</nav>", 1)[0]
    assert "上一篇：没有了" in newest


def test_the_site_root_answers_for_favicon_ico(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")


def test_a_column_holding_any_kind_of_live_page_is_in_navigation(client, home, county_office, township_a):
    """Not only articles: the 政府信息公开 catalogue with its items (and any page type added later)."""
    from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue

    catalogue, proactive = build_catalogue(home, county_office)
    catalogue.show_in_menus = True
    catalogue.save()
    unit_page = unit_catalogue(proactive, township_a, "sy")
    make_item(unit_page, title="石羊镇预算公开")
    assert catalogue.title in nav_of(client.get("/").content.decode())
    Page.objects.descendant_of(catalogue).update(live=False)
    assert catalogue.title not in nav_of(client.get("/").content.decode())
