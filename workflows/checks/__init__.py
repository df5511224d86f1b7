"""Automated pre-publication content checks: the gate before 三审三校.

Public API (used by workflows.api and the review screens):

- ``scan_text(text)`` → findings in one piece of plain text, sorted by start;
- ``scan_object(obj)`` → findings in every public text of a page or snippet (title, text
  fields, rich text and its links, StreamField blocks, table cells, captions, alt texts,
  inline children and the text of attached .docx/.pdf/.xlsx/.txt documents);
- ``mask_personal_data(text)``, ``mask_object_personal_data(obj)``, ``mask_name(name)``:
  one-click de-identification;
- ``excerpt(text, start, end)``: the hit in context, for the review screen.

One module per detector: ``lexicon`` (workflows.lexicon, evasion-resistant matching),
``markings`` (confidentiality markings), ``personal_data`` (resident ID numbers, mobile numbers,
bank cards, personal e-mail addresses; ``masking`` hides them, ``mailboxes`` knows organisations'
domains), ``links`` (commercial hosts, the regulation's 第二十一条; URL shorteners block) and
``expression`` (严重表述错误: leaders' names, titles and order against the 领导职务名录 of
workflows.lexicon.leaders, judged on the content's date, so scan_object runs it beside scan_text);
``richtext``, ``attachments`` and ``objects`` feed them the texts of a page; ``ocr`` reads scanned
attachments and images with Tesseract and runs the personal-data and marking detectors on them
(such findings carry ``source == "file"``: masking cannot edit them, the file must be replaced).
Offsets always refer to the text that was scanned, so ``text[f.start:f.end] == f.matched``.
"""

from .attachments import (
    ATTACHMENT_CACHE_SECONDS,
    MAX_ATTACHMENT_PART_BYTES,
    AttachmentError,
    document_extension,
    extract_document_text,
)
from .expression import expression_findings
from .findings import (
    BLOCK,
    CATEGORY_LABELS,
    CONTEXT_WIDTH,
    PERSONAL_DATA_KINDS,
    SEVERITY_LABELS,
    WARN,
    Finding,
    excerpt,
)
from .lexicon import invalidate_lexicon_cache
from .links import (
    ALLOWED_LINK_HOST_SUFFIXES,
    invalidate_url_shortener_hosts,
    is_allowed_link_host,
    is_url_shortener,
    link_host,
)
from .mailboxes import invalidate_public_mailbox_domains, is_public_mailbox
from .masking import mask_name, mask_personal_data
from .objects import NON_CONTENT_FIELDS, mask_object_personal_data, scan_object
from .personal_data import (
    find_personal_data,
    fold,
    id_number_check_character,
    is_resident_id_number,
    luhn_valid,
    personal_data_spans,
)
from .richtext import html_to_text
from .text import scan_text

__all__ = [
    "ALLOWED_LINK_HOST_SUFFIXES",
    "ATTACHMENT_CACHE_SECONDS",
    "BLOCK",
    "CATEGORY_LABELS",
    "CONTEXT_WIDTH",
    "MAX_ATTACHMENT_PART_BYTES",
    "NON_CONTENT_FIELDS",
    "PERSONAL_DATA_KINDS",
    "SEVERITY_LABELS",
    "WARN",
    "AttachmentError",
    "Finding",
    "document_extension",
    "excerpt",
    "expression_findings",
    "extract_document_text",
    "find_personal_data",
    "fold",
    "html_to_text",
    "id_number_check_character",
    "invalidate_lexicon_cache",
    "invalidate_public_mailbox_domains",
    "invalidate_url_shortener_hosts",
    "is_allowed_link_host",
    "is_public_mailbox",
    "is_resident_id_number",
    "is_url_shortener",
    "link_host",
    "luhn_valid",
    "mask_name",
    "mask_object_personal_data",
    "mask_personal_data",
    "personal_data_spans",
    "scan_object",
    "scan_text",
]
