"""Structure checks for the container formats the portal accepts besides PDF.

Each check reads the format's own structure (ZIP central directory, OLE2 sector tables, MP4 boxes,
WebM's EBML header) far enough to tell a complete file from a truncated or forged one, and Office
files from ones that carry macros. They return plain answers; uploads.py turns them into errors.
"""

import struct
import zipfile

from defusedxml import ElementTree

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_END_OF_CHAIN = 0xFFFFFFFE
# Storages that hold VBA code: Word and WPS ("Macros"), Excel ("_VBA_PROJECT_CUR"), and the VBA
# storage inside either.
OLE2_MACRO_STORAGES = {"macros", "_vba_project_cur", "_vba_project", "vba"}
OOXML_MACRO_MARKERS = ("macroenabled", "vbaproject")


class Unreadable(Exception):
    """The file's structure is damaged or incomplete."""


def _read_at(upload, offset, length, size):
    if offset + length > size:
        raise Unreadable("structure points past the end of the file")
    upload.seek(offset)
    data = upload.read(length)
    if len(data) != length:
        raise Unreadable("short read")
    return data


def ole2_storage_names(upload):
    """Names of every storage and stream in an OLE2 compound file (MS-CFB), read through its FAT."""
    size = upload.size
    header = _read_at(upload, 0, 512, size)
    if header[:8] != OLE2_MAGIC or header[28:30] != b"\xfe\xff":
        raise Unreadable("not an OLE2 compound file")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise Unreadable("bad sector size")
    sector = 1 << shift
    fat_count, directory_start = struct.unpack_from("<II", header, 44)
    difat_next, difat_count = struct.unpack_from("<II", header, 68)
    max_sectors = size // sector

    def read_sector(number):
        if number >= max_sectors:
            raise Unreadable("sector outside the file")
        return _read_at(upload, (number + 1) * sector, sector, size)

    fat_sectors = list(struct.unpack_from("<109I", header, 76))[: min(fat_count, 109)]
    per_difat = sector // 4 - 1
    for _index in range(difat_count):
        if len(fat_sectors) >= fat_count:
            break
        entries = struct.unpack(f"<{per_difat + 1}I", read_sector(difat_next))
        fat_sectors.extend(entries[:per_difat])
        difat_next = entries[per_difat]
    if not fat_count or len(fat_sectors) < fat_count:
        raise Unreadable("incomplete sector allocation table")
    fat = []
    for number in fat_sectors[:fat_count]:
        fat.extend(struct.unpack(f"<{sector // 4}I", read_sector(number)))

    names = []
    current, visited = directory_start, set()
    while current != OLE2_END_OF_CHAIN:
        if current in visited or current >= len(fat):
            raise Unreadable("broken directory chain")
        visited.add(current)
        data = read_sector(current)
        for offset in range(0, sector, 128):
            entry = data[offset : offset + 128]
            name_length, kind = struct.unpack_from("<HB", entry, 64)
            if kind in (1, 2, 5) and 2 <= name_length <= 64:
                names.append(entry[: name_length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    if not names:
        raise Unreadable("empty directory")
    return names


def ole2_has_macros(upload):
    return any(name.lower() in OLE2_MACRO_STORAGES for name in ole2_storage_names(upload))


def zip_names(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def ooxml_has_macros(upload, names):
    """Word/Excel/PowerPoint packages with a VBA project, or declared as the macro-enabled variant."""
    if any(name.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names):
        return True
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ElementTree.ParseError) as error:
        raise Unreadable("unreadable [Content_Types].xml") from error
    finally:
        upload.seek(0)
    declared = " ".join(element.get("ContentType", "") for element in types.iter()).lower()
    return any(marker in declared for marker in OOXML_MACRO_MARKERS)


def mp4_is_complete(upload):
    """Top-level ISO-BMFF boxes must tile the file exactly and include the movie header (moov)."""
    size, position, kinds = upload.size, 0, set()
    while position < size:
        header = _read_at(upload, position, min(16, size - position), size)
        if len(header) < 8:
            return False
        length, kind = struct.unpack_from(">I4s", header)
        if length == 1:
            if len(header) < 16:
                return False
            length = struct.unpack_from(">Q", header, 8)[0]
        elif length == 0:
            length = size - position
        if length < 8 or position + length > size:
            return False
        kinds.add(kind)
        position += length
    upload.seek(0)
    return b"ftyp" in kinds and b"moov" in kinds


def _ebml_number(data, position, keep_marker):
    first = data[position]
    width = 8 - first.bit_length() + 1
    if first == 0 or position + width > len(data):
        raise Unreadable("bad EBML number")
    value = int.from_bytes(data[position : position + width], "big")
    if not keep_marker:
        value &= (1 << (7 * width)) - 1
    return value, width


def webm_is_complete(upload):
    """An EBML header followed by a Segment whose declared size fits in the file."""
    size = upload.size
    data = _read_at(upload, 0, min(size, 4096), size)
    upload.seek(0)
    try:
        element, width = _ebml_number(data, 0, keep_marker=True)
        if element != 0x1A45DFA3:
            return False
        length, length_width = _ebml_number(data, width, keep_marker=False)
        position = width + length_width + length
        element, width = _ebml_number(data, position, keep_marker=True)
        if element != 0x18538067:
            return False
        length, length_width = _ebml_number(data, position + width, keep_marker=False)
    except (Unreadable, IndexError):
        return False
    unknown = length == (1 << (7 * length_width)) - 1
    return unknown or position + width + length_width + length <= size
