"""Personal data: resident ID numbers, mobile numbers, bank cards and e-mail addresses; masking."""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from .findings import BLOCK, PERSONAL_DATA_KINDS, _finding

# \b does not work next to Chinese characters: numbers are delimited by look-arounds instead.
_ALNUM_BEFORE, _ALNUM_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(rf"{_ALNUM_BEFORE}[1-9]\d{{16}}[\dXx]{_ALNUM_AFTER}")
_MOBILE = re.compile(rf"{_ALNUM_BEFORE}(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{{4}}){{2}}{_ALNUM_AFTER}")
_BANK_CARD = re.compile(rf"{_ALNUM_BEFORE}\d{{4}}(?:[ -]?\d{{4}}){{3}}(?:[ -]?\d{{1,3}})?{_ALNUM_AFTER}")
# Numbers worth a closer look: 11 or more digits, possibly grouped by spaces or hyphens. The
# detailed patterns (which start with look-behinds the regex engine cannot skip ahead with) only
# run on these stretches, which keeps the scan at C speed over ordinary text.
_NUMBER_CANDIDATE = re.compile(r"[+\d][\d \-Xx]{10,}")
# E-mail addresses are found from their @: the local part is matched backwards, the domain forwards.
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")
_NON_DIGIT = re.compile(r"[^\dXx]")

# GB 11643: province-level codes of the first two digits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"


def _plausible_birth_date(number):
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _looks_like_id_number(number):
    return len(number) == 18 and number[:2] in _PROVINCES and _plausible_birth_date(number)


def id_number_check_character(first17):
    """The GB 11643 mod 11-2 check character of the first 17 digits."""
    return _ID_CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id_number(value):
    """18-character resident ID number: province, a real past birth date and the check character.

    python-stdnum's cn.ric also checks the six-digit region against a fixed table, which rejects
    numbers issued under codes that have since changed; the province and checksum are enough here.
    """
    number = value.upper()
    if len(number) != 18 or not number[:17].isdigit() or not _looks_like_id_number(number):
        return False
    return id_number_check_character(number[:17]) == number[17]


def luhn_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _is_bank_card(digits):
    return (
        16 <= len(digits) <= 19
        and digits[0] in "3456"
        and (digits[0] != "6" or digits.startswith("62"))
        and not _looks_like_id_number(digits)
        and luhn_valid(digits)
    )


def personal_data_spans(text):
    """(kind, start, end) of personal data in `text`, non-overlapping, in order."""
    spans = []
    for candidate in _NUMBER_CANDIDATE.finditer(text):
        # One character past the stretch lets the closing look-aheads see what follows it.
        start, end = candidate.start(), min(len(text), candidate.end() + 1)
        for match in _ID_NUMBER.finditer(text, start, end):
            if is_resident_id_number(match.group()):
                spans.append((match.start(), -match.end(), 0, "id_number"))
        for match in _BANK_CARD.finditer(text, start, end):
            if _is_bank_card(_NON_DIGIT.sub("", match.group())):
                spans.append((match.start(), -match.end(), 1, "bank_card"))
        for match in _MOBILE.finditer(text, start, end):
            spans.append((match.start(), -match.end(), 2, "mobile"))
    at = text.find("@")
    while at >= 0:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain and local.group()[0] not in ".-":
            spans.append((local.start(), -domain.end(), 3, "email"))
        at = text.find("@", at + 1)
    spans.sort()
    result, reach = [], -1
    for start, negative_end, _priority, kind in spans:
        if start >= reach:
            result.append((kind, start, -negative_end))
            reach = -negative_end
    return result


_PERSONAL_DATA_SUGGESTIONS = {
    "id_number": _("公开信息中不得含有公民身份证号码，请删除或脱敏处理。"),
    "mobile": _("公开信息中不得含有个人手机号码，请删除或脱敏处理。"),
    "bank_card": _("公开信息中不得含有银行卡号，请删除或脱敏处理。"),
    "email": _("请确认电子邮箱是否属于个人信息，必要时脱敏处理。"),
}


def _personal_data_findings(text):
    return [
        _finding(
            text,
            "personal_data",
            str(PERSONAL_DATA_KINDS[kind]),
            start,
            end,
            BLOCK,
            _PERSONAL_DATA_SUGGESTIONS[kind],
            kind=kind,
        )
        for kind, start, end in personal_data_spans(text)
    ]


def _mask_characters(value, keep_head, keep_tail):
    """Replace the digits (and X) of `value` by * except the first `keep_head` and last `keep_tail`."""
    positions = [i for i, char in enumerate(value) if char.isdigit() or char in "Xx"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))


def _mask_span(kind, value):
    if kind == "id_number":
        return _mask_characters(value, 3, 4)
    if kind == "mobile":
        digits = len(_NON_DIGIT.sub("", value))
        return _mask_characters(value, digits - 8, 4)
    if kind == "bank_card":
        return _mask_characters(value, 0, 4)
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


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
    and e-mail addresses (z***@example.com) masked; everything else unchanged."""
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
