"""Text geometry for the server-drawn charts: how wide a label is drawn, wrapping and shortening it,
and the box it occupies, so that cms.charts can lay labels out without overlaps.

Widths are estimated, not measured (the server has no font engine): a wide or ambiguous East Asian
character is one em, a wide Latin letter 0.9 em, other capitals 0.7 em, everything else 0.6 em. That
is at least what Noto Sans CJK SC draws. Boxes use the font's line box (ascent 1.16 em, descent
0.29 em for Noto Sans CJK, rounded up), which is what a browser's getBBox() reports for a <text>.
"""

import unicodedata

ASCENT = 1.2
DESCENT = 0.3
ELLIPSIS = "…"


def char_width(char, size):
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in "WFA":
        return float(size)
    if char in "MWmw@%":
        return 0.9 * size
    if char.isupper():
        return 0.7 * size
    return 0.6 * size


def width(text, size):
    return sum(char_width(char, size) for char in str(text))


def fit(text, room, size):
    """`text` shortened with an ellipsis until it is drawn within `room` pixels."""
    text = str(text)
    if width(text, size) <= room:
        return text
    kept = ""
    for char in text:
        if width(kept + char + ELLIPSIS, size) > room:
            break
        kept += char
    return kept + ELLIPSIS


def wrap(text, room, size, lines):
    """At most `lines` lines of `text`, each within `room` pixels; the last shortened if text remains.

    Broken between any two characters: Chinese has no spaces to break at, and a label is short."""
    rest = " ".join(str(text).split())
    result = []
    while rest and len(result) < lines - 1:
        line = ""
        for char in rest:
            if width(line + char, size) > room:
                break
            line += char
        if not line:  # a single character wider than the room: take it anyway, the caller widens
            line = rest[0]
        result.append(line.rstrip())
        rest = rest[len(line) :].lstrip()
    if rest:
        result.append(fit(rest, room, size))
    return result or [""]


def box(x, y, text, size, anchor="start"):
    """(left, top, right, bottom) of a <text> at (x, y) with the given text-anchor."""
    drawn = width(text, size)
    left = x - {"start": 0, "middle": drawn / 2, "end": drawn}[anchor]
    return (left, y - ASCENT * size, left + drawn, y + DESCENT * size)


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer):
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]
