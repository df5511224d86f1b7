"""Pages that must never fail: every body block with every optional field, and rich text from any source."""

import importlib
import json
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from wagtail.blocks import StructBlock
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision
from wagtail.rich_text import RichText

from site_pages.blocks import BodyBlock
from site_pages.demo.emblem import emblem_png
from site_pages.models import ArticlePage
from site_pages.sanitize import clean_rich_text
from tests.factories import log_in, make_content

from .test_sanitize import PAYLOADS

pytestmark = pytest.mark.usefixtures("shared_portal")

HOSTILE = [
    "<p>未闭合<b>粗体<i>斜体</p>",
    "<noscript><p>脚本</p></noscript>",
    '<svg><a href="javascript:alert(1)">图</a></svg>',
    "<form><input name=a>表单</form>",
    "<p>正文</p></div></span>",
]


def every_block(image, document, video):
    return [
        ("paragraph", RichText('<h2>标题</h2><p><b>粗</b><i>斜</i><a href="https://www.gov.cn/">链接</a></p><hr/>')),
        ("image", {"image": image, "alt": "卧佛院石刻", "caption": "卧佛院摩崖造像"}),
        (
            "table",
            {
                "data": [["姓名", "单位"], ["张某某", "石羊镇"]],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "拟表彰名单",
            },
        ),
        ("attachment", {"document": document, "title": "项目申报表"}),
        ("video", {"video": video, "poster": image, "caption": "安岳宣传片"}),
    ]


@pytest.fixture
def media(db):
    image = get_image_model()(title="石刻照片", file=ImageFile(BytesIO(emblem_png(64)), name="carving.png"))
    image.save()
    Document = get_document_model()
    document = Document(title="申报表")
    document.file.save("form.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    document.save()
    video = Document(title="宣传片")
    video.file.save("film.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    video.save()
    return image, document, video


def test_every_block_with_every_optional_field_renders_publicly_and_in_preview(client, portal, admin_user, media):
    page = make_content(portal["a"], title="多媒体信息")
    page.body = every_block(*media)
    revision = page.save_revision()
    revision.publish()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'poster="/media/images/' in html and "安岳宣传片" in html
    log_in(client, admin_user)
    preview = client.get(reverse("wagtailadmin_pages:revisions_view", args=(page.pk, revision.pk)))
    assert preview.status_code == 200
    assert 'poster="/media/images/' in preview.content.decode()
    assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 200


def test_the_block_list_holds_every_body_block_with_every_field(media):
    """A block type or an optional field added later must be added above, so that its page is rendered too."""
    blocks = dict(every_block(*media))
    children = BodyBlock().child_blocks
    assert set(blocks) == set(children)
    for name, block in children.items():
        if isinstance(block, StructBlock):
            assert set(blocks[name]) == set(block.child_blocks), name
            assert all(blocks[name].values()), name


def test_a_new_page_starts_with_a_paragraph_block(portal):
    page = ArticlePage(title="新信息")
    assert [block.block_type for block in page.body] == ["paragraph"]


@pytest.mark.parametrize("html", HOSTILE)
def test_rich_text_is_cleaned_on_orm_save_revision_and_raw_import(client, portal, admin_user, html):
    page = make_content(portal["a"], title="导入的旧稿件")
    page.body = [("paragraph", RichText(html))]
    page.save()
    stored = ArticlePage.objects.get(pk=page.pk).body.raw_data[0]["value"]
    assert stored == clean_rich_text(html)
    assert all(tag not in stored for tag in ("<svg", "<noscript", "<input", "<form", "javascript:"))
    page.body = json.dumps([{"type": "paragraph", "value": html}])
    revision = page.save_revision()
    body = revision.content["body"]
    assert (json.loads(body) if isinstance(body, str) else body)[0]["value"] == clean_rich_text(html)
    log_in(client, admin_user)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 200


# Whether stored rich text converts for the editor does not depend on the database.
@pytest.mark.one_database
def test_every_xss_corpus_page_opens_in_the_editor(client, portal, admin_user):
    if not PAYLOADS:
        pytest.skip("XSS corpus not available")
    log_in(client, admin_user)
    for start in range(0, len(PAYLOADS), 400):
        page = make_content(portal["a"], title=f"语料{start}", publish=False)
        page.body = [("paragraph", RichText(p)) for p in PAYLOADS[start : start + 400]]
        page.save_revision()
        response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200, start


def test_migration_repairs_rich_text_stored_past_every_check(client, portal, admin_user):
    from django.apps import apps

    repair = importlib.import_module("site_pages.migrations.0006_body_starts_with_paragraph_and_editable_rich_text")
    page = make_content(portal["a"], title="迁移前导入的稿件")
    hostile = [{"type": "paragraph", "value": html, "id": str(i)} for i, html in enumerate(HOSTILE)]
    # A queryset update writes the JSON as given, the way an old import or a raw migration did.
    ArticlePage.objects.filter(pk=page.pk).update(body=hostile)
    revision = page.latest_revision
    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "body": json.dumps(hostile)})
    log_in(client, admin_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.raise_request_exception = False
    assert client.get(edit_url).status_code == 500  # what the repair is for

    repair.repair_rich_text(apps, None)

    assert client.get(edit_url).status_code == 200
    stored = [block["value"] for block in ArticlePage.objects.get(pk=page.pk).body.raw_data]
    assert stored == [clean_rich_text(html) for html in HOSTILE]
    assert "<svg" not in json.dumps(Revision.objects.get(pk=revision.pk).content)
