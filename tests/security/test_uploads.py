import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.security.samples import written_pdf

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

PDF = written_pdf()
HTML = b"<!DOCTYPE html><html><body><script>document.location='http://evil.example/'</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_a_real_pdf_and_docx_are_accepted(admin_client):
    assert upload_document(admin_client, "通知.pdf", PDF).status_code == 302
    assert upload_document(admin_client, "通知.docx", docx_bytes()).status_code == 302
    assert Document.objects.count() == 2


def test_html_renamed_as_pdf_is_refused(admin_client):
    response = upload_document(admin_client, "通知.pdf", HTML)
    assert response.status_code == 200
    assert "可执行内容" in response.content.decode()
    assert not Document.objects.exists()


def test_text_that_is_not_a_pdf_is_refused_as_a_mismatch(admin_client):
    response = upload_document(admin_client, "通知.pdf", "这是一段文字".encode())
    assert "文件内容与扩展名 .pdf 不符" in response.content.decode()
    assert not Document.objects.exists()


def test_svg_and_html_documents_are_refused_whatever_they_are_called(admin_client):
    for name, content in (("图.svg", SVG), ("页面.html", HTML), ("说明.txt", SVG), ("表格.docx", HTML)):
        response = upload_document(admin_client, name, content)
        assert response.status_code == 200, name
    assert not Document.objects.exists()


def test_pdf_with_javascript_is_refused(admin_client):
    response = upload_document(
        admin_client, "表.pdf", PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript >>")
    )
    assert "PDF 文件包含脚本" in response.content.decode()
    assert not Document.objects.exists()


def test_oversize_document_is_refused(admin_client, settings):
    settings.SECURITY_DOCUMENT_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "大文件.pdf", PDF + b"0" * 2048)
    assert "文件过大" in response.content.decode()
    assert not Document.objects.exists()


def test_multiple_upload_applies_the_same_checks(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": Collection.get_first_root_node().pk, "files[]": SimpleUploadedFile("附件.pdf", HTML)},
    )
    data = response.json()
    assert data["success"] is False
    assert "可执行内容" in data["error_message"]
    assert not Document.objects.exists()


def test_svg_image_is_refused(admin_client):
    response = upload_image(admin_client, "logo.svg", SVG)
    assert response.status_code == 200
    assert "不支持的图片格式" in response.content.decode()
    assert not Image.objects.exists()


def test_html_renamed_as_png_is_refused(admin_client):
    response = upload_image(admin_client, "photo.png", HTML)
    assert response.status_code == 200
    assert "不是有效的 .png 图像" in response.content.decode()
    assert not Image.objects.exists()


def test_oversize_image_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50
    response = upload_image(admin_client, "photo.png", png_bytes())
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_a_real_png_is_accepted(admin_client):
    assert upload_image(admin_client, "photo.png", png_bytes()).status_code == 302
    assert Image.objects.count() == 1


def test_only_pdf_documents_open_inline(admin_client, settings):
    upload_document(admin_client, "通知.pdf", PDF)
    upload_document(admin_client, "通知.docx", docx_bytes())
    upload_document(admin_client, "说明.txt", "纯文本说明".encode())
    dispositions = {doc.file_extension: doc.content_disposition for doc in Document.objects.all()}
    assert dispositions["pdf"] == "inline"
    assert dispositions["docx"].startswith("attachment")
    assert dispositions["txt"].startswith("attachment")
    txt = Document.objects.get(file__endswith=".txt")
    response = admin_client.get(reverse("wagtaildocs_serve", args=[txt.pk, txt.filename]))
    assert response["Content-Disposition"].startswith("attachment")


def test_a_real_png_carrying_script_markup_is_refused(admin_client):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(document.cookie)</script>")
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(buffer, "PNG", pnginfo=info)
    response = upload_image(admin_client, "photo.png", buffer.getvalue())
    assert "可执行内容" in response.content.decode()
    assert not Image.objects.exists()
