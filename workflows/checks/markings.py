"""Confidentiality markings: classification stars, secrecy periods and 内部资料 handling words.

Markings are found through the lexicon's 1:1 ``fold_literal`` (full-width → ASCII, traditional →
simplified, so 機密★ and 秘密＊ are caught) and allow spaces between the characters (秘 密 ★).
Rather than folding the whole text, each pattern is written over the text as it is (folded_classes):
every character of a marking stands for the class of all characters that fold to it, so 密 级 ： 機 密
matches as 密级:机密 would, offsets are the original ones and a text without markings costs one regex
pass per pattern. Only the top lines are folded, for a level standing alone there.
"""

import functools
import re
from bisect import bisect_right

from django.utils.translation import gettext_lazy as _

from workflows.lexicon.normalise import fold_literal

from .findings import BLOCK, WARN, _finding
from .folded_classes import char_class, characters, led, raw_class

# What the patterns mean, on folded text: spaces and zero-width characters put between the characters
# of a marking, the stars of a classification, the openers and closers around a handling word.
_FOLDED_GAP = r"[\s\u200b-\u200d\u2060\ufeff]"
_STARS = "★☆▲△*"
_LEVELS = ("绝密", "机密", "秘密")
_HANDLING_WORDS = (
    "内部资料",
    "内部文件",
    "内部刊物",
    "内部材料",
    "注意保存",
    "不得外传",
    "请勿外传",
    "严禁外传",
    "不得翻印",
)
# Inside a sentence these may be a marking copied into the text: a reviewer should look.
_SENTENCE_WORDS = ("内部资料", "注意保存", "请勿外传", "不得翻印")
_HANDLING_CLOSERS = r"[\s】\])〕」』,、;]"
_HANDLING_OPENERS = frozenset("【[(〔「『★")
TOP_LINES = 5


def _raw(folded_class, beyond_bmp=False):
    return raw_class(fold_literal, folded_class, beyond_bmp=beyond_bmp)


def _one_of(chars):
    return _raw(f"[{re.escape(chars)}]")


def _gap():
    return _raw(_FOLDED_GAP) + "*"


def _spaced(word):
    return _gap().join(_one_of(char) for char in word)


def _literal(word):
    return "".join(_one_of(char) for char in word)


def _words(words):
    return led([(word[0], _gap() + _spaced(word[1:])) for word in words], _one_of)


class _Patterns:
    def __init__(self):
        gap, star = _gap(), _one_of(_STARS)
        level = _words(_LEVELS)
        number = _one_of("一二三四五六七八九十")
        digit = _raw(r"\d", beyond_bmp=True)
        period = (
            rf"(?:(?:{digit}+|{number}+){gap}(?:{_literal('年')}|{_spaced('个月')}|"
            rf"{_literal('月')}|{_literal('天')}|{_literal('日')})|{_literal('长期')}|{_literal('启用前')}|"
            rf"{_literal('解密前')})"
        )
        colon = _one_of(":") + "?"
        # 绝密★启用前, 机密★1年, 秘密★, ★秘密: a classification level is only a marking next to a star;
        # 国家秘密 or 《机密文件管理办法》 in a sentence is not.
        self.classification = re.compile(
            led(
                [
                    (_STARS, gap + level),
                    ("".join(w[0] for w in _LEVELS), gap + _spaced("密") + gap + star + f"(?:{gap}{period})?"),
                ],
                _one_of,
            )
        )
        # 密级：秘密 (★…) — the field of a document's header.
        self.level_field = re.compile(rf"{_spaced('密级')}{gap}{colon}{gap}{level}(?:{gap}{star}(?:{gap}{period})?)?")
        # 保密期限：10年 / 保密期限5年 / 保密期限：长期, but not 国家秘密的保密期限，除另有规定外……
        self.secrecy_period = re.compile(rf"{_spaced('保密期限')}{gap}{colon}{gap}{period}")
        # Handling words block when they stand on their own: at the start of a line, after a space, a
        # bracket or a star, and followed by the end, a space, a bracket or another one.
        handling = _words(_HANDLING_WORDS)
        self.handling_mark = re.compile(rf"{handling}(?=\Z|{_raw(_HANDLING_CLOSERS)}|{handling})")
        self.handling_in_sentence = re.compile(_words(_SENTENCE_WORDS))
        # Every marking holds 密 or a handling word: one pass rules out most texts (and paragraphs).
        self.any_marking = re.compile(
            led([("密", ""), *((word[0], gap + _spaced(word[1:])) for word in _HANDLING_WORDS)], _one_of)
        )
        # A level alone on a line (perhaps in brackets) is a header marking only near the top of a
        # document; this one runs on the folded top lines.
        folded_level = "|".join((_FOLDED_GAP + "*").join(map(re.escape, level)) for level in _LEVELS)
        self.bare_level = re.compile(
            rf"^[^\S\n]*[【\[(〔]?[^\S\n]*({folded_level})[^\S\n]*[】\])〕]?[^\S\n]*$", re.MULTILINE
        )
        self.level_character = re.compile(_one_of("密"))
        line_breaks = characters(fold_literal, "\n")
        self.line = re.compile(f"{char_class(line_breaks, negated=True)}*{char_class(line_breaks)}?")
        self.blank = re.compile(_raw(r"\s") + "*")


@functools.cache
def _patterns():
    return _Patterns()


_MARKING_SUGGESTION = _("带有密级或内部资料标识的信息不得上网发布。")
_IN_SENTENCE_SUGGESTION = _("正文中出现内部资料、请勿外传等字样，请确认该信息可以公开发布。")


def _stands_alone(text, start):
    if start == 0:
        return True
    before = fold_literal(text[start - 1])
    return before.isspace() or before in _HANDLING_OPENERS


def _top_end(text, patterns):
    """Offset just past the first TOP_LINES non-blank lines."""
    seen = 0
    for line in patterns.line.finditer(text):
        if not patterns.blank.fullmatch(text, line.start(), line.end()):
            seen += 1
            if seen == TOP_LINES:
                return line.end()
        if line.start() == line.end():
            break
    return len(text)


# 内部资料性出版物 is a class of publication regulated by law (《内部资料性出版物管理办法》), not a handling mark.
_PUBLICATION_CLASS = "性出版物"


def _names_a_publication_class(text, end):
    return fold_literal(text[end : end + len(_PUBLICATION_CLASS)]) == _PUBLICATION_CLASS


def _marking_spans(text):
    """(start, end, label, severity) of every marking in the text."""
    patterns = _patterns()
    if not patterns.any_marking.search(text):
        return []
    spans = [(m.start(), m.end(), _("密级标志"), BLOCK) for m in patterns.classification.finditer(text)]
    spans += [(m.start(), m.end(), _("密级标志"), BLOCK) for m in patterns.level_field.finditer(text)]
    if patterns.level_character.search(text):
        top = fold_literal(text[: _top_end(text, patterns)])
        spans += [(m.start(1), m.end(1), _("密级标志"), BLOCK) for m in patterns.bare_level.finditer(top)]
    spans += [(m.start(), m.end(), _("保密期限"), BLOCK) for m in patterns.secrecy_period.finditer(text)]
    spans += [
        (m.start(), m.end(), _("内部资料标识"), BLOCK)
        for m in patterns.handling_mark.finditer(text)
        if _stands_alone(text, m.start())
    ]
    spans += [
        (m.start(), m.end(), _("内部资料字样"), WARN)
        for m in patterns.handling_in_sentence.finditer(text)
        if not _names_a_publication_class(text, m.end())
    ]
    return spans


def _confidential_findings(text):
    starts, kept = [], []
    # Blocking spans first, longest first, so a span inside one already kept adds nothing. The kept
    # spans never overlap and stay in order of their start, so only a candidate's neighbours can overlap it.
    for start, end, label, severity in sorted(_marking_spans(text), key=lambda s: (s[3] != BLOCK, s[0] - s[1])):
        index = bisect_right(starts, start)
        if (index and kept[index - 1][1] > start) or (index < len(starts) and starts[index] < end):
            continue
        starts.insert(index, start)
        kept.insert(index, (start, end, label, severity))
    return [
        _finding(
            text,
            "confidential",
            str(label),
            start,
            end,
            severity,
            _MARKING_SUGGESTION if severity == BLOCK else _IN_SENTENCE_SUGGESTION,
        )
        for start, end, label, severity in kept
    ]
