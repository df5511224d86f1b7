"""Rich text: visible text and links of HTML, scanning it and masking its text nodes."""

import html
import re

from .findings import WARN, _finding
from .links import _LINK_SUGGESTION, is_allowed_link_host, link_host
from .masking import _mask_text
from .text import scan_text

# A tag, with quoted attribute values that may contain ">".
_TAG = re.compile(r"""<(?:"[^"]*"|'[^']*'|[^'">])*>""")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li br hr div ul ol blockquote table tr td th".split())


def html_to_text(source):
    """Visible text of rich-text HTML (blocks on their own lines) and its links as (href, start, end)."""
    pieces, length, links, open_link = [], 0, [], None
    position = 0
    for tag in _TAG.finditer(source or ""):
        if tag.start() > position:
            chunk = html.unescape(source[position : tag.start()])
            pieces.append(chunk)
            length += len(chunk)
        position = tag.end()
        name_match = _TAG_NAME.match(tag.group())
        if not name_match:
            continue
        closing, name = name_match.group(1), name_match.group(2).lower()
        if name == "a":
            if closing:
                if open_link is not None:
                    links.append((open_link[0], open_link[1], length))
                    open_link = None
            else:
                href = _HREF.search(tag.group())
                value = next((g for g in href.groups() if g is not None), "") if href else ""
                open_link = (html.unescape(value), length) if value else None
        elif name in _BLOCK_TAGS and pieces and not pieces[-1].endswith("\n"):
            pieces.append("\n")
            length += 1
    if position < len(source or ""):
        pieces.append(html.unescape(source[position:]))
    return "".join(pieces), links


def _mask_html(source):
    """Mask personal data in the text nodes of `source`; tags and attributes are left untouched."""
    pieces, position, count = [], 0, 0
    for tag in _TAG.finditer(source):
        masked, n = _mask_html_text(source[position : tag.start()])
        pieces += [masked, tag.group()]
        count += n
        position = tag.end()
    masked, n = _mask_html_text(source[position:])
    pieces.append(masked)
    return "".join(pieces), count + n


def _mask_html_text(raw):
    masked, count = _mask_text(html.unescape(raw))
    return (html.escape(masked, quote=False), count) if count else (raw, 0)


def _scan_html(source):
    text, links = html_to_text(source)
    findings = scan_text(text)
    flagged = {(f.start, f.end) for f in findings if f.category == "commercial_link"}
    for href, start, end in links:
        host = link_host(href) if href.lower().startswith(("http://", "https://", "//", "www.")) else ""
        if not host or is_allowed_link_host(host):
            continue
        if any(s < end and start < e or s == start for s, e in flagged):
            continue
        findings.append(_finding(text, "commercial_link", host, start, end, WARN, _LINK_SUGGESTION))
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings
