"""The admin speaks Chinese and wears the county's name: issue 13 §6."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, trans_real
from wagtail.models import Page, Site, Task, Workflow
from wagtail_factories import ImageFactory

from cms.adminui.guide import render_markdown
from site_pages.models import PortalSettings
from tests.factories import UserFactory, log_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]

SITE_NAME = "安岳县人民政府"  # WAGTAIL_SITE_NAME, shown while 门户网站设置 has no name


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def sr_texts(html):
    return {text.strip() for text in re.findall(r'class="w-sr-only">([^<]*)<', html)}


def test_sites_index_names_its_columns_in_chinese(admin_client, home):
    html = html_of(admin_client, reverse("wagtailsites:index"))
    for label in ("端口号", "站点名称", "根页面"):
        assert f"{label}\n" in html or f"{label}<" in html or f"{label} " in html, label
    for english in ("Port", "Site name", "Root page", 'aria-label="Actions"'):
        assert english not in html
    assert 'aria-label="动作"' in html
    assert title_of(html) == f"站点 - {SITE_NAME}"


def test_explorer_root_is_the_root_directory(admin_client, home):
    html = html_of(admin_client, reverse("wagtailadmin_explore_root"))
    assert title_of(html) == f"浏览: 根目录 - {SITE_NAME}"
    assert "Root" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "Wagtail" not in title_of(html)


def test_boolean_columns_speak_chinese_to_screen_readers(admin_client):
    UserFactory(is_active=False)
    texts = sr_texts(html_of(admin_client, reverse("wagtailusers_users:index")))
    assert {"是"} <= texts
    assert not {"True", "False", "None"} & texts


def test_aging_pages_report_names_no_publisher_instead_of_none(admin_client, home):
    html = html_of(admin_client, reverse("wagtailadmin_reports:aging_pages"))
    assert home.title in html and "未记录" in html
    assert not re.search(r">\s*None\s*<", html)


def test_login_page_wears_the_county_name(client):
    html = html_of(client, reverse("wagtailadmin_login"))
    assert title_of(html) == f"登录 - {SITE_NAME}"
    assert f"登录{SITE_NAME}网站管理后台" in html
    assert "Wagtail" not in html
    assert re.search(r'<label[^>]*for="id_password"[^>]*>\s*密码', html)


def test_admin_shows_the_portal_emblem_and_name_from_settings(admin_client, home):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.site_name = "某某县人民政府"
    portal.emblem = ImageFactory(title="县徽")
    portal.save()
    html = html_of(admin_client, reverse("wagtailadmin_home"))
    assert title_of(html) == "控制面板 - 某某县人民政府"
    sidebar_logo = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S).group(1)
    assert 'class="county-emblem"' in sidebar_logo and 'alt="某某县人民政府"' in sidebar_logo
    assert re.search(r'<link rel="icon" href="/media/images/[^"]+\.fill-64x64\.', html)


def test_help_links_to_the_county_editor_guide(admin_client):
    html = html_of(admin_client, reverse("wagtailadmin_home"))
    guide = reverse("adminui_editor_guide")
    assert f'"{guide}"' in html  # the help menu (sidebar props) and the dashboard's account summary
    assert f'href="{guide}"' in html
    assert "guide.wagtail.org" not in html
    assert "Wagtail" not in re.sub(r"<script.*?</script>|<svg.*?</svg>", "", html, flags=re.S)


def test_editor_guide_renders_with_its_screenshots(client, editor_a):
    log_in(client, editor_a)
    html = html_of(client, reverse("adminui_editor_guide"))
    assert title_of(html) == f"编辑指南 - {SITE_NAME}"
    assert "<h1>" in html and "信息员" in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert images and all(src.startswith("/admin/editor-guide/images/") for src in images)
    for src in set(images):
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", src
        assert b"".join(response.streaming_content).startswith(b"\x89PNG"), src
    assert client.get(reverse("adminui_guide_image", args=["..%2Feditor-guide.md"])).status_code == 404
    assert client.get(reverse("adminui_guide_image", args=["missing.png"])).status_code == 404


def test_guide_markdown_joins_chinese_lines_and_passes_no_raw_html():
    source = "附上文件，\n提交以后\n\nkeep the\nspace <script>alert(1)</script>\n\n![图](images/login.png)\n"
    html = render_markdown(source)
    assert "<p>附上文件，提交以后</p>" in html
    assert "keep the\nspace &lt;script&gt;" in html and "<script>" not in html
    assert f'<img src="{reverse("adminui_guide_image", args=["login.png"])}" alt="图"' in html


def test_editor_guide_is_for_signed_in_staff_only(client):
    response = client.get(reverse("adminui_editor_guide"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))


def test_wagtail_default_groups_are_gone_and_the_root_is_chinese():
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert Page.get_first_root_node().title == "根目录"


def test_wagtail_retired_workflow_is_listed_in_chinese():
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert Workflow.objects.filter(name="原默认审批流程（已停用）", active=False).exists()


def test_a_default_group_someone_belongs_to_is_kept():
    migration = import_module("cms.adminui.migrations.0001_root_title_and_wagtail_groups")
    used = Group.objects.create(name="Editors")
    UserFactory().groups.add(used)
    Group.objects.create(name="Moderators")
    migration.forwards(apps, None)
    assert list(Group.objects.filter(name__in=["Editors", "Moderators"]).values_list("name", flat=True)) == ["Editors"]


def test_every_translation_writes_zhanghao_not_the_variant():
    """账号 throughout: every message the zh-hans catalogues (ours, Wagtail's, Django's) translate."""
    with translation.override("zh-hans"):
        catalog = trans_real.translation("zh-hans")._catalog
        assert not [key for key in set(catalog.keys()) if "帐号" in catalog[key]]
        assert gettext("Account") == "账号"
        assert gettext("Changes requested") == "已退回修改"
        assert "请求" not in gettext("Changes requested at")
