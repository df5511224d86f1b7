"""The pre-publication scanner: lexicon evasion, whitelists, markings, personal data, links, objects."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from site_pages.models import ArticlePage
from workflows import checks
from workflows.checks import Finding, excerpt, mask_name, mask_object_personal_data, mask_personal_data, scan_text
from workflows.lexicon import matcher as matcher_module
from workflows.lexicon.models import LexiconEntry

DEMO_PAGES = Path(__file__).resolve().parents[2] / "site_pages" / "demo" / "pages.json"
VALID_ID = "11010519491231002X"  # GB 11643's own example
VALID_CARD = "6222021234567890128"  # Luhn-valid, UnionPay prefix


@pytest.fixture(autouse=True)
def fresh_lexicon(db):
    """Each test sees the lexicon of its own transaction (rollbacks send no signals)."""
    checks.invalidate_lexicon_cache()
    yield
    checks.invalidate_lexicon_cache()


def only(findings, category):
    return [f for f in findings if f.category == category]


def assert_offsets(text, findings):
    for finding in findings:
        assert text[finding.start : finding.end] == finding.matched


# --------------------------------------------------------------------------- evasion


@pytest.mark.parametrize(
    "text",
    [
        "请勿相信代开发票广告",
        "请勿相信代 开 发 票广告",  # spaces
        "请勿相信代\u200b开\u200c发\ufeff票广告",  # zero-width characters
        "请勿相信代*开#发@票广告",  # ASCII symbols
        "请勿相信代·开·发·票广告",  # middle dots
        "请勿相信代，开，发，票广告",  # full-width punctuation between every character
        "请勿相信代　开　发　票广告",  # ideographic spaces
        "请勿相信代代开开发票广告",  # repeated characters
        "请勿相信代開發票广告",  # traditional characters
        "请勿相信代 開**發發　票广告",  # everything at once
    ],
)
def test_lexicon_survives_evasion_and_reports_original_offsets(text):
    findings = only(scan_text(text), "sensitive")
    assert [f.term for f in findings] == ["代开发票"]
    finding = findings[0]
    assert finding.severity == "block"
    assert text[finding.start : finding.end] == finding.matched
    # The span covers the whole evasive form, from its first to its last character.
    assert finding.matched[0] == "代" and finding.matched[-1] == "票"
    assert text[: finding.start] == "请勿相信" and text[finding.end :] == "广告"


def test_full_width_and_letter_case_are_folded():
    LexiconEntry.objects.create(term="VPN加速器", category="custom", severity="block")
    for text in ("下载vpn加速器", "下载ＶＰＮ加速器", "下载ｖＰｎ加速器", "下载V.P.N加速器"):
        findings = only(scan_text(text), "custom")
        assert len(findings) == 1, text
        assert findings[0].matched == text[2:]
    assert [f.term for f in only(scan_text("疗效１００％保证"), "advertising")] == ["100%"]


def test_words_meeting_across_a_comma_are_not_a_hit_but_spaced_out_characters_are():
    assert only(scan_text("严厉打击网络赌博，网站运营者须落实责任"), "sensitive") == []
    assert [f.term for f in only(scan_text("赌，博，网，站"), "sensitive")] == ["赌博网站"]


def test_doubled_digits_are_not_collapsed():
    assert only(scan_text("补贴标准为每人10%"), "advertising") == []


# --------------------------------------------------------------------------- whitelists


@pytest.mark.parametrize(
    "text",
    [
        "第一条 为规范政府网站管理，制定本办法。",
        "第一季度全县地区生产总值增长6%。",
        "驻村第一书记走访农户。",
        "发展是第一要务，人才是第一资源。",
        "依照最高人民法院的司法解释，提高最低生活保障标准，最大限度方便群众。",
        "坚决打赢脱贫攻坚战，消除绝对贫困。",
        "全年办件按期办结率100%。",
        "严守永久基本农田保护红线。",
    ],
)
def test_government_prose_does_not_trip_advertising_terms(text):
    assert only(scan_text(text), "advertising") == []


def test_advertising_terms_outside_their_whitelist_are_found():
    text = "我们是第一，本店产品最佳，效果100%。"
    findings = only(scan_text(text), "advertising")
    assert [f.term for f in findings] == ["第一", "最佳", "100%"]
    assert all(f.severity == "warn" for f in findings)
    assert_offsets(text, findings)
    # 最佳 is reported once, not also as the 最 inside it.
    assert "最" not in [f.term for f in findings]


def test_a_whitelist_phrase_suppresses_only_the_hit_it_contains():
    text = "第一条规定我们是第一"
    findings = only(scan_text(text), "advertising")
    assert [(f.start, f.end) for f in findings] == [(8, 10)]


def test_wording_is_matched_literally_with_its_right_form():
    assert only(scan_text("在党中央、国务院坚强领导下"), "wording") == []
    findings = only(scan_text("在党中央国务院坚强领导下"), "wording")
    assert [(f.term, f.suggestion) for f in findings] == [("党中央国务院", "党中央、国务院")]
    assert only(scan_text("党的十八大以来，全县……"), "wording") == []
    assert [f.suggestion for f in only(scan_text("十八大以来，全县……"), "wording")] == ["党的十八大以来"]
    assert only(scan_text("编制“十四五”规划"), "wording") == []
    assert [f.term for f in only(scan_text("编制十四五规划"), "wording")] == ["十四五规划"]


def test_seeded_entries_are_valid():
    entries = LexiconEntry.objects.all()
    assert entries.filter(category="advertising").count() >= 15
    assert entries.filter(category="wording").count() >= 100
    assert entries.filter(category="sensitive", severity="block").exists()
    for entry in entries:
        entry.full_clean()


def test_entry_validation_messages():
    entry = LexiconEntry(term="第一", category="advertising", severity="warn", whitelist="第一条\n第二条\n第一")
    with pytest.raises(Exception) as error:
        entry.full_clean()
    messages = error.value.message_dict["whitelist"]
    assert "白名单短语“第二条”不包含词条“第一”。" in messages
    assert any("与词条本身相同" in message for message in messages)
    with pytest.raises(Exception) as error:
        LexiconEntry(term=" ·· ", category="custom", severity="warn").full_clean()
    assert "term" in error.value.message_dict
    with pytest.raises(Exception) as error:
        LexiconEntry(term="某错误表述", category="wording", severity="warn").full_clean()
    assert error.value.message_dict["suggestion"] == ["规范表述类词条必须填写正确表述。"]


# --------------------------------------------------------------------------- cache


def test_new_entry_is_used_at_once_and_other_processes_notice(monkeypatch):
    text = "本文提到了演示禁用词。"
    assert only(scan_text(text), "custom") == []
    entry = LexiconEntry.objects.create(term="演示禁用词", category="custom", severity="block")
    assert [f.term for f in only(scan_text(text), "custom")] == ["演示禁用词"]
    entry.active = False
    entry.save()
    assert only(scan_text(text), "custom") == []

    # Another process changes the table (no signal here): seen once the version check runs.
    LexiconEntry.objects.filter(pk=entry.pk).update(
        active=True, updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert only(scan_text(text), "custom") == []  # still inside the trusted interval
    monkeypatch.setattr(matcher_module, "VERSION_CHECK_SECONDS", 0)
    assert [f.term for f in only(scan_text(text), "custom")] == ["演示禁用词"]


# --------------------------------------------------------------------------- confidentiality


@pytest.mark.parametrize(
    "text",
    [
        "机密★1年",
        "秘密★",
        "绝密★启用前",
        "秘密 ★ 5年\n关于……的通知",
        "保密期限：10年",
        "内部资料 注意保存",
        "【内部文件】关于……的通知",
        "不得外传\n会议纪要",
    ],
)
def test_confidentiality_markings_block(text):
    findings = only(scan_text(text), "confidential")
    assert findings and all(f.severity == "block" for f in findings)
    assert_offsets(text, findings)


@pytest.mark.parametrize(
    "text",
    [
        "涉及国家秘密的信息不得公开。",
        "国家秘密的保密期限，除另有规定外，绝密级不超过三十年。",
        "严禁在政府网站发布内部文件。",
        "涉密信息不得外传，工作秘密不得上网。",
    ],
)
def test_prose_about_secrets_is_not_a_marking(text):
    assert only(scan_text(text), "confidential") == []


def test_handling_word_in_prose_only_warns():
    # Issue 12: 注意保存 inside a sentence is shown to the reviewer but does not block.
    findings = only(scan_text("请注意保存好缴费票据。"), "confidential")
    assert [(f.severity, f.matched) for f in findings] == [("warn", "注意保存")]


# --------------------------------------------------------------------------- personal data


def test_personal_data_is_found_with_its_kind():
    text = f"申请人身份证{VALID_ID}，手机13812345678，银行卡{VALID_CARD}，邮箱zhang.san@example.com。"
    findings = only(scan_text(text), "personal_data")
    assert [(f.kind, f.matched) for f in findings] == [
        ("id_number", VALID_ID),
        ("mobile", "13812345678"),
        ("bank_card", VALID_CARD),
        ("email", "zhang.san@example.com"),
    ]
    assert all(f.severity == "block" for f in findings)
    assert_offsets(text, findings)


def test_grouped_numbers_are_found_too():
    text = "联系电话 138 1234 5678，卡号 6222 0212 3456 7890 128"
    kinds = [f.kind for f in only(scan_text(text), "personal_data")]
    assert kinds == ["mobile", "bank_card"]


@pytest.mark.parametrize(
    "text",
    [
        "安府办函〔2023〕8号",
        "2024年3月15日，20240315",
        "索引号：11510000MB1234567X/2024-00012",
        "索引号：000014349/2023-00211",
        "咨询电话：028-12345678，（028）23456789",
        "流水号2013812345678901",
        "编号6222021234567890124",  # 19 digits, fails Luhn
        "批次号51102219900307123X9",
    ],
)
def test_look_alikes_are_not_personal_data(text):
    assert only(scan_text(text), "personal_data") == []


def test_masking():
    text = f"身份证{VALID_ID}，手机13812345678，卡号{VALID_CARD}，邮箱zhang@example.com，文号安府发〔2024〕3号"
    masked = mask_personal_data(text)
    assert masked == (
        "身份证110***********002X，手机138****5678，卡号***************0128，"
        "邮箱z***@example.com，文号安府发〔2024〕3号"
    )
    assert only(scan_text(masked), "personal_data") == []
    assert mask_personal_data("138 1234 5678") == "138 **** 5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("王小明") == "王**"


# --------------------------------------------------------------------------- links


def test_commercial_links_are_flagged_and_authoritative_ones_are_not():
    text = (
        "详见 https://shop.example.com/item?id=1。转载自http://www.gov.cn/zhengce/，"
        "参见www.anyue.gov.cn和https://www.people.com.cn/ 以及 https://fakegov.cn/x"
    )
    findings = only(scan_text(text), "commercial_link")
    assert [f.term for f in findings] == ["shop.example.com", "fakegov.cn"]
    assert findings[0].matched == "https://shop.example.com/item?id=1"
    assert all(f.severity == "warn" for f in findings)


# --------------------------------------------------------------------------- findings


def test_finding_round_trip_and_labels():
    text = "我们是第一名"
    finding = only(scan_text(text), "advertising")[0]
    stored = json.loads(json.dumps(finding.to_dict()))
    stored["overridden"] = True  # keys added by the workflow are ignored
    assert Finding.from_dict(stored) == finding
    assert finding.category_label == "广告用语"
    assert finding.severity_label == "提示"
    assert finding.excerpt == text
    assert excerpt("一二三四五六七八九十", 4, 6, width=2) == ("…三四", "五六", "七八…")


# --------------------------------------------------------------------------- objects


def minimal_docx(paragraphs):
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def minimal_pdf(text):
    """A one-page PDF whose text layer is `text`: a CID font (Identity-H) with a ToUnicode map."""
    characters = sorted(set(text))
    cid = {char: index + 1 for index, char in enumerate(characters)}
    shown = "".join(f"{cid[char]:04X}" for char in text)
    content = f"BT /F1 12 Tf 20 50 Td <{shown}> Tj ET".encode()
    bfchars = "\n".join(f"<{cid[char]:04X}> <{ord(char):04X}>" for char in characters)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(characters)} beginbfchar\n{bfchars}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H /DescendantFonts [6 0 R] "
        b"/ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_document(title, name, data):
    return get_document_model().objects.create(title=title, file=ContentFile(data, name=name))


@pytest.fixture
def page_with_everything(portal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    docx = make_document("会议纪要", "minutes.docx", minimal_docx(["关于项目的会议纪要", "机密★1年"]))
    pdf = make_document("下载说明", "guide.pdf", minimal_pdf("附件：翻墙软件下载说明"))
    broken = make_document("损坏的附件", "broken.pdf", b"%PDF-1.4 this is not a pdf")
    legacy = make_document("旧格式", "old.doc", b"\xd0\xcf\x11\xe0")
    table = {
        "data": [["事项", "联系人电话"], ["代开发票咨询", "13812345678"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "办理事项一览",
    }
    body = [
        (
            "paragraph",
            RichText(
                "<p>我县第一季度经济平稳。</p><p>申请人身份证号 11010519491231002X，详见"
                '<a href="https://shop.example.com/promo?tel=13900001111">活动页面</a>；'
                '政策原文见<a href="https://www.gov.cn/zhengce/">中国政府网</a>。</p>'
            ),
        ),
        ("table", table),
        ("attachment", {"document": docx, "title": "会议纪要"}),
        ("attachment", {"document": pdf, "title": ""}),
        ("attachment", {"document": broken, "title": ""}),
        ("attachment", {"document": legacy, "title": ""}),
    ]
    page = ArticlePage(
        title="我们是第一",
        slug="scan-me",
        summary="联系人手机 13912345678。",
        body=body,
        live=False,
    )
    portal["a"].add_child(instance=page)
    return page


def test_scan_object_covers_title_summary_rich_text_table_and_attachments(page_with_everything):
    page = page_with_everything
    findings = checks.scan_object(page)
    by_field = {}
    for finding in findings:
        by_field.setdefault(finding.field, []).append(finding)

    assert [(f.category, f.term) for f in by_field["title"]] == [("advertising", "第一")]
    assert by_field["title"][0].field_label == "标题"
    assert [f.kind for f in by_field["summary"]] == ["mobile"]
    assert by_field["summary"][0].field_label == "摘要"

    paragraph = by_field["body.0.paragraph"]
    assert {(f.category, f.term) for f in paragraph} == {
        ("personal_data", "身份证号码"),
        ("commercial_link", "shop.example.com"),
    }
    plain, _links = checks.html_to_text(page.body[0].value.source)
    assert_offsets(plain, paragraph)
    link = only(paragraph, "commercial_link")[0]
    assert link.matched == "活动页面"
    assert "第一季度" in plain and not only(paragraph, "advertising")
    assert paragraph[0].field_label.startswith("正文 › 第1块")

    cells = by_field["body.1.table.1.0"]
    assert [(f.category, f.term) for f in cells] == [("sensitive", "代开发票")]
    assert "第2行第1列" in cells[0].field_label
    assert [f.kind for f in by_field["body.1.table.1.1"]] == ["mobile"]

    docx = by_field["body.2.attachment.document"]
    assert [(f.category, f.matched) for f in docx] == [("confidential", "机密★1年")]
    assert "附件《会议纪要》" in docx[0].field_label
    pdf = by_field["body.3.attachment.document"]
    assert [(f.category, f.term) for f in pdf] == [("sensitive", "翻墙软件")]
    broken = by_field["body.4.attachment.document"]
    assert [(f.category, f.severity, f.term) for f in broken] == [("attachment", "warn", "broken.pdf")]
    legacy = by_field["body.5.attachment.document"]
    assert [(f.category, f.term) for f in legacy] == [("attachment", "old.doc")]
    assert not any(f.field in ("slug", "url_path") for f in findings)


def test_scan_object_reads_the_revision_object(page_with_everything):
    revision = page_with_everything.save_revision()
    content = revision.as_object()
    fields = {f.field for f in checks.scan_object(content)}
    assert {"title", "summary", "body.0.paragraph", "body.1.table.1.0"} <= fields


def test_mask_object_personal_data_rewrites_text_but_not_markup(page_with_everything):
    page = page_with_everything
    replaced = mask_object_personal_data(page)
    assert replaced == 3  # summary mobile, ID in rich text, mobile in the table
    assert page.summary == "联系人手机 139****5678。"
    source = page.body[0].value.source
    assert "110***********002X" in source
    assert 'href="https://shop.example.com/promo?tel=13900001111"' in source
    assert page.body[1].value["data"][1][1] == "138****5678"
    assert not only(checks.scan_object(page), "personal_data")
    page.save_revision()  # the rewritten stream is still valid StreamField data


# --------------------------------------------------------------------------- demo content


def demo_texts(page):
    yield page["title"]
    yield page.get("summary", "")
    for block in page["body"]:
        for kind, value in block.items():
            if kind == "table":
                yield value.get("caption", "")
                yield from (cell for row in value["rows"] for cell in row)
            else:
                yield value


def test_demo_content_passes_without_blocking_findings():
    pages = json.loads(DEMO_PAGES.read_text(encoding="utf-8"))
    regulation = [page for page in pages if page["slug"] == "website-newmedia-regulation"]
    assert regulation, "the county regulation page is part of the demo"
    blocking = []
    for page in pages:
        for text in demo_texts(page):
            blocking += [(page["slug"], f.category, f.matched) for f in scan_text(text) if f.severity == "block"]
    assert blocking == []
    regulation_text = "\n".join(demo_texts(regulation[0]))
    assert "涉密信息不得上网" in regulation_text and "第一条" in regulation_text
    assert not [f for f in scan_text(regulation_text) if f.category in ("confidential", "advertising")]
