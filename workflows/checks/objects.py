"""Object traversal: every public text of a page or snippet (and its attachments and images), for scan_object
and one-click masking."""

import copy
import dataclasses
import os

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage

from workflows.lexicon.leaders import content_date

from .attachments import _scan_document
from .expression import expression_findings
from .findings import FILE_SOURCE
from .masking import _mask_text
from .ocr import IMAGE_EXTENSIONS, scan_scans
from .richtext import _mask_html, _scan_html, html_to_text
from .text import scan_text

# Not public content: tree/URL machinery, and the repost source URL, which the workflow judges
# against its authoritative-source registry. SEO title and description are scanned: they are
# published in the page head and shown by search engines.
NON_CONTENT_FIELDS = frozenset({"slug", "url_path", "path", "draft_title", "source_url"})


@dataclasses.dataclass
class _Slot:
    """One scannable text of an object: where it is, what it is, and how to write it back."""

    path: str
    label: str
    kind: str  # "text", "html", "document" or "image"
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
        elif isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage):
            image = getattr(obj, field.name, None)
            if image is not None:
                yield _Slot(field_path, field_label, "image", image)
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
    elif isinstance(block, ImageChooserBlock):
        image = get_image_model().objects.filter(pk=raw).first() if isinstance(raw, int) else None
        if image is not None:
            yield _Slot(path, label, "image", image)
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
    # Leaders' names and titles are judged on the content's own date (成文日期, else first publication).
    day = content_date(obj)
    for slot in _object_slots(obj):
        if slot.kind == "text":
            found = scan_text(slot.value) + expression_findings(slot.value, day)
        elif slot.kind == "html":
            found = _scan_html(slot.value) + expression_findings(html_to_text(slot.value)[0], day)
        else:
            findings.extend(_file_findings(slot, day))
            continue
        findings.extend(dataclasses.replace(finding, field=slot.path, field_label=slot.label) for finding in found)
    return findings


def _file_findings(slot, day):
    """Findings in an attachment or an image; a finding on a scanned page names the page after the file."""
    title = slot.value.title or os.path.basename(slot.value.file.name)
    if slot.kind == "document":
        found = _scan_document(slot.value, lambda text: scan_text(text) + expression_findings(text, day))
        label = gettext("%(field)s › 附件《%(title)s》") % {"field": slot.label, "title": title}
    else:
        extension = os.path.splitext(slot.value.file.name)[1].lstrip(".").lower()
        found = scan_scans(slot.value, extension) if extension in IMAGE_EXTENSIONS else []
        label = gettext("%(field)s › 图片《%(title)s》") % {"field": slot.label, "title": title}
    return [
        dataclasses.replace(finding, field=slot.path, field_label=f"{label}{finding.field_label}", source=FILE_SOURCE)
        for finding in found
    ]


def mask_object_personal_data(obj):
    """Mask personal data in every text field, rich-text text node and StreamField text of `obj`,
    in place and without saving. Returns the number of replacements."""
    total = 0
    for slot in _object_slots(obj):
        if slot.write is None or slot.kind in ("document", "image"):
            continue
        masked, count = _mask_html(slot.value) if slot.kind == "html" else _mask_text(slot.value)
        if count:
            slot.write(masked)
            total += count
    return total
