import datetime
import io
import json
import threading

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from cms.inspection import links
from cms.inspection.checks.links import broken_links
from cms.inspection.external_links import ExternalLinkChecker
from cms.inspection.findings import InspectionContext, Kind, Severity
from cms.inspection.hidden import hidden_links
from site_pages.models import ArticlePage
from tests.factories import UnitFactory, make_column, make_content, make_home
from tests.inspection.local_server import local_server  # noqa: F401

SPAM = "http://spam.example/casino"
TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (f'<div style="display:none"><a href="{SPAM}">x</a></div>', "display:none"),
        (f'<p style="visibility: hidden !important"><a href="{SPAM}">x</a></p>', "visibility:hidden"),
        (f'<div style="position:absolute;left:-9999px"><a href="{SPAM}">x</a></div>', "移出屏幕（left:-9999px）"),
        (f'<div style="text-indent:-200em"><a href="{SPAM}">x</a></div>', "移出屏幕（text-indent:-200em）"),
        (f'<span style="font-size:0"><a href="{SPAM}">x</a></span>', "font-size:0"),
        (f'<div style="height:0;overflow:hidden"><a href="{SPAM}">x</a></div>', "尺寸为 0"),
        (f'<div hidden><a href="{SPAM}">x</a></div>', "hidden 属性"),
        (f'<div style="background:#FFF"><a style="color:white" href="{SPAM}">x</a></div>', "文字颜色与背景相同"),
        (
            f'<div style="background-color:rgb(0, 0, 0)"><a style="color:#000" href="{SPAM}">x</a></div>',
            "文字颜色与背景相同",
        ),
        (
            f'<style>.seo, p {{color:red}} #x{{display: none}}</style><p id="x"><a href="{SPAM}">x</a></p>',
            "display:none",
        ),
    ],
)
def test_hidden_links_by_inline_style_and_style_block(html, reason):
    assert hidden_links(f"<html><body>{html}</body></html>", "http://gov.test/a/", {"gov.test"}) == [(SPAM, reason)]


@pytest.mark.parametrize(
    "html",
    [
        f'<p><a href="{SPAM}">可见的外部链接</a></p>',
        '<div style="display:none"><a href="/skip/">站内</a><a href="http://gov.test/x/">本站</a></div>',
        f'<div style="position:absolute;left:-20px"><a href="{SPAM}">略偏移</a></div>',
        f'<div style="background:#fff"><a style="color:#333" href="{SPAM}">深色文字</a></div>',
        '<div style="display:none"><a href="mailto:a@b.example">邮件</a></div>',
    ],
)
def test_visible_or_own_links_are_not_hidden_links(html):
    assert hidden_links(html, "http://gov.test/a/", {"gov.test"}) == []


@pytest.fixture
def checker():
    # Seconds enough for a local answer on a loaded machine (0.5 timed out on a 500 during a parallel run).
    return ExternalLinkChecker(concurrency=4, timeout=2, host_interval=0)


def test_external_checker_dead_redirecting_slow_and_head_refused(local_server, checker):  # noqa: F811
    server = local_server
    server.route("/ok")
    server.route("/gone", status=404)
    server.route("/error", status=500)
    server.route("/moved", status=301, Location="/ok")
    server.route("/moved-to-dead", status=302, Location="/gone")
    server.route("/loop", status=302, Location="/loop")
    server.route("/slow", delay=3.0)
    server.route("/no-head", allow_head=False)
    urls = [server.url(p) for p in ("/ok", "/gone", "/error", "/moved", "/moved-to-dead", "/loop", "/slow", "/no-head")]

    results = checker.check_all([*urls, server.url("/ok")])

    assert {url.removeprefix(server.base_url): (r.broken, r.detail) for url, r in results.items()} == {
        "/ok": (False, ""),
        "/gone": (True, "返回状态码 404"),
        "/error": (True, "返回状态码 500"),
        "/moved": (False, ""),
        "/moved-to-dead": (True, f"返回状态码 404（跳转至 {server.url('/gone')}）"),
        "/loop": (True, "跳转次数过多（超过 5 次）"),
        "/slow": (True, "访问超时（2 秒）"),
        "/no-head": (False, ""),
    }
    # HEAD first, GET only where HEAD is refused; every address once; one request at a time on one host.
    assert ("GET", "/no-head") in server.requests
    assert [r for r in server.requests if r[0] == "GET"] == [("GET", "/no-head")]
    assert server.requests.count(("HEAD", "/ok")) == 2  # once itself, once at the end of /moved


def test_external_checker_asks_one_host_one_request_at_a_time(local_server, checker, monkeypatch):  # noqa: F811
    """Measured where the requests leave the checker, so the server's own threads do not blur the count."""
    real_request = requests.request
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def counting(*args, **kwargs):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            return real_request(*args, **kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr("cms.inspection.external_links.requests.request", counting)
    for n in range(8):
        local_server.route(f"/page{n}", delay=0.05)
    results = checker.check_all([local_server.url(f"/page{n}") for n in range(8)])
    assert not any(result.broken for result in results.values())
    assert len(local_server.requests) == 8
    assert state["most"] == 1


def test_external_checker_reports_a_refused_connection(local_server, checker):  # noqa: F811
    url = local_server.url("/ok")
    local_server.server.shutdown()
    local_server.server.server_close()
    result = checker.check(url)
    assert result.broken and result.detail == "无法访问（ConnectionError）"


@pytest.fixture
def portal(db, settings, tmp_path):
    # 127.0.0.1 is the test server's host, so it must not count as the portal's own.
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = str(tmp_path)
    unit = UnitFactory(name="安岳县石羊镇人民政府测试", short_name="石羊镇")
    other = UnitFactory(name="安岳县龙台镇人民政府测试", short_name="龙台镇")
    home = make_home()
    column = make_column(home, "工作动态", unit, slug="gzdt")
    other_column = make_column(home, "龙台动态", other, slug="ltdt")
    target = make_content(column, title="目标", slug="target")
    draft = make_content(column, title="草稿", slug="draft", publish=False)
    document = get_document_model().objects.create(title="附件", file=ContentFile(b"%PDF-1.4", name="a.pdf"))
    lost = get_document_model().objects.create(title="丢失", file=ContentFile(b"%PDF-1.4", name="lost.pdf"))
    lost.file.storage.delete(lost.file.name)
    return {
        "unit": unit,
        "other": other,
        "home": home,
        "column": column,
        "other_column": other_column,
        "target": target,
        "draft": draft,
        "document": document,
        "lost": lost,
    }


def store_body(page, body):
    """Write the body as the database holds it, past the editor's cleaning (as an import or an intruder could)."""
    value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ArticlePage._meta.db_table} SET body = {value} WHERE page_ptr_id = %s",
            [json.dumps(body), page.pk],
        )


def paragraph(html):
    return {"type": "paragraph", "value": html, "id": "p"}


def test_links_in_live_content_resolved_without_http(portal, local_server):  # noqa: F811
    p = portal
    article = make_content(p["column"], title="链接测试", slug="links")
    store_body(
        article,
        [
            paragraph(
                f'<p><a linktype="page" id="{p["target"].pk}">好</a><a linktype="page" id="{p["draft"].pk}">草稿</a>'
                f'<a linktype="page" id="999999">已删</a><a linktype="document" id="{p["document"].pk}">附件</a>'
                f'<a linktype="document" id="999998">无附件</a><a href="/gzdt/target/">路径</a>'
                f'<a href="/gzdt/none/">无路径</a><a href="/gzdt/draft/">草稿路径</a><a href="http://localhost/gzdt/target/">本站全址</a>'
                f'<a href="/documents/{p["document"].pk}/a.pdf">下载</a><a href="mailto:x@gov.test">信</a>'
                f'<a href="{local_server.url("/gone")}">外链</a></p>'
                f'<div style="display:none"><a href="{SPAM}">暗链</a></div>'
            ),
            {"type": "attachment", "value": {"document": p["lost"].pk, "title": "丢失的附件"}, "id": "a"},
        ],
    )
    broken, hidden = links.find_problems(check_external=False)

    assert {(b.target, b.detail) for b in broken if b.page_id == article.pk} == {
        ("/gzdt/none/", "站内地址不存在"),
        ("/gzdt/draft/", "站内地址不存在"),
        (str(p["draft"].pk), "链接的页面不存在或已下线"),
        (str(p["lost"].pk), "附件文件缺失"),
        ("999998", "链接的附件不存在"),
        ("999999", "链接的页面不存在或已下线"),
    }
    assert {b.unit for b in broken} == {p["unit"].organisation_code}
    assert [(h.page_id, h.target, h.detail) for h in hidden] == [(article.pk, SPAM, "display:none")]
    assert local_server.requests == []  # nothing went over HTTP


def test_external_links_only_when_enabled(portal, local_server, settings):  # noqa: F811
    article = make_content(portal["column"], title="外链", slug="ext")
    store_body(article, [paragraph(f'<p><a href="{local_server.url("/gone")}">外链</a></p>')])
    settings.INSPECTION_LINK_HOST_INTERVAL = 0
    assert links.find_problems()[0] == []
    assert local_server.requests == []

    settings.INSPECTION_CHECK_EXTERNAL_LINKS = True
    broken, _hidden = links.find_problems()
    assert [(b.page_id, b.detail) for b in broken] == [(article.pk, "返回状态码 404")]
    assert local_server.requests == [("HEAD", "/gone")]


def test_inspect_site_switches_external_links_on_and_off(portal, local_server, settings):  # noqa: F811
    article = make_content(portal["column"], title="外链", slug="ext")
    store_body(article, [paragraph(f'<p><a href="{local_server.url("/gone")}">外链</a></p>')])
    settings.INSPECTION_LINK_HOST_INTERVAL = 0

    def broken_objects(*args):
        out = io.StringIO()
        call_command("inspect_site", "--format", "json", *args, stdout=out)
        return [row["detail"] for row in json.loads(out.getvalue())["findings"] if row["kind"] == Kind.BROKEN_LINK]

    assert broken_objects() == []
    assert local_server.requests == []
    (detail,) = broken_objects("--external-links")
    assert "返回状态码 404" in detail
    assert local_server.requests == [("HEAD", "/gone")]

    settings.INSPECTION_CHECK_EXTERNAL_LINKS = True
    assert broken_objects("--no-external-links") == []
    assert local_server.requests == [("HEAD", "/gone")]  # nothing more went over HTTP


def test_home_page_link_blocks_and_findings_by_unit(portal):
    p = portal
    p["home"].body = [
        {
            "type": "shortcuts",
            "value": {
                "title": "快捷",
                "links": [
                    {"type": "item", "value": {"label": "草稿", "page": p["draft"].pk, "url": ""}, "id": "1"},
                    {"type": "item", "value": {"label": "路径", "page": None, "url": "/nowhere/"}, "id": "2"},
                ],
            },
        }
    ]
    p["home"].save_revision().publish()
    other_article = make_content(p["other_column"], title="龙台", slug="lt")
    store_body(other_article, [paragraph('<p><a linktype="page" id="999999">已删</a></p>')])

    everything = list(broken_links(InspectionContext(as_of=TODAY)))
    home_findings = [f for f in everything if f.data["page_id"] == p["home"].pk]
    assert sorted(f.data["target"] for f in home_findings) == sorted([str(p["draft"].pk), "/nowhere/"])
    assert all(f.kind == Kind.BROKEN_LINK and f.severity == Severity.FINDING and f.unit == "" for f in home_findings)
    assert "首页版块 › 快捷链接" in home_findings[0].data["where"]
    assert home_findings[0].object.startswith(f"/admin/pages/{p['home'].pk}/edit/?link=")

    unit_only = list(broken_links(InspectionContext(as_of=TODAY, unit_code=p["other"].organisation_code)))
    assert [(f.unit, f.data["page_id"], f.data["target"]) for f in unit_only] == [
        (p["other"].organisation_code, other_article.pk, "999999")
    ]
    assert "《龙台》" in unit_only[0].detail


def test_queries_do_not_grow_with_columns_and_pages(portal):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            links.find_problems(check_external=False)
        return len(captured)

    def add_columns(count):
        for n in range(count):
            column = make_column(portal["home"], f"栏目{n}", portal["unit"])
            article = make_content(column, title=f"信息{n}")
            store_body(article, [paragraph(f'<p><a linktype="page" id="{portal["target"].pk}">链接</a></p>')])

    add_columns(2)
    # The first run fills Django's per-process content-type cache (one query per page type met), whatever the size.
    queries()
    few = queries()
    add_columns(6)
    assert queries() == few
