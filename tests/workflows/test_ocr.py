"""Scanned attachments and images (issue 12 §4): OCR of images and image-only PDF pages, its bounds and
failures, and the 自动检查 stage blocking a page whose scan shows resident ID numbers."""

import datetime
import io
import struct
import subprocess
import zlib

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from site_pages.models import ArticlePage
from tests.factories import log_in
from workflows import api, checks
from workflows.checks import ocr
from workflows.lexicon.leaders import register_cache
from workflows.lexicon.models import LeaderTitle

from .test_checks import minimal_docx

pytestmark = pytest.mark.usefixtures("shared_portal")


def resident_id(first17):
    return first17 + checks.id_number_check_character(first17)


# 安岳县 (512021) residents; the check characters make them valid, so they block publication.
IDS = [resident_id("51202119800312231"), resident_id("51202119750708124"), resident_id("51202119920115006")]
NAMES = ["张建国", "李秀英", "王志强"]


def _cjk_font(size):
    listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=True).stdout
    paths = sorted(line.split(":")[0] for line in listing.splitlines() if "Noto" in line and "Regular" in line)
    assert paths, "fonts-noto-cjk is missing: make system-deps"
    return ImageFont.truetype(paths[0], size)


def page_image(lines):
    """A white page showing `lines` in black, as a scan would."""
    font = _cjk_font(28)
    image = Image.new("L", (760, 60 + 46 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((30, 30 + 46 * index), line, font=font, fill=0)
    return image


def name_list():
    return page_image(["低保对象公示名单", "姓名  身份证号码"] + [f"{n}  {i}" for n, i in zip(NAMES, IDS, strict=True)])


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def image_only_pdf(*pages):
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=list(pages[1:]), resolution=100)
    return buffer.getvalue()


def make_document(title, name, data):
    return get_document_model().objects.create(title=title, file=ContentFile(data, name=name))


def make_image(title, data, name="scan.png"):
    return get_image_model().objects.create(title=title, file=ImageFile(io.BytesIO(data), name=name))


def article(parent, body, slug="scan"):
    page = ArticlePage(title="低保公示", slug=slug, body=body, live=False)
    parent.add_child(instance=page)
    return page


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files in a directory of their own; OCR results and lexicon of an earlier test are not reused."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    checks.invalidate_lexicon_cache()
    yield
    cache.clear()
    checks.invalidate_lexicon_cache()


def by_category(findings, category):
    return [f for f in findings if f.category == category]


def test_id_numbers_in_an_image_block_and_an_image_attachment_block_publication(portal):
    scan = png(name_list())
    body = [
        ("image", {"image": make_image("公示名单照片", scan), "alt": "公示名单", "caption": ""}),
        ("attachment", {"document": make_document("公示名单", "list.png", scan), "title": ""}),
    ]
    page = article(portal["a"], body)

    findings = checks.scan_object(page)

    for field, label in (
        ("body.0.image.image", "正文 › 第1块（图片） › 图片 › 图片《公示名单照片》"),
        ("body.1.attachment.document", "正文 › 第2块（附件下载） › 附件 › 附件《公示名单》"),
    ):
        personal = [f for f in by_category(findings, "personal_data") if f.field == field]
        assert [(f.kind, f.matched, f.severity) for f in personal] == [("id_number", number, "block") for number in IDS]
        assert {f.field_label for f in personal} == {label}
        assert all("一键脱敏无法修改图片" in f.suggestion and "替换" in f.suggestion for f in personal)
    # One-click masking cannot edit a picture and does not claim to have done so.
    assert checks.mask_object_personal_data(page) == 0


def test_image_only_pdf_findings_name_the_page_and_the_page_limit_warns(portal, settings):
    cover = page_image(["秘密★一年", "安岳县民政局", "关于低保对象的公示"])
    pdf = make_document("低保名单", "list.pdf", image_only_pdf(cover, name_list()))
    page = article(portal["a"], [("attachment", {"document": pdf, "title": ""})])

    findings = checks.scan_object(page)
    personal = by_category(findings, "personal_data")
    assert [f.matched for f in personal] == IDS
    assert {f.field_label for f in personal} == {"正文 › 第1块（附件下载） › 附件 › 附件《低保名单》第2页"}
    [marking] = by_category(findings, "confidential")
    assert (marking.matched, marking.severity) == ("秘密★一年", "block")
    assert marking.field_label == "正文 › 第1块（附件下载） › 附件 › 附件《低保名单》第1页"
    assert not by_category(findings, "attachment")

    settings.WORKFLOW_OCR_MAX_PAGES = 1
    findings = checks.scan_object(page)
    assert not by_category(findings, "personal_data")
    [cut] = by_category(findings, "attachment")
    assert cut.severity == "warn" and cut.term == "list.pdf"
    assert "共2页" in cut.suggestion and "仅自动识别了前1页" in cut.suggestion


def test_a_sideways_phone_photo_is_read_upright(portal):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    buffer = io.BytesIO()
    name_list().rotate(90, expand=True).save(buffer, "JPEG", quality=90, exif=exif)
    document = make_document("公示名单照片", "photo.jpg", buffer.getvalue())
    assert [f.matched for f in ocr.scan_scans(document, "jpg")] == IDS


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb():
    """A well-formed PNG header claiming 40000 × 40000 pixels (1.6 billion) over a few bytes of data."""
    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片已损坏或格式无法识别"),
        ("bomb.png", decompression_bomb(), "图片像素过多"),
        ("cut.tif", png(page_image(["公示"]))[:200], "图片已损坏或格式无法识别"),
    ],
)
def test_a_damaged_or_oversized_scan_gives_one_warning(portal, name, data, reason):
    document = make_document("扫描件", name, data)
    page = article(portal["a"], [("attachment", {"document": document, "title": ""})])
    [finding] = checks.scan_object(page)
    assert (finding.category, finding.severity, finding.term) == ("attachment", "warn", name)
    assert reason in finding.suggestion and "请人工核对" in finding.suggestion


def test_a_file_over_the_size_bound_is_not_read(portal, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_SCAN_FILE_BYTES", 100)
    document = make_document("扫描件", "list.png", png(name_list()))
    [finding] = ocr.scan_scans(document, "png")
    assert finding.severity == "warn" and "文件过大" in finding.suggestion


def test_a_page_over_the_time_limit_warns_and_is_read_again_next_time(portal, settings, monkeypatch):
    scan = png(name_list())
    document = make_document("公示名单", "list.png", scan)
    settings.WORKFLOW_OCR_PAGE_TIMEOUT = 0.001
    [finding] = ocr.scan_scans(document, "png")
    assert finding.severity == "warn" and "识别超时" in finding.suggestion

    settings.WORKFLOW_OCR_PAGE_TIMEOUT = 60
    assert [f.matched for f in ocr.scan_scans(document, "png")] == IDS

    def no_ocr(png):
        raise AssertionError("recognised again")

    # The text is cached by content: the same scan uploaded again is not read again.
    monkeypatch.setattr(ocr, "_recognise_png", no_ocr)
    copy = make_document("公示名单（重新上传）", "list-again.png", scan)
    assert [f.matched for f in ocr.scan_scans(copy, "png")] == IDS


def test_without_tesseract_a_scan_warns_instead_of_failing(portal, monkeypatch, tmp_path):
    image = make_image("公示名单", png(name_list()))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    page = article(portal["a"], [("image", {"image": image, "alt": "公示名单", "caption": ""})])
    [finding] = checks.scan_object(page)
    assert (finding.category, finding.severity) == ("attachment", "warn")
    assert finding.suggestion.startswith("扫描件未能自动识别：服务器未安装文字识别组件")
    assert finding.field_label == "正文 › 第1块（图片） › 图片 › 图片《公示名单》"


def test_a_text_pdf_is_not_sent_to_ocr(portal, monkeypatch):
    from .test_checks import minimal_pdf

    def no_ocr(png):
        raise AssertionError("a page with text was sent to OCR")

    monkeypatch.setattr(ocr, "_recognise_png", no_ocr)
    pdf = make_document("说明", "guide.pdf", minimal_pdf(f"申请人身份证号{IDS[0]}"))
    findings = checks.scan_object(article(portal["a"], [("attachment", {"document": pdf, "title": ""})]))
    assert [(f.kind, f.field_label) for f in findings] == [
        ("id_number", "正文 › 第1块（附件下载） › 附件 › 附件《说明》")
    ]


def test_leader_titles_are_checked_in_attachment_text(portal):
    register_cache.invalidate()
    LeaderTitle.objects.create(name="周文博", title="县长", rank=2, valid_from=datetime.date(2024, 4, 1))
    LeaderTitle.objects.create(name="郑浩然", title="副县长", rank=6, valid_from=datetime.date(2023, 2, 1))
    docx = make_document("会议纪要", "minutes.docx", minimal_docx(["会上，郑浩然县长指出"]))
    page = article(portal["a"], [("attachment", {"document": docx, "title": ""})])
    [finding] = checks.scan_object(page)
    register_cache.invalidate()
    assert (finding.category, finding.matched, finding.severity) == ("expression", "郑浩然县长", "block")
    assert finding.field_label == "正文 › 第1块（附件下载） › 附件 › 附件《会议纪要》"


def test_automatic_check_stage_sends_back_a_page_with_a_scanned_id_list(draft, reviewers):
    content = draft.get_latest_revision().as_object()
    image = make_image("低保名单", png(name_list()))
    content.body = [
        ("paragraph", RichText("<p>现将低保对象名单公示如下。</p>")),
        ("image", {"image": image, "alt": "低保对象名单", "caption": ""}),
    ]
    content.save_revision(user=reviewers["info_officer"])

    with pytest.raises(api.WorkflowError) as refused:
        api.submit(draft, reviewers["info_officer"])

    assert api.current_stage(draft) is None
    blocking = [f for f in refused.value.findings if f["severity"] == "block"]
    assert [f["matched"] for f in blocking] == IDS
    assert all(f["field"] == "body.1.image.image" and "图片《低保名单》" in f["field_label"] for f in blocking)
    assert "图片《低保名单》" in str(refused.value)


def test_the_deidentify_page_lists_scanned_personal_data_apart_and_masks_only_text(client, draft, reviewers):
    content = draft.get_latest_revision().as_object()
    content.body = [
        ("paragraph", RichText("<p>联系电话13800138000。</p>")),
        ("image", {"image": make_image("低保名单", png(name_list())), "alt": "低保对象名单", "caption": ""}),
    ]
    content.save_revision(user=reviewers["info_officer"])
    with pytest.raises(api.WorkflowError):
        api.submit(draft, reviewers["info_officer"])
    run = api.latest_check_run(draft)
    assert {f["source"] for f in run.findings if f["field"] == "body.1.image.image"} == {"file"}
    assert {f["source"] for f in run.findings if f["field"].startswith("body.0")} == {""}

    log_in(client, reviewers["info_officer"])
    url = reverse("workflows:deidentify", args=[draft.get_base_content_type().pk, draft.pk])
    page = client.get(url).content.decode()
    text_part, file_part = page.split("无法一键脱敏")
    assert "13800138000" in text_part and not any(number in text_part for number in IDS)
    assert all(number in file_part for number in IDS)

    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    masked = draft.get_latest_revision().as_object()
    assert "138****8000" in masked.body[0].value.source
    assert masked.body[1].value["image"].pk == content.body[1].value["image"].pk
