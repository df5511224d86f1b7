"""Search finds a page by what it holds: every character pair of its body, the contents of its PDF, DOCX and
XLSX attachments; among equal matches the newest comes first (issue 13 §1)."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from site_pages.models import ArticlePage
from site_pages.segmentation import WORD_RUN, normalise
from tests.factories import make_content
from tests.site_pages.test_search_results import search, with_attachment
from tests.workflows.test_checks import make_document, minimal_docx, minimal_pdf

pytestmark = pytest.mark.usefixtures("shared_portal")

BODY = "县农业农村局组织技术人员深入田间地头指导春季柠檬病虫害防治工作"


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ATTACHMENTS = {
    "pdf": ("附件一.pdf", lambda text: minimal_pdf(text)),
    "docx": ("附件二.docx", lambda text: minimal_docx(["说明如下", text])),
    "xlsx": ("附件三.xlsx", lambda text: xlsx_bytes([["序号", "项目"], [1, text]])),
}


@pytest.mark.parametrize("extension", ATTACHMENTS)
def test_attached_pdf_docx_and_xlsx_are_found_by_their_contents(client, portal, extension):
    name, build = ATTACHMENTS[extension]
    document = make_document(name, name, build("龙台镇高标准农田建设项目验收清单"))
    page = make_content(portal["a"], title="项目验收公示", slug="acceptance")
    page.body = with_attachment(document, text="详见附件。")
    page.save_revision().publish()

    html = search(client, marked=True, q="农田建设项目")
    assert f'href="{page.url}"' in html
    assert "附件：" in html and "<mark>农田建设项目</mark>" in html
    # Cut differently from the file's words: any two-character run of the contents finds it.
    assert f'href="{page.url}"' in search(client, q="田建")


def test_every_two_character_run_of_a_body_finds_its_page(client, portal):
    page = make_content(portal["a"], title="工作简讯", text=BODY, slug="brief")
    make_content(portal["a"], title="另一则简讯", text="县城道路改造工程顺利完工", slug="other")
    text = normalise(BODY)
    pieces = {text[i : i + 2] for i in range(len(text) - 1) if WORD_RUN.fullmatch(text[i : i + 2])}
    assert len(pieces) > 25
    missing = [piece for piece in sorted(pieces) if f'href="{page.url}"' not in search(client, q=piece)]
    assert missing == []
    # Longer runs cut across jieba's words, and a run that is not in the text finds nothing.
    for query in ("组织技术人", "头指导春", "柠檬病虫害防治"):
        assert f'href="{page.url}"' in search(client, q=query), query
    assert "没有找到" in search(client, q="柠檬防治工作")


def test_equal_matches_are_ranked_newest_first(client, portal):
    newer = make_content(portal["a"], title="秸秆禁烧工作部署", text="全面部署。", slug="newer")
    # The older page is created last: its higher id alone would put it first.
    older = make_content(portal["a"], title="秸秆禁烧工作部署", text="全面部署。", slug="older")
    now = timezone.now()
    ArticlePage.objects.filter(pk=newer.pk).update(first_published_at=now - datetime.timedelta(days=2))
    ArticlePage.objects.filter(pk=older.pk).update(first_published_at=now - datetime.timedelta(days=9))
    html = search(client, q="秸秆禁烧")
    assert html.index(f'href="{newer.url}"') < html.index(f'href="{older.url}"')
    ArticlePage.objects.filter(pk=older.pk).update(first_published_at=now - datetime.timedelta(days=1))
    html = search(client, q="秸秆禁烧")
    assert html.index(f'href="{older.url}"') < html.index(f'href="{newer.url}"')
