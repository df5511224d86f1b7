"""Attachments: text of .docx, .pdf, .xlsx and .txt documents, cached by file hash, and its scan;
scanned PDF pages and image documents are read by OCR (ocr.py)."""

import io
import logging
import os
import re
import zipfile

from defusedxml import ElementTree
from django.core.cache import cache
from django.utils.translation import gettext

from .findings import WARN, Finding
from .ocr import IMAGE_EXTENSIONS, scan_scans
from .text import scan_text

logger = logging.getLogger(__name__)

# Uncompressed size above which a part of an attachment is not read (zip bombs, huge scans).
MAX_ATTACHMENT_PART_BYTES = 50 * 1024 * 1024
ATTACHMENT_CACHE_SECONDS = 24 * 3600
_LEGACY_OFFICE_EXTENSIONS = frozenset("doc wps xls et ppt dps rtf".split())
_WORD_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_XLSX_PARTS = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml")


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

    # A sheet or the shared strings can inflate from a few kilobytes to gigabytes (zip bombs); the sizes
    # declared in the archive bound what zipfile will inflate, so they are checked before openpyxl reads.
    with zipfile.ZipFile(stream) as archive:
        if any(
            _XLSX_PARTS.fullmatch(info.filename) and info.file_size > MAX_ATTACHMENT_PART_BYTES
            for info in archive.infolist()
        ):
            raise AttachmentError(gettext("文档过大"))
    stream.seek(0)
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


def _scan_document(document, scan=scan_text):
    """Findings in a document: `scan` over its text, and personal data and markings in its scans.

    Findings on a scanned page carry the page in field_label (see ocr.scan_scans)."""
    name = os.path.basename(document.file.name)
    extension = document_extension(document)
    if extension in IMAGE_EXTENSIONS:
        return scan_scans(document, extension)
    if extension in _LEGACY_OFFICE_EXTENSIONS:
        reason = gettext("该格式不支持自动检查，请另存为 docx、xlsx 或 pdf，或人工核对附件内容。")
        return [Finding("attachment", name, 0, 0, WARN, reason, matched="")]
    try:
        text = extract_document_text(document)
    except AttachmentError as error:
        reason = gettext("无法自动检查附件（%(reason)s），请人工核对附件内容。") % {"reason": error}
        return [Finding("attachment", name, 0, 0, WARN, reason, matched="")]
    findings = scan(text) if text else []
    if extension == "pdf":
        findings += scan_scans(document, extension)
    return findings
