"""Last line of defence for rich text on the public site.

Wagtail's editor already whitelists what it stores, but rich text can also arrive through
imports, migrations or the database itself; everything is cleaned again on output.
"""

import re
import unicodedata

import bleach

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "img", "figure", "figcaption",
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


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_html(html):
    return _cleaner.clean(html or "")
