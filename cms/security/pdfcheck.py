"""PDF uploads are judged by parsing them, not by searching their bytes.

A byte search misses names written with `#xx` escapes (`/J#61vaScript`) and anything inside a
compressed object stream. pypdf decodes both; every object the cross-reference table lists, and
every object packed into an object stream (listed or not), is then walked for names that make a
viewer run code, start a program, unpack a file or render an XFA form. A file pypdf cannot read
is refused as well: a check that gives up must never let the file through.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# pypdf is imported where a PDF is read, not at start-up: every gunicorn start would pay for it before its first
# answer (docs/deployment.md, cold start).

PDF_SCRIPT = _("PDF 文件包含脚本或自动执行的动作（JavaScript、启动程序等），不允许上传。")
PDF_EMBEDDED = _("PDF 文件内嵌了其他文件，不允许上传；请把附件作为单独的文件上传。")
PDF_XFA = _("PDF 文件包含 XFA 动态表单，不允许上传；请另存为普通 PDF 后再上传。")
PDF_ENCRYPTED = _("PDF 文件设置了打开密码，无法检查其内容；请上传未加密的文件。")
PDF_UNREADABLE = _("无法解析该 PDF 文件（文件已损坏、不完整或不是有效的 PDF），不允许上传。")

# Names as pypdf returns them, i.e. after `#xx` escapes are decoded. Action types (/S values) and
# the keys that carry them both count, wherever they appear.
SCRIPT_NAMES = {"/JavaScript", "/JS", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"}
EMBEDDED_NAMES = {"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/FileAttachment"}
XFA_NAMES = {"/XFA"}
SCRIPT_URI_SCHEMES = ("javascript:", "vbscript:", "data:")


def _refusal(name):
    if name in SCRIPT_NAMES:
        return ValidationError(PDF_SCRIPT, code="pdf_script")
    if name in EMBEDDED_NAMES:
        return ValidationError(PDF_EMBEDDED, code="pdf_embedded_file")
    if name in XFA_NAMES:
        return ValidationError(PDF_XFA, code="pdf_xfa")
    return None


def _check_value(value, reader, pending):
    """Walk one object's direct contents; indirect references are visited on their own."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )

    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, NameObject):
            if refusal := _refusal(str(item)):
                raise refusal
        elif isinstance(item, DictionaryObject):
            if isinstance(item, StreamObject) and item.get("/Type") == "/ObjStm":
                pending.extend(_object_stream_members(item, reader))
            for key, child in item.items():
                if refusal := _refusal(str(key)):
                    raise refusal
                if key == "/URI" and isinstance(child, TextStringObject | ByteStringObject):
                    text = child.original_bytes if isinstance(child, TextStringObject) else bytes(child)
                    if text.decode("latin-1").strip().lower().startswith(SCRIPT_URI_SCHEMES):
                        raise ValidationError(PDF_SCRIPT, code="pdf_script")
                stack.append(child)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _object_stream_members(stream, reader):
    """Every object packed in an object stream, including ones the cross-reference table leaves out
    (a viewer that rebuilds a damaged table finds those too)."""
    from pypdf.generic import read_object

    data = stream.get_data()
    count, first = int(stream["/N"]), int(stream["/First"])
    numbers = data[:first].split()
    if len(numbers) != 2 * count:
        raise ValueError("object stream header does not match /N")
    members = []
    for index in range(count):
        offset = int(numbers[2 * index + 1])
        buffer = io.BytesIO(data[first + offset :])
        members.append(read_object(buffer, reader))
    return members


def _indirect_objects(reader):
    from pypdf.generic import IndirectObject

    for generation, entries in reader.xref.items():
        for number in entries:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def inspect_pdf(upload):
    """Raise ValidationError unless the upload is a readable PDF with no active or embedded content."""
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(PDF_ENCRYPTED, code="pdf_encrypted")
        pending = [reader.trailer]
        pending.extend(reference.get_object() for reference in _indirect_objects(reader))
        if reader.trailer.get("/Root") is None or len(reader.pages) < 1:
            raise ValueError("no document catalogue or no pages")
        while pending:
            _check_value(pending.pop(), reader, pending)
    except ValidationError:
        raise
    except Exception as error:
        # pypdf signals a damaged file with many exception types (its own, ValueError, KeyError,
        # zlib errors, RecursionError ...); any of them means the file could not be checked.
        raise ValidationError(PDF_UNREADABLE, code="pdf_unreadable") from error
    finally:
        upload.seek(0)
