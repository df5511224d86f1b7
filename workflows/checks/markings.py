"""Confidentiality markings: classification stars, secrecy periods and 内部资料 handling words.

Patterns run on a folded copy of the text (full-width → ASCII, traditional → simplified, via the
lexicon's 1:1 ``fold_literal``, so 機密★ and 秘密＊ are caught) and allow spaces between the
characters (秘 密 ★); the fold keeps the length, so offsets land on the original characters.
"""

import re

from django.utils.translation import gettext_lazy as _

from workflows.lexicon.normalise import fold_literal

from .findings import BLOCK, WARN, _finding

# Spaces and zero-width characters put between the characters of a marking.
_GAP = r"[\s\u200b-\u200d\u2060\ufeff]*"


def _spaced(word):
    return _GAP.join(map(re.escape, word))


_LEVEL = "(?:" + "|".join(_spaced(level) for level in ("绝密", "机密", "秘密")) + ")"
_STAR = "[★☆▲△*]"
_PERIOD = rf"(?:(?:\d+|[一二三四五六七八九十]+){_GAP}(?:年|个{_GAP}月|月|天|日)|长期|启用前|解密前)"
# 绝密★启用前, 机密★1年, 秘密★, ★秘密: a classification level is only a marking next to a star;
# 国家秘密 or 《机密文件管理办法》 in a sentence is not.
_CLASSIFICATION = re.compile(rf"{_STAR}{_GAP}{_LEVEL}|{_LEVEL}{_GAP}{_STAR}(?:{_GAP}{_PERIOD})?")
# 密级：秘密 (★…) — the field of a document's header.
_LEVEL_FIELD = re.compile(rf"{_spaced('密级')}{_GAP}:?{_GAP}{_LEVEL}(?:{_GAP}{_STAR}(?:{_GAP}{_PERIOD})?)?")
# A level alone on a line (perhaps in brackets) is a header marking only near the top of a document.
_BARE_LEVEL = re.compile(rf"^[^\S\n]*[【\[(〔]?[^\S\n]*({_LEVEL})[^\S\n]*[】\])〕]?[^\S\n]*$", re.MULTILINE)
TOP_LINES = 5
# 保密期限：10年 / 保密期限5年 / 保密期限：长期, but not 国家秘密的保密期限，除另有规定外……
_SECRECY_PERIOD = re.compile(rf"{_spaced('保密期限')}{_GAP}:?{_GAP}(?:{_PERIOD})")
# Handling words block when they stand on their own: at the start of a line, after a space, a
# bracket or a star, and followed by the end, a space, a bracket or another one.
_HANDLING_WORDS = "|".join(
    _spaced(word)
    for word in (
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
)
# The words come first in the pattern so that the regex engine can skip to them; what precedes
# them is checked afterwards.
_HANDLING_MARK = re.compile(rf"(?:{_HANDLING_WORDS})(?=$|[\s】\])〕」』,、;]|{_HANDLING_WORDS})", re.MULTILINE)
_HANDLING_OPENERS = frozenset("【[(〔「『★")
# Inside a sentence these may be a marking copied into the text: a reviewer should look.
_HANDLING_IN_SENTENCE = re.compile("|".join(_spaced(word) for word in ("内部资料", "注意保存", "请勿外传", "不得翻印")))

_MARKING_SUGGESTION = _("带有密级或内部资料标识的信息不得上网发布。")
_IN_SENTENCE_SUGGESTION = _("正文中出现内部资料、请勿外传等字样，请确认该信息可以公开发布。")


def _stands_alone(text, start):
    if start == 0:
        return True
    before = text[start - 1]
    return before.isspace() or before in _HANDLING_OPENERS


def _top_end(folded):
    """Offset just past the first TOP_LINES non-blank lines."""
    seen = 0
    for line in re.finditer(r"[^\n]*\n?", folded):
        if line.group().strip():
            seen += 1
            if seen == TOP_LINES:
                return line.end()
        if not line.group():
            break
    return len(folded)


def _marking_spans(folded):
    """(start, end, label, severity) of every marking in the folded text."""
    spans = []
    if any(star in folded for star in "★☆▲△*"):
        spans += [(m.start(), m.end(), _("密级标志"), BLOCK) for m in _CLASSIFICATION.finditer(folded)]
    if "级" in folded:
        spans += [(m.start(), m.end(), _("密级标志"), BLOCK) for m in _LEVEL_FIELD.finditer(folded)]
    if "密" in folded:
        top = folded[: _top_end(folded)]
        spans += [(m.start(1), m.end(1), _("密级标志"), BLOCK) for m in _BARE_LEVEL.finditer(top)]
    if "期" in folded:
        spans += [(m.start(), m.end(), _("保密期限"), BLOCK) for m in _SECRECY_PERIOD.finditer(folded)]
    if any(needle in folded for needle in ("内", "保", "外", "翻")):
        spans += [
            (m.start(), m.end(), _("内部资料标识"), BLOCK)
            for m in _HANDLING_MARK.finditer(folded)
            if _stands_alone(folded, m.start())
        ]
        spans += [(m.start(), m.end(), _("内部资料字样"), WARN) for m in _HANDLING_IN_SENTENCE.finditer(folded)]
    return spans


def _confidential_findings(text):
    folded = fold_literal(text)
    kept = []
    # Blocking spans first, longest first, so a span inside one already kept adds nothing.
    for start, end, label, severity in sorted(_marking_spans(folded), key=lambda s: (s[3] != BLOCK, s[0] - s[1])):
        if any(start < kept_end and kept_start < end for kept_start, kept_end, *_rest in kept):
            continue
        kept.append((start, end, label, severity))
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
        for start, end, label, severity in sorted(kept)
    ]
