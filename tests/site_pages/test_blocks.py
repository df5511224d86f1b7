"""Body blocks a government page needs render as accessible, download-safe HTML."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from site_pages.blocks import RICH_TEXT_FEATURES, BodyBlock
from site_pages.demo.emblem import emblem_png
from tests.factories import make_content


def test_body_offers_no_raw_html_block_and_a_restricted_rich_text():
    assert set(BodyBlock.base_blocks) == {"paragraph", "image", "table", "attachment", "video"}
    assert "embed" not in RICH_TEXT_FEATURES and "code" not in RICH_TEXT_FEATURES


def test_image_table_attachment_and_video_blocks_render(client, portal):
    image = get_image_model()(title="石刻照片", file=ImageFile(BytesIO(emblem_png(64)), name="carving.png"))
    image.save()
    Document = get_document_model()
    attachment = Document(title="申报表")
    attachment.file.save("form.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    attachment.save()
    video = Document(title="宣传片")
    video.file.save("film.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    page = make_content(portal["a"], title="多媒体信息")
    page.body = [
        ("paragraph", RichText("<p>正文第一段。</p>")),
        ("image", {"image": image, "alt": "卧佛院石刻", "caption": "卧佛院摩崖造像"}),
        (
            "table",
            {
                "data": [["姓名", "单位"], ["张某某", "石羊镇"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "拟表彰名单",
            },
        ),
        ("attachment", {"document": attachment, "title": "项目申报表"}),
        ("video", {"video": video, "poster": None, "caption": "安岳宣传片"}),
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert 'alt="卧佛院石刻"' in html and "<figcaption>卧佛院摩崖造像</figcaption>" in html
    assert "<caption>拟表彰名单</caption>" in html and "<th" in html and "张某某" in html
    assert "附件：" in html and "项目申报表" in html and "（DOCX）" in html
    assert "<video controls" in html and "安岳宣传片" in html
    response = client.get(attachment.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
