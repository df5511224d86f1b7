"""Last line of defence for rich text on the public site.

Wagtail's editor already whitelists what it stores, but rich text can also arrive through
imports, migrations or the database itself; everything is cleaned again on output.
"""

import json
import re
import unicodedata
from functools import cache, partial

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "b",
    "strong",
    "i",
    "em",
    "ol",
    "ul",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "img",
    "figure",
    "figcaption",
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}
_DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)


def _url_is_safe(value):
    # Browsers ignore whitespace and control characters inside a scheme (java\u2028script:).
    compact = "".join(ch for ch in value if not unicodedata.category(ch).startswith(("Z", "C")) and not ch.isspace())
    return not _DANGEROUS_SCHEME.match(compact)


def _allowed_attribute(tag, name, value):
    if tag == "a" and name in ("href", "title", "rel"):
        return name != "href" or _url_is_safe(value)
    if tag == "img" and name in ("src", "alt", "width", "height", "class"):
        return name != "src" or _url_is_safe(value)
    if tag in ("th", "td") and name in ("colspan", "rowspan", "scope"):
        return True
    return name == "class" and tag in ("p", "figure", "table")


def clean_html(html):
    output, _editor, _text_only = _cleaners()
    return output.clean(html or "")


# What the body's rich-text editor (Draftail with RICH_TEXT_FEATURES) can open: its own storage format.
EDITOR_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
_LINK_ATTRIBUTES = {"href", "linktype", "id"}


def _editor_attribute(tag, name, value):
    if tag != "a" or name not in _LINK_ATTRIBUTES:
        return False
    return name != "href" or _url_is_safe(value)


@cache
def _cleaners():
    """(output, editor, text-only) cleaners, made on first use: bleach and its html5lib are not imported at start-up,
    before gunicorn's first answer (docs/deployment.md, cold start)."""
    import bleach

    cleaner = partial(bleach.Cleaner, protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True)
    return (
        cleaner(tags=ALLOWED_TAGS, attributes=_allowed_attribute),
        cleaner(tags=EDITOR_TAGS, attributes=_editor_attribute),
        cleaner(tags=set()),  # no tag survives: neither attributes nor protocols matter
    )


_ANY_LINK = re.compile(r"<a\b[^>]*>")


def _editor_can_open(html):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from .blocks import RICH_TEXT_FEATURES

    # Links are made external first: the structure decides whether the editor can convert the text, and
    # page or document links would otherwise be looked up in the database.
    try:
        ContentstateConverter(RICH_TEXT_FEATURES).from_database_format(_ANY_LINK.sub('<a href="#">', html))
    except Exception:  # noqa: BLE001 - the converter signals malformed structure with assertions and index errors
        return False
    return True


def clean_rich_text(html):
    """Rich text reduced to the editor's feature set, in a structure the editor can always convert.

    Text inside removed elements (forms, svg, noscript, inputs) stays as plain text, so nothing written
    is lost silently; markup the editor cannot represent is what made its page editor fail. Structure it
    still cannot convert (a list item outside a list) is kept as one paragraph of plain text.
    """
    _output, editor, text_only = _cleaners()
    cleaned = editor.clean(html or "")
    if _editor_can_open(cleaned):
        return cleaned
    text = text_only.clean(cleaned).strip()
    return f"<p>{text}</p>" if text else ""


def _clean_stream(data):
    """A stream's raw blocks with their paragraphs cleaned, and whether anything changed."""
    changed = False
    for item in data or []:
        if isinstance(item, dict) and item.get("type") == "paragraph" and isinstance(item.get("value"), str):
            cleaned = clean_rich_text(item["value"])
            changed = changed or cleaned != item["value"]
            item["value"] = cleaned
    return data, changed


def _clean_value(value, stream):
    """(cleaned value, changed) of one stored StreamField (JSON text or list) or rich-text field."""
    if not stream:
        cleaned = clean_rich_text(value) if value else value
        return cleaned, cleaned != value
    as_text = isinstance(value, str)
    data, changed = _clean_stream(json.loads(value) if as_text else list(value or []))
    return (json.dumps(data) if as_text else data), changed


def repair_stored_rich_text(apps, app_label, model_names, stream_fields=(), html_fields=()):
    """For data migrations: clean what is already stored, in rows and in every revision, as saving now does.

    Rich text written by imports, migrations or the ORM before it was cleaned on save can hold markup
    (unmatched tags, noscript, svg, inputs) that makes the editor answer 500.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    fields = [(name, True) for name in stream_fields] + [(name, False) for name in html_fields]
    for model_name in model_names:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.values("pk", *(name for name, _stream in fields)).iterator():
            updates = {}
            for name, stream in fields:
                value = row[name]
                if stream and not isinstance(value, (str, list)):
                    value = getattr(value, "raw_data", value)
                cleaned, changed = _clean_value(value, stream)
                if changed:
                    updates[name] = cleaned
            if updates:
                model.objects.filter(pk=row["pk"]).update(**updates)
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type).iterator():
            content, changed = revision.content or {}, False
            for name, stream in fields:
                if content.get(name):
                    content[name], field_changed = _clean_value(content[name], stream)
                    changed = changed or field_changed
            if changed:
                revision.save(update_fields=["content"])
