"""The public search page: highlighting, filters, pagination, suggestions, attachments, and what is never found."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from site_pages.models import NoticePage, PolicyDocumentPage
from tests.factories import make_content, paragraph

pytestmark = pytest.mark.usefixtures("shared_portal")


def search(client, marked=False, **params):
    """The page's HTML, without the <mark> highlighting unless asked, so that titles read whole."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return html if marked else re.sub(r"</?mark>", "", html)


def text_document(text, name="附件.txt"):
    return get_document_model().objects.create(title=name, file=ContentFile(text.encode(), name=name))


def with_attachment(document, text="正文"):
    return paragraph(text) + [("attachment", {"document": document, "title": document.title})]


def test_results_show_highlighted_terms_type_column_unit_and_date(client, portal):
    page = make_content(portal["a"], title="石羊镇政务新媒体<b>培训</b>", text="本次培训围绕政务新媒体运营展开。")
    html = search(client, marked=True, q="新媒体")
    assert "<mark>新媒体</mark>" in html
    assert "&lt;b&gt;培训&lt;/b&gt;" in html and "<b>培训</b>" not in html
    assert "动态" in html
    assert portal["a"].title in html
    assert "安岳县石羊镇人民政府测试" in html
    assert timezone.localtime(page.first_published_at).strftime("%Y-%m-%d") in html


def test_a_query_cut_differently_from_the_text_still_finds_it(client, portal):
    make_content(portal["a"], title="关于加强政务新媒体管理的通知")
    for query in ("新媒体", "务新", "媒体管", "强政务新"):
        assert "关于加强政务新媒体管理的通知" in search(client, q=query), query


def test_body_matches_rank_below_title_matches(client, portal):
    body_only = make_content(portal["a"], title="工作动态一则", text="会上通报了乡村振兴工作。", slug="body")
    in_title = make_content(portal["a"], title="乡村振兴工作推进会召开", slug="title")
    html = search(client, q="乡村振兴")
    assert html.index(f'href="{in_title.url}"') < html.index(f'href="{body_only.url}"')


def test_single_character_searches_titles(client, portal):
    make_content(portal["a"], title="柠檬丰收", text="果农喜获丰收", slug="lemon")
    make_content(portal["a"], title="果园管理", text="柠檬园病虫害防治", slug="orchard")
    html = search(client, q="柠")
    assert "柠檬丰收" in html
    assert "果园管理" not in html


def test_type_unit_and_date_filters(client, portal):
    old = make_content(portal["a"], title="防汛工作安排一", slug="old")
    Page.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=40))
    make_content(portal["b"], model=NoticePage, title="防汛工作安排二", slug="notice")
    html = search(client, q="防汛", type="notice")
    assert "防汛工作安排二" in html and "防汛工作安排一" not in html
    html = search(client, q="防汛", unit=str(portal["a"].owning_unit_id))
    assert "防汛工作安排一" in html and "防汛工作安排二" not in html
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    html = search(client, q="防汛", **{"from": since})
    assert "防汛工作安排二" in html and "防汛工作安排一" not in html
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    html = search(client, q="防汛", to=until)
    assert "防汛工作安排一" in html and "防汛工作安排二" not in html


def test_invalid_filters_are_reported_and_ignored(client, portal):
    make_content(portal["a"], title="防汛工作安排", slug="flood")
    html = search(client, q="防汛", type="nonsense", unit="abc", **{"from": "2024-13-45"})
    assert "防汛工作安排" in html
    assert html.count("已忽略该条件") == 3


def test_sort_by_date_and_pagination_keep_the_filters(client, portal):
    for i in range(12):
        page = make_content(portal["a"], model=NoticePage, title=f"秸秆禁烧通知第{i + 1}期", slug=f"n{i}")
        Page.objects.filter(pk=page.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=i))
    first = search(client, q="秸秆禁烧", type="notice", sort="date")
    assert first.index("第1期") < first.index("第2期") < first.index("第10期")
    assert "type=notice" in first and "sort=date" in first and "page=2" in first
    second = search(client, q="秸秆禁烧", type="notice", sort="date", page="2")
    assert second.count('<li class="search-hit">') == 2
    assert "第12期" in second


def test_zero_results_suggest_what_to_try(client, portal):
    make_content(portal["a"], title="柠檬产业发展", slug="lemon")
    html = search(client, q="柠檬产业", type="policy")
    assert "没有找到" in html
    assert "在全部类型、单位和日期中搜索" in html and "?q=%E6%9F%A0%E6%AA%AC%E4%BA%A7%E4%B8%9A" in html
    html = search(client, q="柠檬产业养老保险")
    assert "只搜索" in html and ">柠檬<" in html
    assert "文号或索引号" in html


def test_document_number_in_any_brackets(client, portal):
    policy = make_content(
        portal["a"],
        model=PolicyDocumentPage,
        title="关于印发防汛应急预案的通知",
        document_number="安府发〔2025〕12号",
        written_date=datetime.date(2025, 3, 1),
        issuing_authority="安岳县人民政府",
    )
    make_content(
        portal["a"],
        model=PolicyDocumentPage,
        title="关于印发森林防火预案的通知",
        document_number="安府发〔2025〕2号",
        written_date=datetime.date(2025, 3, 1),
        issuing_authority="安岳县人民政府",
        slug="other",
    )
    brackets = ["〔〕", "[]", "()", "【】", "（）", "［］"]
    for typed in [f"安府发{a}2025{b}12号" for a, b in brackets] + ["安府发2025 12号", "安府发 2025 12 号"]:
        html = search(client, q=typed)
        assert f'href="{policy.url}"' in html, typed
        assert "森林防火" not in html, typed


def test_attachment_text_is_found_once_published(client, portal):
    document = text_document("石羊镇柑橘种植补贴发放明细表")
    page = make_content(portal["a"], title="补贴公示", slug="subsidy")
    page.body = with_attachment(document)
    page.save_revision()
    # A draft adding an attachment to a live page: the public index still holds the live row.
    assert "补贴公示" not in search(client, q="柑橘种植")
    page.get_latest_revision().publish()
    html = search(client, marked=True, q="柑橘种植")
    assert "补贴公示" in html
    assert "附件：" in html and "<mark>柑橘种植</mark>" in html


def test_drafts_restricted_and_unpublished_pages_are_never_found(client, portal):
    make_content(portal["a"], title="草稿防汛检查", publish=False, slug="draft")
    restricted = make_content(portal["a"], title="内部防汛检查", slug="restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="secret")
    gone = make_content(portal["a"], title="撤回防汛检查", slug="gone")
    gone.unpublish()
    live_draft = make_content(portal["a"], title="公开防汛检查", slug="live")
    live_draft.title = "改稿防汛检查"
    live_draft.save_revision()
    html = search(client, q="防汛检查")
    assert "公开防汛检查" in html
    for title in ("草稿防汛检查", "内部防汛检查", "撤回防汛检查", "改稿防汛检查"):
        assert title not in html
    assert "没有找到" in search(client, q="改稿")


def test_publishing_updates_the_index_entry(client, portal):
    page = make_content(portal["a"], title="春季防汛部署会", slug="spring")
    page.title = "春季抗旱部署会"
    revision = page.save_revision()
    assert "春季防汛部署会" in search(client, q="防汛")
    assert "没有找到" in search(client, q="抗旱")
    revision.publish()
    assert "春季抗旱部署会" in search(client, q="抗旱")
    assert "没有找到" in search(client, q="防汛")


def test_disclosure_item_attachments_are_found_only_when_the_item_shows_them(client, home, township_a, county_office):
    from disclosure.statutory import DisclosureMode
    from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue

    unit_page = unit_catalogue(build_catalogue(home, county_office)[1], township_a, "sy")
    shown = make_item(
        unit_page,
        title="石羊镇财政预算公开",
        attachments=[("attachment", {"document": text_document("年度柑橘补贴资金安排表"), "title": "预算表"})],
    )
    make_item(
        unit_page,
        title="石羊镇依申请公开信息",
        disclosure_mode=DisclosureMode.ON_REQUEST,
        attachments=[("attachment", {"document": text_document("内部柑橘补贴审批意见"), "title": "审批意见"})],
    )
    html = search(client, q="柑橘补贴", type="disclosure")
    assert f'href="{shown.url}"' in html
    assert "石羊镇依申请公开信息" not in html and "审批意见" not in html


def test_a_metadata_only_item_is_not_found_by_words_of_its_hidden_body(client, home, township_a, county_office):
    from disclosure.statutory import DisclosureMode
    from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue

    unit_page = unit_catalogue(build_catalogue(home, county_office)[1], township_a, "sy")
    make_item(
        unit_page, title="石羊镇依申请公开答复", disclosure_mode=DisclosureMode.ON_REQUEST, text="榨菜加工厂审批意见"
    )
    assert "石羊镇依申请公开答复" not in search(client, q="榨菜加工")
    assert "石羊镇依申请公开答复" in search(client, q="依申请公开答复")
