"""Automated pre-publication content checks: the gate before 三审三校.

Public API (used by workflows.api and the review screens):

- ``scan_text(text)`` → findings in one piece of plain text, sorted by start;
- ``scan_object(obj)`` → findings in every public text of a page or snippet (title, text
  fields, rich text and its links, StreamField blocks, table cells, captions, alt texts,
  inline children and the text of attached .docx/.pdf/.xlsx/.txt documents);
- ``mask_personal_data(text)``, ``mask_object_personal_data(obj)``, ``mask_name(name)``:
  one-click de-identification;
- ``excerpt(text, start, end)``: the hit in context, for the review screen.

Detectors: the lexicon (workflows.lexicon, evasion-resistant matching), confidentiality
markings, personal data (resident ID numbers, mobile numbers, bank cards, e-mail addresses)
and links to commercial hosts (the regulation's 第二十一条). Offsets always refer to the text
that was scanned, so ``text[f.start:f.end] == f.matched``.
"""

import copy
import datetime
import html
import io
import logging
import os
import re
import zipfile
from dataclasses import asdict, dataclass, fields
from urllib.parse import urlsplit

from defusedxml import ElementTree
from django.core.cache import cache
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField

from workflows.lexicon.matcher import matcher_cache

logger = logging.getLogger(__name__)

BLOCK, WARN = "block", "warn"

CATEGORY_LABELS = {
    "sensitive": _("敏感词"),
    "advertising": _("广告用语"),
    "wording": _("规范表述"),
    "confidential": _("涉密标识"),
    "personal_data": _("个人信息"),
    "commercial_link": _("商业链接"),
    "attachment": _("附件检查"),
}
SEVERITY_LABELS = {BLOCK: _("阻止发布"), WARN: _("提示")}
PERSONAL_DATA_KINDS = {
    "id_number": _("身份证号码"),
    "mobile": _("手机号码"),
    "bank_card": _("银行卡号"),
    "email": _("电子邮箱"),
}

# Hosts of party and government organs and authoritative media: links elsewhere are flagged as
# possibly commercial (第二十一条). A host matches itself and its subdomains.
ALLOWED_LINK_HOST_SUFFIXES = (
    "gov.cn",
    "12371.cn",
    "people.com.cn",
    "people.cn",
    "xinhuanet.com",
    "news.cn",
    "cctv.com",
    "cctv.cn",
    "cntv.cn",
    "cnr.cn",
    "chinanews.com.cn",
    "chinanews.com",
    "gmw.cn",
    "qstheme.cn",
    "qstheme.com",
    "chinadaily.com.cn",
    "ce.cn",
    "china.com.cn",
    "youth.cn",
    "cyol.com",
    "workercn.cn",
    "legaldaily.com.cn",
    "scdaily.cn",
    "sc.gov.cn",
    "npc.gov.cn",
    "court.gov.cn",
    "spp.gov.cn",
    "ccdi.gov.cn",
)

CONTEXT_WIDTH = 20


@dataclass(frozen=True)
class Finding:
    category: str
    term: str
    start: int
    end: int
    severity: str
    suggestion: str = ""
    field: str = ""
    field_label: str = ""
    matched: str = ""
    kind: str = ""
    context_before: str = ""
    context_after: str = ""

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """Rebuild from stored JSON; keys added by callers (e.g. ``overridden``) are ignored."""
        values = {}
        for field in fields(cls):
            if field.name in data:
                value = data[field.name]
                values[field.name] = int(value) if field.type is int else str(value if value is not None else "")
        return cls(**values)

    @property
    def category_label(self):
        return str(CATEGORY_LABELS.get(self.category, self.category))

    @property
    def severity_label(self):
        return str(SEVERITY_LABELS.get(self.severity, self.severity))

    @property
    def kind_label(self):
        return str(PERSONAL_DATA_KINDS.get(self.kind, ""))

    @property
    def blocks_publication(self):
        return self.severity == BLOCK

    @property
    def excerpt(self):
        return f"{self.context_before}{self.matched}{self.context_after}"


def excerpt(text, start, end, width=CONTEXT_WIDTH):
    """(before, hit, after): up to `width` characters each side, … where cut, lines joined."""
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    if start > width:
        before = "…" + before
    if end + width < len(text):
        after += "…"
    return before, text[start:end], after


def _finding(text, category, term, start, end, severity, suggestion="", kind=""):
    before, matched, after = excerpt(text, start, end)
    return Finding(
        category=category,
        term=term,
        start=start,
        end=end,
        severity=severity,
        suggestion=str(suggestion),
        matched=matched,
        kind=kind,
        context_before=before,
        context_after=after,
    )


# ------------------------------------------------------------------------------ lexicon


def _lexicon_findings(text):
    return [
        _finding(text, hit.entry.category, hit.entry.term, hit.start, hit.end, hit.entry.severity, hit.entry.suggestion)
        for hit in matcher_cache.get().find(text)
    ]


def invalidate_lexicon_cache():
    """Forget this process's automaton (saves do this through signals; tests after rollbacks)."""
    matcher_cache.invalidate()


# ------------------------------------------------------------------------ confidentiality

_STAR = "[★☆＊*]"
_PERIOD = r"(?:\d+|[一二三四五六七八九十]+)\s*(?:年|个月|月|天|日)"
# 绝密★启用前, 机密★1年, 秘密★: a classification level is only a marking when a star follows it;
# 国家秘密 in a sentence is not.
_CLASSIFICATION = re.compile(rf"(?:绝密|机密|秘密)\s*{_STAR}\s*(?:{_PERIOD}|长期|启用前|解密前)?")
# 保密期限：10年 / 保密期限5年 / 保密期限：长期, but not 国家秘密的保密期限，除另有规定外……
_SECRECY_PERIOD = re.compile(rf"保密期限\s*[:：]?\s*(?:{_PERIOD}|长期)")
# Handling words count only as a marking when they stand on their own: at the start of a line,
# after a space, a bracket or a star, and followed by the end, a space, a bracket or another one.
_HANDLING_WORDS = "内部资料|内部文件|内部刊物|内部材料|注意保存|不得外传|请勿外传|严禁外传|不得翻印"
# The words come first in the pattern so that the regex engine can skip to them; what precedes
# them is checked afterwards.
_HANDLING_MARK = re.compile(rf"(?:{_HANDLING_WORDS})(?=$|[\s】\]）)〕」』，,、；;]|{_HANDLING_WORDS})", re.MULTILINE)
_HANDLING_OPENERS = frozenset("【[（(〔「『★")
# (pattern, label, substrings of which one must occur): the substring test is much cheaper than a
# regex pass and rules most texts out.
_CONFIDENTIAL_DETECTORS = (
    (_CLASSIFICATION, _("密级标志"), ("★", "☆", "＊", "*")),
    (_SECRECY_PERIOD, _("保密期限"), ("保密期限",)),
    (_HANDLING_MARK, _("内部资料标识"), ("内部", "保存", "外传", "翻印")),
)


def _stands_alone(text, start):
    if start == 0:
        return True
    before = text[start - 1]
    return before.isspace() or before in _HANDLING_OPENERS


def _confidential_findings(text):
    found = []
    for pattern, label, needles in _CONFIDENTIAL_DETECTORS:
        if not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(text):
            if pattern is _HANDLING_MARK and not _stands_alone(text, match.start()):
                continue
            found.append(
                _finding(
                    text,
                    "confidential",
                    str(label),
                    match.start(),
                    match.end(),
                    BLOCK,
                    _("带有密级或内部资料标识的信息不得上网发布。"),
                )
            )
    return found


# -------------------------------------------------------------------------- personal data

# \b does not work next to Chinese characters: numbers are delimited by look-arounds instead.
_ALNUM_BEFORE, _ALNUM_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(rf"{_ALNUM_BEFORE}[1-9]\d{{16}}[\dXx]{_ALNUM_AFTER}")
_MOBILE = re.compile(rf"{_ALNUM_BEFORE}(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{{4}}){{2}}{_ALNUM_AFTER}")
_BANK_CARD = re.compile(rf"{_ALNUM_BEFORE}\d{{4}}(?:[ -]?\d{{4}}){{3}}(?:[ -]?\d{{1,3}})?{_ALNUM_AFTER}")
# Numbers worth a closer look: 11 or more digits, possibly grouped by spaces or hyphens. The
# detailed patterns (which start with look-behinds the regex engine cannot skip ahead with) only
# run on these stretches, which keeps the scan at C speed over ordinary text.
_NUMBER_CANDIDATE = re.compile(r"[+\d][\d \-Xx]{10,}")
# E-mail addresses are found from their @: the local part is matched backwards, the domain forwards.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")
_NON_DIGIT = re.compile(r"[^\dXx]")

# GB 11643: province-level codes of the first two digits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"


def _plausible_birth_date(number):
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _looks_like_id_number(number):
    return len(number) == 18 and number[:2] in _PROVINCES and _plausible_birth_date(number)


def id_number_check_character(first17):
    """The GB 11643 mod 11-2 check character of the first 17 digits."""
    return _ID_CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id_number(value):
    """18-character resident ID number: province, a real past birth date and the check character.

    python-stdnum's cn.ric also checks the six-digit region against a fixed table, which rejects
    numbers issued under codes that have since changed; the province and checksum are enough here.
    """
    number = value.upper()
    if len(number) != 18 or not number[:17].isdigit() or not _looks_like_id_number(number):
        return False
    return id_number_check_character(number[:17]) == number[17]


def luhn_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _is_bank_card(digits):
    return (
        16 <= len(digits) <= 19
        and digits[0] in "3456"
        and (digits[0] != "6" or digits.startswith("62"))
        and not _looks_like_id_number(digits)
        and luhn_valid(digits)
    )


def personal_data_spans(text):
    """(kind, start, end) of personal data in `text`, non-overlapping, in order."""
    spans = []
    for candidate in _NUMBER_CANDIDATE.finditer(text):
        # One character past the stretch lets the closing look-aheads see what follows it.
        start, end = candidate.start(), min(len(text), candidate.end() + 1)
        for match in _ID_NUMBER.finditer(text, start, end):
            if is_resident_id_number(match.group()):
                spans.append((match.start(), -match.end(), 0, "id_number"))
        for match in _BANK_CARD.finditer(text, start, end):
            if _is_bank_card(_NON_DIGIT.sub("", match.group())):
                spans.append((match.start(), -match.end(), 1, "bank_card"))
        for match in _MOBILE.finditer(text, start, end):
            spans.append((match.start(), -match.end(), 2, "mobile"))
    at = text.find("@")
    while at >= 0:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain and local.group()[0] not in ".-":
            spans.append((local.start(), -domain.end(), 3, "email"))
        at = text.find("@", at + 1)
    spans.sort()
    result, reach = [], -1
    for start, negative_end, _priority, kind in spans:
        if start >= reach:
            result.append((kind, start, -negative_end))
            reach = -negative_end
    return result


_PERSONAL_DATA_SUGGESTIONS = {
    "id_number": _("公开信息中不得含有公民身份证号码，请删除或脱敏处理。"),
    "mobile": _("公开信息中不得含有个人手机号码，请删除或脱敏处理。"),
    "bank_card": _("公开信息中不得含有银行卡号，请删除或脱敏处理。"),
    "email": _("请确认电子邮箱是否属于个人信息，必要时脱敏处理。"),
}


def _personal_data_findings(text):
    return [
        _finding(
            text,
            "personal_data",
            str(PERSONAL_DATA_KINDS[kind]),
            start,
            end,
            BLOCK,
            _PERSONAL_DATA_SUGGESTIONS[kind],
            kind=kind,
        )
        for kind, start, end in personal_data_spans(text)
    ]


def _mask_characters(value, keep_head, keep_tail):
    """Replace the digits (and X) of `value` by * except the first `keep_head` and last `keep_tail`."""
    positions = [i for i, char in enumerate(value) if char.isdigit() or char in "Xx"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))


def _mask_span(kind, value):
    if kind == "id_number":
        return _mask_characters(value, 3, 4)
    if kind == "mobile":
        digits = len(_NON_DIGIT.sub("", value))
        return _mask_characters(value, digits - 8, 4)
    if kind == "bank_card":
        return _mask_characters(value, 0, 4)
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _mask_text(text):
    spans = personal_data_spans(text) if text else []
    if not spans:
        return text, 0
    pieces, previous = [], 0
    for kind, start, end in spans:
        pieces.append(text[previous:start])
        pieces.append(_mask_span(kind, text[start:end]))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces), len(spans)


def mask_personal_data(text):
    """`text` with ID numbers (510***********1234), mobiles (138****5678), bank cards (last four kept)
    and e-mail addresses (z***@example.com) masked; everything else unchanged."""
    return _mask_text(text)[0]


_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门 南宫 独孤 万俟 闻人 澹台 "
    "公冶 宗政 濮阳 太叔 申屠 钟离 拓跋 呼延 赫连 东郭 百里 司空 第五 左丘 公羊 谷梁 鲜于 闾丘".split()
)


def mask_name(name):
    """张三 → 张*, 欧阳娜娜 → 欧阳**: the surname (compound surnames included) stays, the rest is starred."""
    name = (name or "").strip()
    if not name:
        return name
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "*" * max(1, len(name) - len(surname))


# -------------------------------------------------------------------------- commercial links

# URLs end at the first character that cannot be part of one (Chinese text usually follows directly).
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\""
_WWW = re.compile(r"www\.", re.IGNORECASE)


def link_host(url):
    url = url.strip()
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_allowed_link_host(host):
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in ALLOWED_LINK_HOST_SUFFIXES)


_LINK_SUGGESTION = _("政府网站不得链接商业网站或发布商业广告；请确认该链接属于党政机关或权威媒体。")


def _link_findings(text):
    if "://" not in text and not _WWW.search(text):
        return []
    found = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        host = link_host(url)
        if host and not is_allowed_link_host(host):
            start = match.start()
            found.append(_finding(text, "commercial_link", host, start, start + len(url), WARN, _LINK_SUGGESTION))
    return found


# ------------------------------------------------------------------------------ scan_text


def scan_text(text):
    """Findings in one piece of plain text, sorted by start offset."""
    if not text:
        return []
    findings = _lexicon_findings(text)
    findings += _confidential_findings(text)
    findings += _personal_data_findings(text)
    findings += _link_findings(text)
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings


# ------------------------------------------------------------------------------ rich text

# A tag, with quoted attribute values that may contain ">".
_TAG = re.compile(r"""<(?:"[^"]*"|'[^']*'|[^'">])*>""")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li br hr div ul ol blockquote table tr td th".split())


def html_to_text(source):
    """Visible text of rich-text HTML (blocks on their own lines) and its links as (href, start, end)."""
    pieces, length, links, open_link = [], 0, [], None
    position = 0
    for tag in _TAG.finditer(source or ""):
        if tag.start() > position:
            chunk = html.unescape(source[position : tag.start()])
            pieces.append(chunk)
            length += len(chunk)
        position = tag.end()
        name_match = _TAG_NAME.match(tag.group())
        if not name_match:
            continue
        closing, name = name_match.group(1), name_match.group(2).lower()
        if name == "a":
            if closing:
                if open_link is not None:
                    links.append((open_link[0], open_link[1], length))
                    open_link = None
            else:
                href = _HREF.search(tag.group())
                value = next((g for g in href.groups() if g is not None), "") if href else ""
                open_link = (html.unescape(value), length) if value else None
        elif name in _BLOCK_TAGS and pieces and not pieces[-1].endswith("\n"):
            pieces.append("\n")
            length += 1
    if position < len(source or ""):
        pieces.append(html.unescape(source[position:]))
    return "".join(pieces), links


def _mask_html(source):
    """Mask personal data in the text nodes of `source`; tags and attributes are left untouched."""
    pieces, position, count = [], 0, 0
    for tag in _TAG.finditer(source):
        masked, n = _mask_html_text(source[position : tag.start()])
        pieces += [masked, tag.group()]
        count += n
        position = tag.end()
    masked, n = _mask_html_text(source[position:])
    pieces.append(masked)
    return "".join(pieces), count + n


def _mask_html_text(raw):
    masked, count = _mask_text(html.unescape(raw))
    return (html.escape(masked, quote=False), count) if count else (raw, 0)


def _scan_html(source):
    text, links = html_to_text(source)
    findings = scan_text(text)
    flagged = {(f.start, f.end) for f in findings if f.category == "commercial_link"}
    for href, start, end in links:
        host = link_host(href) if href.lower().startswith(("http://", "https://", "//", "www.")) else ""
        if not host or is_allowed_link_host(host):
            continue
        if any(s < end and start < e or s == start for s, e in flagged):
            continue
        findings.append(_finding(text, "commercial_link", host, start, end, WARN, _LINK_SUGGESTION))
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings


# ------------------------------------------------------------------------------ attachments

# Uncompressed size above which a part of an attachment is not read (zip bombs, huge scans).
MAX_ATTACHMENT_PART_BYTES = 50 * 1024 * 1024
ATTACHMENT_CACHE_SECONDS = 24 * 3600
_LEGACY_OFFICE_EXTENSIONS = frozenset("doc wps xls et ppt dps rtf".split())
_WORD_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


class AttachmentError(Exception):
    """The text of an attachment could not be read."""


def _docx_text(stream):
    paragraphs = []
    with zipfile.ZipFile(stream) as archive:
        for info in archive.infolist():
            if not _DOCX_PARTS.fullmatch(info.filename):
                continue
            if info.file_size > MAX_ATTACHMENT_PART_BYTES:
                raise AttachmentError(gettext("文档过大"))
            # defusedxml: an uploaded file's XML may carry entity bombs or external entities.
            root = ElementTree.fromstring(archive.read(info))
            for paragraph in root.iter(f"{_WORD_NAMESPACE}p"):
                parts = []
                for node in paragraph.iter():
                    if node.tag == f"{_WORD_NAMESPACE}t":
                        parts.append(node.text or "")
                    elif node.tag == f"{_WORD_NAMESPACE}tab":
                        parts.append("\t")
                    elif node.tag in (f"{_WORD_NAMESPACE}br", f"{_WORD_NAMESPACE}cr"):
                        parts.append("\n")
                paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _pdf_text(stream):
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted and not reader.decrypt(""):
        raise AttachmentError(gettext("文档已加密"))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx_text(stream):
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        lines = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells:
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    finally:
        workbook.close()


def _plain_text(stream):
    data = stream.read(MAX_ATTACHMENT_PART_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_PART_BYTES:
        raise AttachmentError(gettext("文档过大"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttachmentError(gettext("无法识别文字编码"))


_EXTRACTORS = {"docx": _docx_text, "pdf": _pdf_text, "xlsx": _xlsx_text, "txt": _plain_text}


def document_extension(document):
    return os.path.splitext(document.file.name)[1].lstrip(".").lower()


def extract_document_text(document):
    """Text of a Wagtail document (.docx, .pdf, .xlsx, .txt), cached by file hash; None for other formats.

    Raises AttachmentError when the file cannot be read.
    """
    extractor = _EXTRACTORS.get(document_extension(document))
    if extractor is None:
        return None
    cache_key = f"workflows.checks.attachment:{document.pk}:{document.file_hash or document.file.name}"
    text = cache.get(cache_key)
    if text is not None:
        return text
    try:
        with document.file.open("rb") as handle:
            text = extractor(io.BytesIO(handle.read()))
    except AttachmentError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "could not read", reported to the reviewer
        logger.info("Could not extract text from document %s: %s", document.pk, error)
        raise AttachmentError(gettext("无法读取文件内容")) from error
    cache.set(cache_key, text, ATTACHMENT_CACHE_SECONDS)
    return text


def _scan_document(document):
    name = os.path.basename(document.file.name)
    extension = document_extension(document)
    if extension in _LEGACY_OFFICE_EXTENSIONS:
        reason = gettext("该格式不支持自动检查，请另存为 docx、xlsx 或 pdf，或人工核对附件内容。")
        return [Finding("attachment", name, 0, 0, WARN, reason, matched="")]
    try:
        text = extract_document_text(document)
    except AttachmentError as error:
        reason = gettext("无法自动检查附件（%(reason)s），请人工核对附件内容。") % {"reason": error}
        return [Finding("attachment", name, 0, 0, WARN, reason, matched="")]
    return scan_text(text) if text else []


# ------------------------------------------------------------------------ object traversal

# Not public content: tree/URL machinery, and the repost source URL, which the workflow judges
# against its authoritative-source registry. SEO title and description are scanned: they are
# published in the page head and shown by search engines.
NON_CONTENT_FIELDS = frozenset({"slug", "url_path", "path", "draft_title", "source_url"})


@dataclass
class _Slot:
    """One scannable text of an object: where it is, what it is, and how to write it back."""

    path: str
    label: str
    kind: str  # "text", "html" or "document"
    value: object
    write: object = None


def _is_text_field(field):
    return (
        isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, models.SlugField)
        and field.editable
        and not field.choices
        and field.name not in NON_CONTENT_FIELDS
    )


def _field_label(field):
    return capfirst(str(field.verbose_name))


def _object_slots(obj, path="", label=""):
    for field in obj._meta.concrete_fields:
        field_path = f"{path}{field.name}"
        field_label = f"{label}{_field_label(field)}"
        if isinstance(field, StreamField):
            value = getattr(obj, field.name)
            raw = copy.deepcopy(field.stream_block.get_prep_value(value)) if value else []

            def write_stream(_value, obj=obj, name=field.name, raw=raw):
                # Block writers update `raw` in place; the field then takes the whole stream back.
                setattr(obj, name, raw)

            yield from _block_slots(field.stream_block, raw, field_path, field_label, None, write_stream)
        elif isinstance(field, RichTextField):
            yield _Slot(field_path, field_label, "html", getattr(obj, field.name) or "", _setter(obj, field.name))
        elif _is_text_field(field):
            yield _Slot(field_path, field_label, "text", getattr(obj, field.name) or "", _setter(obj, field.name))
        elif isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractDocument):
            document = getattr(obj, field.name, None)
            if document is not None:
                yield _Slot(field_path, field_label, "document", document)
    for relation in getattr(obj._meta, "child_relations", ()):
        if relation.related_model._meta.app_label.startswith("wagtail"):
            continue  # editorial comments and other Wagtail internals are not published
        accessor = relation.get_accessor_name()
        model_label = capfirst(str(relation.related_model._meta.verbose_name))
        for index, child in enumerate(getattr(obj, accessor).all()):
            child_label = gettext("%(parent)s第%(n)d项 › ") % {"parent": model_label, "n": index + 1}
            yield from _object_slots(child, f"{path}{accessor}.{index}.", f"{label}{child_label}")


def _setter(obj, name):
    def write(value):
        setattr(obj, name, value)

    return write


def _item_writer(container, key, commit):
    def write(value):
        container[key] = value
        commit(None)

    return write


def _block_label(block, name):
    return str(block.label or capfirst(name.replace("_", " ")))


def _block_slots(block, raw, path, label, write, commit):
    """Slots of a block's raw (JSON) value. `write` replaces this value in its container; every writer
    updates the raw stream in place and then calls `commit`, which hands the stream back to the field."""
    if raw is None:
        return
    if isinstance(block, blocks.BaseStreamBlock):
        for index, child in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(child, dict):
                continue
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:
                continue
            child_label = gettext("%(parent)s › 第%(n)d块（%(block)s）") % {
                "parent": label,
                "n": index + 1,
                "block": _block_label(child_block, child["type"]),
            }
            yield from _block_slots(
                child_block,
                child.get("value"),
                f"{path}.{index}.{child['type']}",
                child_label,
                _item_writer(child, "value", commit),
                commit,
            )
    elif isinstance(block, blocks.ListBlock):
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            # Current format: {"type": "item", "value": ..., "id": ...}; older data holds bare values.
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                value, writer = item["value"], _item_writer(item, "value", commit)
            else:
                value, writer = item, _item_writer(raw, index, commit)
            item_label = gettext("%(parent)s › 第%(n)d项") % {"parent": label, "n": index + 1}
            yield from _block_slots(block.child_block, value, f"{path}.{index}", item_label, writer, commit)
    elif isinstance(block, blocks.BaseStructBlock):
        if not isinstance(raw, dict):
            return
        for name, child_block in block.child_blocks.items():
            if name in raw:
                yield from _block_slots(
                    child_block,
                    raw[name],
                    f"{path}.{name}",
                    f"{label} › {_block_label(child_block, name)}",
                    _item_writer(raw, name, commit),
                    commit,
                )
    elif isinstance(block, TableBlock):
        yield from _table_slots(raw, path, label, commit)
    elif isinstance(block, (blocks.RichTextBlock, blocks.RawHTMLBlock)):
        if isinstance(raw, str):
            yield _Slot(path, label, "html", raw, write)
    elif isinstance(block, DocumentChooserBlock):
        document = get_document_model().objects.filter(pk=raw).first() if isinstance(raw, int) else None
        if document is not None:
            yield _Slot(path, label, "document", document)
    elif isinstance(block, (blocks.ChoiceBlock, blocks.MultipleChoiceBlock)):
        return  # fixed values chosen from a list, not free text
    elif isinstance(block, blocks.FieldBlock) and isinstance(raw, str):
        yield _Slot(path, label, "text", raw, write)


def _table_slots(raw, path, label, commit):
    if not isinstance(raw, dict):
        return
    caption = raw.get("table_caption")
    if isinstance(caption, str) and caption:
        caption_label = gettext("%(parent)s › 表格标题") % {"parent": label}
        yield _Slot(f"{path}.caption", caption_label, "text", caption, _item_writer(raw, "table_caption", commit))
    for row_index, row in enumerate(raw.get("data") or []):
        for column_index, cell in enumerate(row or []):
            if isinstance(cell, str) and cell:
                cell_label = gettext("%(parent)s › 第%(row)d行第%(column)d列") % {
                    "parent": label,
                    "row": row_index + 1,
                    "column": column_index + 1,
                }
                writer = _item_writer(row, column_index, commit)
                yield _Slot(f"{path}.{row_index}.{column_index}", cell_label, "text", cell, writer)


def scan_object(obj):
    """Findings in every public text of `obj` (a page, a revision's object or a snippet), in field order."""
    findings = []
    for slot in _object_slots(obj):
        if slot.kind == "text":
            found = scan_text(slot.value)
        elif slot.kind == "html":
            found = _scan_html(slot.value)
        else:
            found = _scan_document(slot.value)
            title = slot.value.title or os.path.basename(slot.value.file.name)
            slot.label = gettext("%(field)s › 附件《%(title)s》") % {"field": slot.label, "title": title}
        findings.extend(
            Finding(**{**finding.to_dict(), "field": slot.path, "field_label": slot.label}) for finding in found
        )
    return findings


def mask_object_personal_data(obj):
    """Mask personal data in every text field, rich-text text node and StreamField text of `obj`,
    in place and without saving. Returns the number of replacements."""
    total = 0
    for slot in _object_slots(obj):
        if slot.write is None or slot.kind == "document":
            continue
        masked, count = _mask_html(slot.value) if slot.kind == "html" else _mask_text(slot.value)
        if count:
            slot.write(masked)
            total += count
    return total
