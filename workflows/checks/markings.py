"""Confidentiality markings: classification stars, secrecy periods and 内部资料 handling words."""

import re

from django.utils.translation import gettext_lazy as _

from .findings import BLOCK, _finding

_STAR = "[★☆＊*]"
_PERIOD = r"(?:\d+|[一二三四五六七八九十]+)\s*(?:年|个月|月|天|日)"
# 绝密★启用前, 机密★1年, 秘密★: a classification level is only a marking when a star follows it;
# 国家秘密 in a sentence is not.
_CLASSIFICATION = re.compile(rf"(?:绝密|机密|秘密)\s*{_STAR}\s*(?:{_PERIOD}|长期|启用前|解密前)?")
# 保密期限：10年 / 保密期限5年 / 保密期限：长期, but not 国家秘密的保密期限，除另有规定外……
_SECRECY_PERIOD = re.compile(rf"保密期限\s*[:：]?\s*(?:{_PERIOD}|长期)")
# Handling words count only as a marking when they stand on their own: at the start of a line,
# after a space, a bracket or a star, and followed by the end, a space, a bracket or another one.
_HANDLING_WORDS = "内部资料|内部文件|内部刊物|内部材料|注意保存|不得外传|请勿外传|严禁外传|不得翻印"
# The words come first in the pattern so that the regex engine can skip to them; what precedes
# them is checked afterwards.
_HANDLING_MARK = re.compile(rf"(?:{_HANDLING_WORDS})(?=$|[\s】\]）)〕」』，,、；;]|{_HANDLING_WORDS})", re.MULTILINE)
_HANDLING_OPENERS = frozenset("【[（(〔「『★")
# (pattern, label, substrings of which one must occur): the substring test is much cheaper than a
# regex pass and rules most texts out.
_CONFIDENTIAL_DETECTORS = (
    (_CLASSIFICATION, _("密级标志"), ("★", "☆", "＊", "*")),
    (_SECRECY_PERIOD, _("保密期限"), ("保密期限",)),
    (_HANDLING_MARK, _("内部资料标识"), ("内部", "保存", "外传", "翻印")),
)


def _stands_alone(text, start):
    if start == 0:
        return True
    before = text[start - 1]
    return before.isspace() or before in _HANDLING_OPENERS


def _confidential_findings(text):
    found = []
    for pattern, label, needles in _CONFIDENTIAL_DETECTORS:
        if not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(text):
            if pattern is _HANDLING_MARK and not _stands_alone(text, match.start()):
                continue
            found.append(
                _finding(
                    text,
                    "confidential",
                    str(label),
                    match.start(),
                    match.end(),
                    BLOCK,
                    _("带有密级或内部资料标识的信息不得上网发布。"),
                )
            )
    return found
