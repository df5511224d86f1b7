"""Attachments that are too big or damaged (issue 12 §4 and Tests): each gives one warning naming the file
and asking for a manual check, nothing raises, and the reviewer is never told a file was checked when it was not."""

import io

import pytest
from django.core.cache import cache
from openpyxl import Workbook

from site_pages.models import ArticlePage
from workflows import checks
from workflows.checks import attachments

from .test_checks import make_document, minimal_docx

pytestmark = pytest.mark.usefixtures("shared_portal")

ID_NUMBER = "11010519491231002X"
ROWS = [f"第{index}户 张三 {ID_NUMBER}" for index in range(60)]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row.split())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {
    "list.docx": lambda: minimal_docx(ROWS),
    "list.xlsx": lambda: xlsx(ROWS),
    "list.txt": lambda: "\n".join(ROWS).encode(),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


def page_with_attachment(portal, name, data):
    page = ArticlePage(title="名单", slug="list", live=False, body=[])
    page.body = [("attachment", {"document": make_document("名单", name, data), "title": ""})]
    portal["a"].add_child(instance=page)
    return page


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_part_over_the_size_bound_is_not_read_and_warns(portal, monkeypatch, name):
    page = page_with_attachment(portal, name, FILES[name]())
    found = checks.scan_object(page)
    assert {(f.kind, f.matched) for f in found} == {("id_number", ID_NUMBER)}  # read whole when small

    cache.clear()
    # Bigger than the bound once inflated (a few kilobytes of text, far less once compressed).
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_PART_BYTES", 1000)
    [warning] = checks.scan_object(page)
    assert (warning.category, warning.severity, warning.term) == ("attachment", "warn", name)
    assert "文档过大" in warning.suggestion and "请人工核对" in warning.suggestion


@pytest.mark.parametrize("name", ["damaged.docx", "damaged.xlsx"])
def test_a_damaged_office_file_warns(portal, name):
    page = page_with_attachment(portal, name, b"PK\x03\x04 not really a zip archive")
    [warning] = checks.scan_object(page)
    assert (warning.category, warning.severity, warning.term) == ("attachment", "warn", name)
    assert "无法读取文件内容" in warning.suggestion
