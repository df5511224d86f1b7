"""Clean and hostile sample files for the upload tests, all built here so none is a committed binary.

`CLEAN[extension]()` gives a small valid file of that type; `HOSTILE[extension]` lists
(label, bytes, expected message fragment) for files that must be refused.
"""

import io
import random
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

# --- PDF ---------------------------------------------------------------------------------------

PAGE_OBJECTS = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
}


def raw_pdf(objects, packed=()):
    """A PDF written byte by byte with a correct cross-reference section.

    `objects` maps object numbers to their bodies (1 is the catalogue). Objects listed in `packed`
    go into a compressed object stream, which needs a cross-reference stream instead of a table.
    """
    objects = {**PAGE_OBJECTS, **objects}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(set(objects) - set(packed)):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        return bytes(out)
    stream_number, xref_number = size, size + 1
    header, body = b"", b""
    for number in packed:
        header += b"%d %d " % (number, len(body))
        body += objects[number] + b"\n"
    data = zlib.compress(header + body)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        stream_number,
        len(packed),
        len(header),
        len(data),
    )
    out += data + b"\nendstream\nendobj\n"
    xref = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff"
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += b"\x02" + struct.pack(">IH", stream_number, packed.index(number))
        else:
            rows += b"\x01" + struct.pack(">IH", xref if number == xref_number else offsets[number], 0)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(rows),
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"


def written_pdf(change=None):
    """A one-page PDF from pypdf's writer; `change(writer)` may add entries before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _script_action(code="app.alert(1)"):
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def _open_action_js(writer):
    writer._root_object[NameObject("/OpenAction")] = _script_action()


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )


def _page_aa(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _script_action()})


def _embedded_file(writer):
    writer.add_attachment("说明.exe", b"MZ\x90\x00")


def _xfa(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),
            NameObject("/NeedsRendering"): NumberObject(1),
        }
    )


SCRIPT, EMBEDDED, XFA, UNREADABLE_PDF = "脚本或自动执行", "内嵌了其他文件", "XFA", "无法解析该 PDF"


def hostile_pdfs():
    return [
        # Every /JavaScript spelled with #xx escapes: a byte search finds nothing.
        (
            "hex-escaped /JavaScript",
            raw_pdf({1: CATALOG % b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"}),
            SCRIPT,
        ),
        (
            "hex-escaped name tree",
            raw_pdf({1: CATALOG % b"/Names << /J#61va#53cript 4 0 R >>", 4: b"<< /Names [(a) 5 0 R] >>", 5: b"null"}),
            SCRIPT,
        ),
        (
            "JavaScript in a compressed object stream",
            raw_pdf({1: CATALOG % b"/OpenAction 4 0 R", 4: b"<< /S /JavaScript /JS (app.alert(1)) >>"}, packed=[4]),
            SCRIPT,
        ),
        ("/Launch", written_pdf(_launch), SCRIPT),
        ("/OpenAction with JavaScript", written_pdf(_open_action_js), SCRIPT),
        ("/AA on a page", written_pdf(_page_aa), SCRIPT),
        ("/EmbeddedFiles", written_pdf(_embedded_file), EMBEDDED),
        ("/XFA in AcroForm", written_pdf(_xfa), XFA),
        ("javascript: URI", raw_pdf({1: CATALOG % b"/OpenAction << /S /URI /URI (javascript:alert(1)) >>"}), "脚本"),
    ]


# --- Office and other containers ------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/>'
    "</Types>"
)
OOXML_PARTS = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
MACRO_CONTENT_TYPES = {
    "docx": "application/vnd.ms-word.document.macroEnabled.main+xml",
    "xlsx": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "pptx": "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
}


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(extension, content_type=None, extra=None):
    part, default_type = OOXML_PARTS[extension]
    members = {"[Content_Types].xml": CONTENT_TYPES.format(part=part, content_type=content_type or default_type)}
    members[part] = "<root/>"
    members.update(extra or {})
    return zip_bytes(members)


def ole2(streams=("WordDocument",), storages=()):
    """A compound file (MS-CFB v3): header, one FAT sector, one directory sector, empty streams."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name, kind, child=no_stream, right=no_stream):
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + b"\x00" * 36
            + struct.pack("<IQ", end, 0)
        )

    names = [(name, 2) for name in streams] + [(name, 1) for name in storages]
    entries = [entry("Root Entry", 5, child=1)]
    entries += [
        entry(name, kind, right=index + 2 if index + 1 < len(names) else no_stream)
        for index, (name, kind) in enumerate(names)
    ]
    directory = b"".join(entries).ljust(512, b"\x00")
    return header + fat + directory


def mp4():
    return (
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41"
        + b"\x00\x00\x00\x08moov"
        + b"\x00\x00\x00\x10mdat"
        + bytes(8)
    )


def webm():
    doc_type = b"\x42\x82\x84webm"
    segment = b"\x15\x49\xa9\x66\x80" * 4
    return (
        b"\x1a\x45\xdf\xa3"
        + bytes([0x80 | len(doc_type)])
        + doc_type
        + b"\x18\x53\x80\x67"
        + bytes([0x80 | len(segment)])
        + segment
    )


def image(fmt):
    noise = random.Random(7)
    picture = Image.new("RGB", (48, 48))
    picture.putdata([(noise.randrange(256), noise.randrange(256), noise.randrange(256)) for _ in range(48 * 48)])
    buffer = io.BytesIO()
    picture.save(buffer, fmt)
    return buffer.getvalue()


CLEAN = {
    "pdf": written_pdf,
    "doc": ole2,
    "xls": lambda: ole2(streams=("Workbook",)),
    "ppt": lambda: ole2(streams=("PowerPoint Document",)),
    "wps": ole2,
    "et": lambda: ole2(streams=("Workbook",)),
    "dps": lambda: ole2(streams=("PowerPoint Document",)),
    "docx": lambda: ooxml("docx"),
    "xlsx": lambda: ooxml("xlsx"),
    "pptx": lambda: ooxml("pptx"),
    "ofd": lambda: zip_bytes({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"}),
    "zip": lambda: zip_bytes({"说明.txt": "附件说明"}),
    "txt": lambda: "安岳县人民政府关于做好春耕生产工作的通知\n".encode() * 20,
    "mp4": mp4,
    "webm": webm,
    "png": lambda: image("PNG"),
    "jpg": lambda: image("JPEG"),
    "jpeg": lambda: image("JPEG"),
    "gif": lambda: image("GIF"),
    "webp": lambda: image("WEBP"),
}

GARBAGE = random.Random(11).randbytes(4096)
MACROS = "包含宏"


def hostile(extension):
    """Files claiming to be `extension` that must be refused: cut short, garbage, and the type's own tricks."""
    clean = CLEAN[extension]()
    samples = [("garbage", GARBAGE, None)]
    # Plain text has no structure to cut short.
    if extension != "txt":
        samples.append(("truncated", clean[: len(clean) // 2], None))
    if extension == "pdf":
        samples += hostile_pdfs()
    if extension in OOXML_PARTS:
        samples.append(("vbaProject.bin", ooxml(extension, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), MACROS))
        samples.append(("macro-enabled content type", ooxml(extension, MACRO_CONTENT_TYPES[extension]), MACROS))
    if extension in ("doc", "wps"):
        samples.append(("Word macros storage", ole2(storages=("Macros",)), MACROS))
    if extension in ("xls", "et"):
        samples.append(("Excel VBA project", ole2(streams=("Workbook",), storages=("_VBA_PROJECT_CUR",)), MACROS))
    return samples
