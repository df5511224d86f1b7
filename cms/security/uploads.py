"""Upload checks for documents and images: the content must be what the extension claims.

Wagtail checks the extension (`WAGTAILDOCS_EXTENSIONS`, `WAGTAILIMAGES_EXTENSIONS`) and, for
images, that the format matches it. A renamed file still passes an extension check, and a file
that a browser would run (HTML, SVG, XHTML, JavaScript) must never reach the media directory,
whatever it is called. The forms below are installed with `WAGTAILDOCS_DOCUMENT_FORM_BASE` and
`WAGTAILIMAGES_IMAGE_FORM_BASE`, so every upload path of the admin (single, multiple, chooser,
replace file) goes through them.
"""

import os
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

SNIFF_BYTES = 64 * 1024
# Markup that makes a browser run code or render a page when the file is opened.
ACTIVE_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<?xml-stylesheet",
    b"<x:xmpmeta",
    b"javascript:",
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
PDF_ACTIVE_NAMES = (b"/JavaScript", b"/Launch")
VIDEO_EXTENSIONS = {"mp4", "webm"}
IMAGE_MIME_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}

MISMATCH = _("文件内容与扩展名 .%(extension)s 不符，请上传真实的 %(extension)s 文件。")
ACTIVE_CONTENT = _("文件包含网页或脚本等可执行内容（HTML、SVG、JavaScript 等），不允许上传。")
TOO_LARGE = _("文件过大（%(size)s），此类文件最大 %(limit)s。")


def _head(upload):
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _contains_active_markup(data):
    lowered = data.lower()
    return any(marker in lowered for marker in ACTIVE_MARKERS)


def _zip_names(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _pdf_has_active_names(upload):
    # A PDF served inline is shown by the browser's viewer; scripts and launch actions have no
    # place in a government document. Scanned in overlapping chunks so no name is split.
    upload.seek(0)
    overlap = max(len(name) for name in PDF_ACTIVE_NAMES)
    tail = b""
    try:
        while chunk := upload.read(1024 * 1024):
            window = tail + chunk
            if any(name in window for name in PDF_ACTIVE_NAMES):
                return True
            tail = window[-overlap:]
        return False
    finally:
        upload.seek(0)


def _is_text(data):
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _matches_extension(extension, upload, head):
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("doc", "xls", "ppt", "wps", "et", "dps"):
        return head.startswith(OLE2)
    if extension in ("docx", "xlsx", "pptx"):
        names = _zip_names(upload) if head.startswith(ZIP) else None
        return names is not None and "[Content_Types].xml" in names
    if extension == "ofd":
        names = _zip_names(upload) if head.startswith(ZIP) else None
        return names is not None and "OFD.xml" in names
    if extension == "zip":
        return head.startswith(ZIP) and _zip_names(upload) is not None
    if extension == "txt":
        # Text may be cut mid-character at the sniffing boundary; drop the last few bytes.
        return _is_text(head[:-4] if len(head) == SNIFF_BYTES else head)
    kind = filetype.guess(head)
    if extension in VIDEO_EXTENSIONS or extension in IMAGE_MIME_TYPES:
        return kind is not None and kind.extension in ({extension} | ({"mp4", "m4v"} if extension == "mp4" else set()))
    # An extension added to the settings later without a rule here is checked only for active content.
    return True


def validate_document_upload(upload):
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    limit = (
        getattr(settings, "SECURITY_VIDEO_MAX_UPLOAD_SIZE", None)
        if extension in VIDEO_EXTENSIONS
        else getattr(settings, "SECURITY_DOCUMENT_MAX_UPLOAD_SIZE", None)
    )
    if limit is not None and upload.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    head = _head(upload)
    if extension not in ("docx", "xlsx", "pptx", "ofd", "zip", "mp4", "webm") and _contains_active_markup(head):
        raise ValidationError(ACTIVE_CONTENT, code="active_content")
    if not _matches_extension(extension, upload, head):
        raise ValidationError(MISMATCH, code="content_mismatch", params={"extension": extension})
    if extension == "pdf" and _pdf_has_active_names(upload):
        raise ValidationError(ACTIVE_CONTENT, code="active_content")


def validate_image_upload(upload):
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    head = _head(upload)
    if _contains_active_markup(head[:1024]) or extension == "svg":
        raise ValidationError(ACTIVE_CONTENT, code="active_content")
    kind = filetype.guess(head)
    if kind is None or kind.mime != IMAGE_MIME_TYPES.get(extension):
        raise ValidationError(MISMATCH, code="content_mismatch", params={"extension": extension})


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a newly uploaded file has to be checked; an unchanged one was checked when it came in.
        if upload is not None and "file" in self.changed_data:
            validate_document_upload(upload)
        return upload


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and "file" in self.changed_data:
            validate_image_upload(upload)
        return upload
