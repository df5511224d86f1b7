"""One-click de-identification: personal data in text masked where it is written; names reduced to the surname."""

import re

from .personal_data import fold, personal_data_spans

_DIGIT_OR_X = frozenset("0123456789Xx")
_AT = re.compile("[@\uff20]")


def _mask_characters(value, keep_head, keep_tail):
    """Replace the digits (and X) of `value`, full-width ones too, by * except the first `keep_head` and
    last `keep_tail`; separators stay where they are."""
    positions = [i for i, char in enumerate(fold(value)) if char in _DIGIT_OR_X]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))


def _mask_span(kind, value):
    if kind == "id_number":
        return _mask_characters(value, 3, 4)
    if kind == "mobile":
        digits = sum(char in _DIGIT_OR_X for char in fold(value))
        return _mask_characters(value, digits - 8, 4)
    if kind == "bank_card":
        return _mask_characters(value, 0, 4)
    at = _AT.search(value)
    return f"{value[:1]}***{value[at.start() :]}"


def _mask_text(text):
    spans = personal_data_spans(text) if text else []
    if not spans:
        return text, 0
    pieces, previous = [], 0
    for kind, start, end in spans:
        pieces.append(text[previous:start])
        pieces.append(_mask_span(kind, text[start:end]))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces), len(spans)


def mask_personal_data(text):
    """`text` with ID numbers (510***********1234), mobiles (138****5678), bank cards (last four kept)
    and personal e-mail addresses (z***@example.com) masked; everything else unchanged. Doubtful
    numbers (a wrong check character, a bare Luhn match) are left for the reviewer."""
    return _mask_text(text)[0]


_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门 南宫 独孤 万俟 闻人 澹台 "
    "公冶 宗政 濮阳 太叔 申屠 钟离 拓跋 呼延 赫连 东郭 百里 司空 第五 左丘 公羊 谷梁 鲜于 闾丘".split()
)


def mask_name(name):
    """张三 → 张*, 欧阳娜娜 → 欧阳**: the surname (compound surnames included) stays, the rest is starred."""
    name = (name or "").strip()
    if not name:
        return name
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "*" * max(1, len(name) - len(surname))
