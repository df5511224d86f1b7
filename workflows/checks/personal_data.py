"""Personal data: resident ID numbers, mobile numbers, bank cards and e-mail addresses.

Text is folded character for character (full-width digits, letters and ＠ to ASCII, the NFKC width
forms), so a fold never moves an offset: findings and masks land on the characters as written. A
candidate number is a run of digits that may be broken by spaces, dashes or dots; its digit groups are
tried whole and in contiguous stretches, and each digit keeps its position in the original text.
"""

import datetime
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from .findings import BLOCK, PERSONAL_DATA_KINDS, WARN, _finding
from .mailboxes import is_public_mailbox


@cache
def _width_table():
    """Full-width and other compatibility forms whose NFKC form is one ASCII character (０ → 0, ＠ → @)."""
    table = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith(("<wide>", "<narrow>", "<font>", "<noBreak>")):
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1 and folded.isascii():
                table[code] = folded
    return table


_DIGIT = "0-9\uff10-\uff19"
# Spaces (including no-break and ideographic), dashes, minus signs and dots inside a written number.
_SEPARATOR = " \t\u00a0\u3000\\-\u2010-\u2015\u2212\uff0d.\uff0e\u00b7\u30fb"
# A run of digits, perhaps grouped; starting with one character class lets the scan skip ahead at C speed.
_CANDIDATE = re.compile(rf"[+\uff0b{_DIGIT}](?:[{_SEPARATOR}]{{0,2}}[{_DIGIT}])*(?:[{_SEPARATOR}]?[Xx\uff38\uff58])?")
# Stretches worth a closer look: 11 or more characters of digits and separators. One character class
# repeated is the cheapest pass over ordinary text; the candidate pattern then runs only inside these.
_STRETCH = re.compile(rf"[+\uff0b{_DIGIT}][{_DIGIT}{_SEPARATOR}Xx\uff38\uff58]{{10,}}")
# Digit groups of a folded run.
_GROUP = re.compile(r"\+?[0-9Xx]+")
_AT = re.compile("[@\uff20]")
_ALNUM = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# Units and currency signs: a number next to one is a quantity, not somebody's number.
_UNIT_AFTER = re.compile(
    r"[ \u3000]*(?:元|万|亿|户|人|吨|亩|平方|立方|%|％|‰|个|件|次|台|辆|套|股|千克|公斤|公里|千米|米|㎡|千瓦|度|kg|km)"
)
_CURRENCY_BEFORE = frozenset("¥￥$＄")
# Words that make a number beside them a bank account.
_BANK_LABEL = re.compile(r"卡号|账号|帐号|银行|开户|账户|帐户")
_LABEL_REACH = 16

# Mobile numbers are written whole, 3-4-4, 3-8, 7-4 or digit by digit; other groupings are tables of figures.
_MOBILE_GROUPINGS = frozenset({(11,), (3, 4, 4), (3, 8), (7, 4), (3, 3, 5), (1,) * 11})
_MOBILE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIXES = ("+86", "0086", "86")
# Issuer prefixes: UnionPay (62), Visa (4), Mastercard (51-55, 2221-2720), JCB (35), American Express (34, 37).
_KNOWN_BIN = re.compile(r"62|4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|35|3[47]")

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")

SUSPECTED_ID_NUMBER = _("疑似身份证号，校验位不符")


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    severity: str = BLOCK
    term: str = ""


def fold(text):
    """`text` with full-width digits, letters and symbols as ASCII; the same length, so offsets carry over."""
    return text.translate(_width_table())  # built on first use: 65,536 code points, not at start-up


def _plausible_birth_date(year, month, day):
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _id_shaped(number):
    """18 digits (or 17 and X) with a province code and a real past birth date: the form of an ID number."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and (number[17].isdigit() or number[17] == "X")
        and number[:2] in _PROVINCES
        and _plausible_birth_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    )


def id_number_check_character(first17):
    """The GB 11643 mod 11-2 check character of the first 17 digits."""
    from stdnum.cn import ric  # python-stdnum is imported where a number is checked, not at start-up

    return ric.calc_check_digit(first17 + "0")


def is_resident_id_number(value):
    """18-character resident ID number: province, a real past birth date and the check character.

    python-stdnum's cn.ric.validate also checks the six-digit region against the codes in force in the
    birth year, which rejects numbers issued under codes that have since changed; its checksum is used.
    """
    from stdnum.cn import ric

    number = value.upper()
    return _id_shaped(number) and ric.calc_check_digit(number) == number[17]


def _is_old_id_number(number):
    """15-digit resident ID number (issued before 1999): a known region and a real birth date in 19YY."""
    if len(number) != 15 or not number.isdigit() or number[:2] not in _PROVINCES:
        return False
    if not _plausible_birth_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])):
        return False
    from stdnum import numdb

    return any("county" in props for _part, props in numdb.get("cn/loc").info(number[:6]))


def luhn_valid(digits):
    from stdnum import luhn

    return luhn.is_valid(digits)


def _quantity(text, start, end):
    return (start > 0 and text[start - 1] in _CURRENCY_BEFORE) or bool(_UNIT_AFTER.match(text, end))


def _bank_label_near(text, start):
    return bool(_BANK_LABEL.search(text, max(0, start - _LABEL_REACH), start))


def _mobile_digits(digits, plus, sizes):
    """The 11 digits of a mobile number after an optional +86 / 0086 / 86, if the grouping is a mobile's."""
    for prefix in _COUNTRY_PREFIXES:
        written = ("+" + digits) if plus else digits
        if written.startswith(prefix) and len(written) == len(prefix) + 11:
            rest, prefix_digits = written[len(prefix) :], len(prefix.lstrip("+"))
            while prefix_digits > 0 and sizes:
                taken = min(prefix_digits, sizes[0])
                sizes = ((sizes[0] - taken,) if sizes[0] > taken else ()) + sizes[1:]
                prefix_digits -= taken
            return rest if sizes in _MOBILE_GROUPINGS and _MOBILE.fullmatch(rest) else None
    if plus:
        return None
    return digits if sizes in _MOBILE_GROUPINGS and _MOBILE.fullmatch(digits) else None


def _classify(text, digits, plus, sizes, start, end, whole):
    """The Span for one stretch of digit groups, or None. `whole`: the stretch is the entire run."""
    from stdnum import luhn
    from stdnum.cn import ric

    id_shaped = len(digits) == 18 and not plus and _id_shaped(digits.upper())
    if id_shaped and ric.calc_check_digit(digits.upper()) == digits[17].upper():
        return Span("id_number", start, end)  # a checksummed ID stays one even before 人员 or 户籍
    if _quantity(text, start, end):
        return None
    if id_shaped:
        return Span("id_number", start, end, WARN, str(SUSPECTED_ID_NUMBER))
    if len(digits) == 15 and not plus and _is_old_id_number(digits):
        return Span("id_number", start, end)
    if _mobile_digits(digits, plus, sizes):
        return Span("mobile", start, end)
    if 16 <= len(digits) <= 19 and not plus and digits.isdigit() and luhn.is_valid(digits):
        if _bank_label_near(text, start) or (whole and _KNOWN_BIN.match(digits)):
            return Span("bank_card", start, end)
        if whole and len(sizes) == 1:
            return Span("bank_card", start, end, WARN)
    return None


def _number_spans(text):
    spans = []
    for stretch in _STRETCH.finditer(text):
        for run in _CANDIDATE.finditer(text, stretch.start(), stretch.end()):
            if run.end() - run.start() >= 11:
                spans += _run_spans(text, run)
    return spans


def _run_spans(text, run):
    """Spans among the digit groups of one run: every contiguous stretch of groups is tried."""
    if (run.start() > 0 and _ALNUM.match(text, run.start() - 1)) or _ALNUM.match(text, run.end()):
        return []
    spans = []
    base = run.start()
    groups = [(base + g.start(), base + g.end(), g.group()) for g in _GROUP.finditer(fold(run.group()))]
    for first in range(len(groups)):
        digits, sizes = "", ()
        plus = groups[first][2].startswith("+")
        for last in range(first, len(groups)):
            piece = groups[last][2]
            if last > first and piece.startswith("+"):
                break
            digits += piece.lstrip("+")
            sizes += (len(piece.lstrip("+")),)
            if len(digits) > 22:
                break
            if len(digits) < 11:
                continue
            whole = first == 0 and last == len(groups) - 1
            span = _classify(text, digits, plus, sizes, groups[first][0], groups[last][1], whole)
            if span:
                spans.append(span)
    return spans


def _email_spans(text):
    spans = []
    for at in _AT.finditer(text):
        # Only the neighbourhood of each @ is folded: a local part is at most 64 characters, a domain 255.
        window_start = max(0, at.start() - 64)
        local = _EMAIL_LOCAL.search(fold(text[window_start : at.start()]))
        domain = _EMAIL_DOMAIN.match(fold(text[at.end() : at.end() + 255]))
        if local and domain and local.group()[0] not in ".-" and not is_public_mailbox(domain.group()):
            spans.append(Span("email", window_start + local.start(), at.end() + domain.end()))
    return spans


def find_personal_data(text):
    """Spans of personal data in `text`, non-overlapping, in order of their start.

    Where candidates overlap, a certain finding wins over a doubtful one, then the longer one.
    """
    if not text:
        return []
    spans = _number_spans(text)
    if "@" in text or "\uff20" in text:
        spans += _email_spans(text)
    if not spans:
        return spans
    spans.sort(key=lambda s: (s.severity != BLOCK, s.start - s.end, s.start))
    # The chosen spans, kept in order of their start: they never overlap, so their ends are in order too
    # and only the neighbours of a candidate can overlap it (a list of phone numbers stays linear).
    starts, chosen = [], []
    for span in spans:
        index = bisect_right(starts, span.start)
        if index and chosen[index - 1].end > span.start:
            continue
        if index < len(starts) and starts[index] < span.end:
            continue
        starts.insert(index, span.start)
        chosen.insert(index, span)
    return chosen


def personal_data_spans(text):
    """(kind, start, end) of certain personal data in `text` (what masking replaces), in order."""
    return [(s.kind, s.start, s.end) for s in find_personal_data(text) if s.severity == BLOCK]


_PERSONAL_DATA_SUGGESTIONS = {
    "id_number": _("公开信息中不得含有公民身份证号码，请删除或脱敏处理。"),
    "mobile": _("公开信息中不得含有个人手机号码，请删除或脱敏处理。"),
    "bank_card": _("公开信息中不得含有银行卡号，请删除或脱敏处理。"),
    "email": _("个人电子邮箱属于个人信息，请删除或脱敏处理；单位公开邮箱的域名可由安全管理员登记到公开邮箱域名。"),
}
_DOUBTFUL_SUGGESTIONS = {
    "id_number": _("该号码形似身份证号但校验位不符，请核对是否为身份证号码（可能有笔误），是则删除或脱敏处理。"),
    "bank_card": _("该号码符合银行卡号校验规则，请核对是否为银行卡号，是则删除或脱敏处理。"),
}


def _personal_data_findings(text):
    findings = []
    for span in find_personal_data(text):
        if span.severity == BLOCK:
            term, suggestion = PERSONAL_DATA_KINDS[span.kind], _PERSONAL_DATA_SUGGESTIONS[span.kind]
        else:
            term = span.term or _("疑似%(kind)s") % {"kind": PERSONAL_DATA_KINDS[span.kind]}
            suggestion = _DOUBTFUL_SUGGESTIONS[span.kind]
        findings.append(
            _finding(text, "personal_data", str(term), span.start, span.end, span.severity, suggestion, kind=span.kind)
        )
    return findings
