"""Upload checks for documents and images: the content must be what the extension claims.

Wagtail checks the extension (`WAGTAILDOCS_EXTENSIONS`, `WAGTAILIMAGES_EXTENSIONS`) and, for
images, that the format matches it. A renamed file still passes an extension check, and a file
that a browser would run (HTML, SVG, XHTML, JavaScript) must never reach the media directory,
whatever it is called. Formats that can carry code or arrive cut short are parsed: PDF with pypdf
(pdfcheck.py), Office, MP4 and WebM containers by their own structure (filecheck.py), images by
decoding them; a file that cannot be parsed is refused. The forms below are installed with
`WAGTAILDOCS_DOCUMENT_FORM_BASE` and `WAGTAILIMAGES_IMAGE_FORM_BASE`, so every upload path of the
admin (single, multiple, chooser, replace file) goes through them; other file fields call
`validate_document_upload` as a validator.
"""

import hashlib
import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .filecheck import Unreadable, mp4_is_complete, ole2_has_macros, ooxml_has_macros, webm_is_complete, zip_names
from .pdfcheck import inspect_pdf

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
OLE2_EXTENSIONS = {"doc", "xls", "ppt", "wps", "et", "dps"}
OOXML_EXTENSIONS = {"docx", "xlsx", "pptx"}
# Macro-enabled Office variants are refused even if someone adds them to the allowed extensions.
MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam"}
VIDEO_EXTENSIONS = {"mp4", "webm"}
TEXT_CONTROLS = "\t\n\r\f\x1a"
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
MACROS = _("Office 文件包含宏（VBA 代码），不允许上传；请另存为不含宏的文档（如 .docx、.xlsx）后再上传。")
UNREADABLE = _("文件已损坏或不完整，无法解析，不允许上传。")


def _head(upload):
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _contains_active_markup(data):
    lowered = data.lower()
    return any(marker in lowered for marker in ACTIVE_MARKERS)


def _is_text(data):
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes almost any byte string; control characters are what give binary data away.
        return not any(ord(char) < 32 and char not in TEXT_CONTROLS for char in text)
    return False


def _matches_extension(extension, upload, head):
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("doc", "xls", "ppt", "wps", "et", "dps"):
        return head.startswith(OLE2)
    if extension in ("docx", "xlsx", "pptx"):
        names = zip_names(upload) if head.startswith(ZIP) else None
        return names is not None and "[Content_Types].xml" in names
    if extension == "ofd":
        names = zip_names(upload) if head.startswith(ZIP) else None
        return names is not None and "OFD.xml" in names
    if extension == "zip":
        return head.startswith(ZIP) and zip_names(upload) is not None
    if extension == "txt":
        # Text may be cut mid-character at the sniffing boundary; drop the last few bytes.
        return _is_text(head[:-4] if len(head) == SNIFF_BYTES else head)
    kind = filetype.guess(head)
    if extension in IMAGE_MIME_TYPES:
        return kind is not None and kind.mime == IMAGE_MIME_TYPES[extension]
    if extension in VIDEO_EXTENSIONS:
        return kind is not None and kind.extension in ({extension} | ({"mp4", "m4v"} if extension == "mp4" else set()))
    # An extension added to the settings later without a rule here is checked only for active content.
    return True


def _check_structure(extension, upload):
    """Parse the formats that can carry code or be cut short; refuse what cannot be read."""
    try:
        if extension in OLE2_EXTENSIONS and ole2_has_macros(upload):
            raise ValidationError(MACROS, code="office_macros")
        if extension in OOXML_EXTENSIONS and ooxml_has_macros(upload, zip_names(upload)):
            raise ValidationError(MACROS, code="office_macros")
        complete = {"mp4": mp4_is_complete, "webm": webm_is_complete}.get(extension)
        if complete is not None and not complete(upload):
            raise Unreadable(extension)
    except Unreadable as error:
        raise ValidationError(UNREADABLE, code="unreadable") from error
    finally:
        upload.seek(0)
    if extension in IMAGE_MIME_TYPES:
        _check_image_decodes(upload)


def _check_image_decodes(upload):
    # A header check passes a cut-off image; decoding every pixel is the only way to know it is whole.
    upload.seek(0)
    try:
        with PILImage.open(upload) as image:
            image.load()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValidationError(UNREADABLE, code="unreadable") from error
    finally:
        upload.seek(0)


def record_checked_pdf(upload):
    """Remember the content of a PDF that passed, so that serving may show it inline."""
    from .models import CheckedPdf

    upload.seek(0)
    sha1 = hashlib.file_digest(upload, "sha1").hexdigest()
    upload.seek(0)
    CheckedPdf.objects.get_or_create(sha1=sha1)


def validate_document_upload(upload):
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension in MACRO_EXTENSIONS:
        raise ValidationError(MACROS, code="office_macros")
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
    if extension == "pdf":
        inspect_pdf(upload)
        record_checked_pdf(upload)
    else:
        _check_structure(extension, upload)


def validate_image_upload(upload):
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    head = _head(upload)
    if _contains_active_markup(head[:1024]) or extension == "svg":
        raise ValidationError(ACTIVE_CONTENT, code="active_content")
    kind = filetype.guess(head)
    if kind is None or kind.mime != IMAGE_MIME_TYPES.get(extension):
        raise ValidationError(MISMATCH, code="content_mismatch", params={"extension": extension})
    _check_image_decodes(upload)


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a newly uploaded file has to be checked; an unchanged one was checked when it came in.
        if upload is not None and "file" in self.changed_data:
            validate_document_upload(upload)
        return upload


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with the content checks and a form error (not a server error) for damaged files."""

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:
            # Willow and Pillow fail on a cut-off or damaged image in many ways (OSError, struct.error ...).
            raise ValidationError(UNREADABLE, code="unreadable") from error
        if upload is not None:
            validate_image_upload(upload)
        return upload


class SafeImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Swapped in here rather than declared, so that forms built without the file field stay without it.
        if "file" in self.fields:
            field = self.fields["file"]
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget, help_text=field.help_text
            )
