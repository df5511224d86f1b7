"""词库管理 in the admin: listing, import (text and .xlsx, all or nothing), export, permissions."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD, UserFactory, log_in
from workflows import checks
from workflows.lexicon.models import LexiconEntry

INDEX = "/admin/lexicon/"
IMPORT = "/admin/lexicon/import/"
EXPORT = "/admin/lexicon/export/"


@pytest.fixture(autouse=True)
def fresh_lexicon(db):
    checks.invalidate_lexicon_cache()
    yield
    checks.invalidate_lexicon_cache()


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="lexicon_admin", is_superuser=True, is_staff=True)
    return log_in(client, user)


def upload(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode("utf-8"))


def post_import(client, name, content, category="sensitive", severity="block"):
    return client.post(IMPORT, {"file": upload(name, content), "category": category, "severity": severity}, follow=True)


def refused(response):
    """Wagtail turns PermissionDenied in the admin into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def snapshot():
    return sorted(
        LexiconEntry.objects.filter(active=True).values_list("term", "category", "severity", "suggestion", "whitelist")
    )


def test_listing_filters_and_search(admin_client):
    response = admin_client.get(INDEX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "词库" in content and "100%" in content
    assert "导入词库" in content and "导出为 Excel" in content
    filtered = admin_client.get(INDEX, {"category": "sensitive"}).content.decode()
    assert "翻墙软件" in filtered and "100%" not in filtered
    wording = admin_client.get(INDEX, {"category": "wording", "severity": "warn", "active": "true"}).content.decode()
    assert "党中央国务院" in wording and "翻墙软件" not in wording
    searched = admin_client.get(INDEX, {"q": "两学一"}).content.decode()
    assert "两学一作" in searched and "翻墙软件" not in searched


def test_text_import_creates_updates_and_skips(admin_client):
    LexiconEntry.objects.create(term="旧词条", category="custom", severity="warn")
    content = "\n".join(
        [
            "# 注释行不导入",
            "新敏感词甲",  # bare term: category and severity from the form
            "新广告词\tadvertising\t提示\t\t新广告词语|本新广告词",
            "某错误说法\t规范表述\twarn\t某正确说法",
            "旧词条\tcustom\tblock",  # changes severity: updated
            "翻墙软件\tsensitive\tblock",  # identical to the seeded entry: skipped
            "新敏感词甲",  # repeated line: skipped
            "",
        ]
    )
    response = post_import(admin_client, "words.txt", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "新增 3 条，更新 1 条，跳过 2 条" in page
    entry = LexiconEntry.objects.get(term="新敏感词甲")
    assert (entry.category, entry.severity) == ("sensitive", "block")
    advert = LexiconEntry.objects.get(term="新广告词")
    assert (advert.category, advert.severity, advert.whitelist_phrases) == (
        "advertising",
        "warn",
        ["新广告词语", "本新广告词"],
    )
    assert LexiconEntry.objects.get(term="某错误说法").suggestion == "某正确说法"
    assert LexiconEntry.objects.get(term="旧词条").severity == "block"
    # The scanner sees imported terms at once.
    assert [f.term for f in checks.scan_text("这里有新敏感词甲") if f.category == "sensitive"] == ["新敏感词甲"]


def test_a_bad_line_is_reported_by_number_and_nothing_is_imported(admin_client):
    before = snapshot()
    content = "\n".join(
        [
            "好词条一",
            "好词条二\tcustom\twarn",
            "坏类别\tnonsense\twarn",
            "第一\tadvertising\twarn\t\t第一条|第二条",
            "缺正确表述\twording\twarn",
            "a\tb\tc\td\te\tf\tg",
        ]
    )
    response = post_import(admin_client, "words.txt", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "未导入任何词条" in page
    assert "第 3 行" in page and "未知的类别“nonsense”" in page
    assert "第 4 行" in page and "白名单短语“第二条”不包含词条“第一”" in page
    assert "第 5 行" in page and "规范表述类词条必须填写正确表述" in page
    assert "第 6 行" in page and "列数过多" in page
    assert "第 1 行" not in page and "第 2 行" not in page
    assert snapshot() == before
    assert not LexiconEntry.objects.filter(term__startswith="好词条").exists()


def test_text_export_round_trip(admin_client):
    LexiconEntry.objects.create(term="往返词", category="custom", severity="block", whitelist="往返词典\n来往返词")
    response = admin_client.get(EXPORT, {"format": "txt"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    data = response.content
    lines = data.decode("utf-8").splitlines()
    assert "往返词\tcustom\tblock\t\t往返词典|来往返词\t" in lines
    assert "第一\tadvertising\twarn\t\t" in "\n".join(lines)
    before = snapshot()
    LexiconEntry.objects.all().delete()
    response = post_import(admin_client, "export.txt", data)
    assert f"新增 {len(before)} 条" in response.content.decode()
    assert snapshot() == before


def test_xlsx_export_round_trip(admin_client):
    response = admin_client.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("词条", "类别", "处理方式", "正确表述")
    assert ("党中央国务院", "规范表述", "提示", "党中央、国务院") in [row[:4] for row in rows]
    before = snapshot()
    LexiconEntry.objects.all().delete()
    response = post_import(admin_client, "export.xlsx", response.content)
    assert f"新增 {len(before)} 条" in response.content.decode()
    assert snapshot() == before


def test_xlsx_bad_row_is_reported_with_its_row_number(admin_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["词条", "类别", "处理方式", "正确表述", "白名单"])
    sheet.append(["表格词一", "自定义", "提示"])
    sheet.append(["表格词二", "自定义", "立即枪毙"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_import(admin_client, "words.xlsx", buffer.getvalue())
    page = response.content.decode()
    assert "第 3 行" in page and "未知的处理方式“立即枪毙”" in page
    assert not LexiconEntry.objects.filter(term__startswith="表格词").exists()


def test_non_utf8_text_is_refused(admin_client):
    response = post_import(admin_client, "words.txt", "敏感词".encode("gb18030"))
    assert "UTF-8" in response.content.decode()
    assert not LexiconEntry.objects.filter(term="敏感词").exists()


def test_editor_may_neither_import_nor_export(client, editor_a):
    client.login(username=editor_a.username, password=PASSWORD)
    assert refused(client.get(IMPORT))
    data = {"file": upload("w.txt", "偷偷加的词"), "category": "custom", "severity": "warn"}
    assert refused(client.post(IMPORT, data))
    assert refused(client.get(EXPORT))
    assert not LexiconEntry.objects.filter(term="偷偷加的词").exists()


def test_view_permission_allows_export_but_not_import(client, db):
    user = UserFactory(username="lexicon_viewer")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_lexiconentry"),
    )
    client.login(username=user.username, password=PASSWORD)
    assert client.get(EXPORT, {"format": "txt"}).status_code == 200
    assert refused(client.get(IMPORT))
    user.user_permissions.add(Permission.objects.get(codename="add_lexiconentry"))
    user = type(user).objects.get(pk=user.pk)
    log_in(client, user)
    assert refused(client.get(IMPORT))  # add without change is not enough
    user.user_permissions.add(Permission.objects.get(codename="change_lexiconentry"))
    user = type(user).objects.get(pk=user.pk)
    log_in(client, user)
    response = client.get(IMPORT)
    assert response.status_code == 200
    assert "制表符" in response.content.decode()
