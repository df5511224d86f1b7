"""Scans: Tesseract text of images and of image-only PDF pages, checked for personal data and markings.

Personal data leaks most often through scanned lists (公示名单) attached as images or image-only PDFs,
whose text layer is empty. Such pages are rendered with pdftoppm, read with the ``tesseract`` binary
(chi_sim+eng) and scanned by the personal-data and secrecy-marking detectors. Every call has a timeout
(WORKFLOW_OCR_PAGE_TIMEOUT), at most WORKFLOW_OCR_MAX_PAGES pages of one file are read, and results
are cached by the file's content hash, since recognition takes seconds per page.
"""

import dataclasses
import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from .findings import WARN, Finding
from .markings import _confidential_findings
from .personal_data import _personal_data_findings

logger = logging.getLogger(__name__)

IMAGE_EXTENSIONS = frozenset("png jpg jpeg tif tiff bmp gif webp".split())
OCR_LANGUAGES = "chi_sim+eng"
# Fully automatic page segmentation: scans carry headings, tables and stamps, not one block of text.
PAGE_SEGMENTATION_MODE = "3"
MAX_SCAN_FILE_BYTES = 50 * 1024 * 1024
# Images claiming more pixels than this are refused before decoding (decompression bombs).
MAX_SCAN_PIXELS = 60_000_000
# Pages are read at about this size (an A4 page at 200 dpi is 3.9 million): larger images are scaled
# down, so a phone photo costs no more than a scan.
OCR_PIXELS = 5_000_000
RENDER_DPI = 200
MIN_RENDER_DPI = 50
# A PDF page showing an image and fewer visible characters than this is a scan (a page number or a
# stamp may be text).
SCAN_PAGE_TEXT_CHARS = 20
OCR_CACHE_SECONDS = 7 * 24 * 3600

_SCAN_NOTE = _("（识别自扫描件或图片，识别结果请人工核对；一键脱敏无法修改图片，须将该附件替换为已脱敏的版本或删除。）")
# Tesseract reads the star of 秘密★一年 as 女: the star is put back for the marking detector, one
# character for one, so that offsets stay.
_MISREAD_STAR = re.compile(r"(?<=[绝机秘]密)([^\S\n]*)女(?=[^\S\n]*(?:\d|[一二三四五六七八九十]|长期|启用前|解密前))")
_NOT_INSTALLED = _("扫描件未能自动识别：服务器未安装文字识别组件（tesseract、pdftoppm），请人工核对附件内容。")


class ScanError(Exception):
    """A scan, or one of its pages, could not be read."""


class OcrUnavailable(Exception):
    """tesseract or pdftoppm is not installed."""


@dataclasses.dataclass
class _Recognised:
    pages: list  # [page number, text] of the pages read
    scan_pages: int  # pages that are scans, read or not
    paged: bool  # a PDF or multi-frame image: findings name the page
    problems: list = dataclasses.field(default_factory=list)  # [page number, reason]


def _binary(name):
    path = shutil.which(name)
    if path is None:
        raise OcrUnavailable(name)
    return path


def _run(command, data=None):
    # One thread per call: the server has few cores, and several checks may run at once.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=settings.WORKFLOW_OCR_PAGE_TIMEOUT,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ScanError(gettext("识别超时")) from error
    except OSError as error:
        raise OcrUnavailable(command[0]) from error
    if result.returncode != 0:
        logger.info("%s failed: %s", command[0], result.stderr[-500:])
        raise ScanError(gettext("文字识别失败"))
    return result.stdout


def _recognise_png(png):
    command = [_binary("tesseract"), "stdin", "stdout", "-l", OCR_LANGUAGES, "--psm", PAGE_SEGMENTATION_MODE]
    return _run(command, png).decode("utf-8", "replace")


def _as_png(frame):
    # Phone photos of a list are stored sideways with an orientation tag; Tesseract needs them upright.
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        # Transparent pixels are usually black underneath: read them as white paper.
        rgba = frame.convert("RGBA")
        frame = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    frame = frame.convert("L")
    if frame.width * frame.height > OCR_PIXELS:
        scale = (OCR_PIXELS / (frame.width * frame.height)) ** 0.5
        frame = frame.resize((max(1, int(frame.width * scale)), max(1, int(frame.height * scale))))
    buffer = io.BytesIO()
    frame.save(buffer, "PNG")
    return buffer.getvalue()


def _read_image(data, limit):
    """Recognised text of the first `limit` frames of an image file."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_SCAN_PIXELS:
                raise ScanError(gettext("图片像素过多"))
            frames = getattr(image, "n_frames", 1)
            pngs = []
            for index in range(min(frames, limit)):
                image.seek(index)
                pngs.append(_as_png(image))
    except Image.DecompressionBombError as error:
        raise ScanError(gettext("图片像素过多")) from error
    except ScanError:
        raise
    except Exception as error:  # noqa: BLE001 - Pillow fails on damaged images in many ways
        raise ScanError(gettext("图片已损坏或格式无法识别")) from error
    recognised = _Recognised([], frames, frames > 1)
    for number, png in enumerate(pngs, start=1):
        _read_page(recognised, number, lambda png=png: png)
    return recognised


def _scan_page_sizes(data):
    """(page number, width, height in points) of the PDF's pages that are scans."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ScanError(gettext("文档已加密"))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        visible = "".join((page.extract_text() or "").split())
        if len(visible) < SCAN_PAGE_TEXT_CHARS and len(page.images):
            box = page.mediabox
            pages.append((number, float(box.width), float(box.height)))
    return pages


def _render_pdf_page(path, number, width, height):
    pixels = (width / 72 * RENDER_DPI) * (height / 72 * RENDER_DPI)
    dpi = int(RENDER_DPI * min(1.0, (OCR_PIXELS / pixels) ** 0.5)) if pixels > 0 else RENDER_DPI
    if dpi < MIN_RENDER_DPI:
        raise ScanError(gettext("页面尺寸过大"))
    page = str(number)
    return _run([_binary("pdftoppm"), "-r", str(dpi), "-f", page, "-l", page, "-gray", "-png", path])


def _read_pdf(data, limit):
    """Recognised text of the first `limit` scanned pages of a PDF."""
    try:
        pages = _scan_page_sizes(data)
    except ScanError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "could not read"
        raise ScanError(gettext("无法读取文件内容")) from error
    recognised = _Recognised([], len(pages), True)
    if not pages:
        return recognised
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "scan.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        for number, width, height in pages[:limit]:
            _read_page(recognised, number, lambda n=number, w=width, h=height: _render_pdf_page(path, n, w, h))
    return recognised


def _read_page(recognised, number, png):
    try:
        recognised.pages.append([number, _recognise_png(png())])
    except ScanError as error:
        recognised.problems.append([number, str(error)])


def _recognise(obj, extension, limit):
    """What the scans of `obj.file` say, from the cache when this content was read before."""
    with obj.file.open("rb") as handle:
        data = handle.read(MAX_SCAN_FILE_BYTES + 1)
    if len(data) > MAX_SCAN_FILE_BYTES:
        raise ScanError(gettext("文件过大"))
    digest = hashlib.sha256(data).hexdigest()
    cache_key = f"workflows.checks.ocr:{extension}:{digest}:{limit}"
    cached = cache.get(cache_key)
    if cached is not None:
        return _Recognised(**cached)
    recognised = _read_pdf(data, limit) if extension == "pdf" else _read_image(data, limit)
    if not recognised.problems:  # a timeout may pass under less load: try again next time
        cache.set(cache_key, dataclasses.asdict(recognised), OCR_CACHE_SECONDS)
    return recognised


def _warning(name, reason):
    return Finding("attachment", name, 0, 0, WARN, str(reason), matched="")


def _page_label(recognised, number):
    return gettext("第%(n)d页") % {"n": number} if recognised.paged else ""


def scan_scans(obj, extension):
    """Findings in the scanned pages of a document or image (`obj.file`, a PDF or an image format).

    Findings on a page of a PDF or a multi-frame image carry the page ("第3页") in field_label, for the
    caller to append to its own label. Unreadable files and pages, a missing OCR program and the page
    limit give warnings; nothing here raises.
    """
    name = os.path.basename(obj.file.name)
    limit = settings.WORKFLOW_OCR_MAX_PAGES
    try:
        recognised = _recognise(obj, extension, limit)
    except OcrUnavailable:
        return [_warning(name, _NOT_INSTALLED)]
    except ScanError as error:
        reason = gettext("无法识别扫描件（%(reason)s），请人工核对附件内容。") % {"reason": error}
        return [_warning(name, reason)]
    except OSError as error:
        logger.info("Could not read scan %s: %s", name, error)
        return [_warning(name, gettext("无法识别扫描件（无法读取文件），请人工核对附件内容。"))]
    findings = []
    for number, text in recognised.pages:
        label = _page_label(recognised, number)
        text = _MISREAD_STAR.sub(r"\1★", text)
        for finding in _confidential_findings(text) + _personal_data_findings(text):
            suggestion = f"{finding.suggestion}{_SCAN_NOTE}"
            findings.append(dataclasses.replace(finding, suggestion=suggestion, field_label=label))
    for number, reason in recognised.problems:
        if recognised.paged:
            message = gettext("无法识别扫描件第%(n)d页（%(reason)s），请人工核对该页。") % {
                "n": number,
                "reason": reason,
            }
        else:
            message = gettext("无法识别扫描件（%(reason)s），请人工核对附件内容。") % {"reason": reason}
        findings.append(_warning(name, message))
    if recognised.scan_pages > limit:
        message = gettext("扫描件共%(total)d页，仅自动识别了前%(n)d页，其余页面请人工核对。") % {
            "total": recognised.scan_pages,
            "n": limit,
        }
        findings.append(_warning(name, message))
    return findings
