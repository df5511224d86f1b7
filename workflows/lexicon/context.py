"""Context rules of a lexicon entry: the words around a hit that suppress it or change its severity.

One rule a line, tried in order; the first whose context is found decides:

    后：高|低|长|短 + <数字>|不超过|不得 => 忽略
    前：禁止|严禁 => 提示
    其他 => 忽略

- ``前`` (before) or ``后`` (after) the hit; ``其他`` applies when no earlier rule matched.
- ``+`` chains parts that follow one another (spaces between them are allowed); ``|`` separates
  the alternatives of a part; ``<数字>`` stands for a number in digits or Chinese numerals and
  ``<汉字>`` for any one Chinese character.
- ``忽略`` drops the hit, ``提示`` makes it a warning, ``阻止`` blocks publication.

Rules are compiled to regular expressions of escaped words and one fixed number class, so an
entry written by an administrator cannot build a pathological pattern. They are matched on the
width-, case- and traditional-folded text with punctuation kept (fold_literal), so 第（一）项 and
最高 are seen as written.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .normalise import fold_literal

IGNORE, WARN, BLOCK = "ignore", "warn", "block"
_ACTIONS = {"忽略": IGNORE, "提示": WARN, "阻止": BLOCK}
_SIDES = {"前": "before", "后": "after", "其他": "otherwise"}
# Tokens a rule may use besides words.
_TOKENS = {"<数字>": r"[0-9零〇一二三四五六七八九十百千万亿两几]+(?:\.[0-9]+)?", "<汉字>": r"[\u3400-\u9fff]"}
_GAP = r"[ \t\u3000\u200b]*"
# How far before a hit a before-rule looks; words in rules are short.
BEFORE_WINDOW = 30
_LINE = re.compile(r"^\s*(前|后|其他)\s*(?:[:：]\s*(.*?))?\s*(?:=>|→|->)\s*(\S+)\s*$")
MAX_RULES = 20


@dataclass(frozen=True, slots=True)
class ContextRule:
    side: str  # "before", "after" or "otherwise"
    action: str  # IGNORE, WARN or BLOCK
    pattern: re.Pattern | None


def _part_pattern(part, number):
    alternatives = []
    for word in part.split("|"):
        word = word.strip()
        if not word:
            raise ValueError(_("第 %(line)d 行：“|”两侧不能为空。") % {"line": number})
        alternatives.append(_TOKENS.get(word) or re.escape(fold_literal(word)))
    return "(?:" + "|".join(alternatives) + ")"


def _compile(side, words, number):
    parts = [part.strip() for part in words.split("+")]
    if not all(parts):
        raise ValueError(_("第 %(line)d 行：“+”两侧不能为空。") % {"line": number})
    body = _GAP.join(_part_pattern(part, number) for part in parts)
    if side == "after":
        return re.compile(_GAP + body)
    return re.compile(body + _GAP + r"\Z")


def parse_rules(text):
    """ContextRules of an entry's rule text; ValueError with a Chinese message naming the line."""
    rules = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = _LINE.match(line)
        if not found:
            raise ValueError(
                _("第 %(line)d 行格式不正确，应为“前：词语|词语 => 忽略”“后：词语 + <数字> => 提示”或“其他 => 忽略”。")
                % {"line": number}
            )
        side, words, action = _SIDES[found.group(1)], found.group(2), found.group(3)
        if action not in _ACTIONS:
            raise ValueError(_("第 %(line)d 行：处理方式只能是“忽略”“提示”或“阻止”。") % {"line": number})
        if side == "otherwise":
            if words:
                raise ValueError(_("第 %(line)d 行：“其他”规则不带词语。") % {"line": number})
            pattern = None
        elif not words:
            raise ValueError(_("第 %(line)d 行：缺少前后文词语。") % {"line": number})
        else:
            pattern = _compile(side, words, number)
        rules.append(ContextRule(side, _ACTIONS[action], pattern))
    if len(rules) > MAX_RULES:
        raise ValueError(_("上下文规则最多 %(count)d 条。") % {"count": MAX_RULES})
    return tuple(rules)


def validate_rules(text):
    try:
        parse_rules(text)
    except ValueError as error:
        raise ValidationError(str(error)) from error


def decide(rules, literal, start, end):
    """The action of the first rule whose context surrounds literal[start:end], or None."""
    for rule in rules:
        if rule.side == "after":
            if rule.pattern.match(literal, end):
                return rule.action
        elif rule.side == "before":
            if rule.pattern.search(literal, max(0, start - BEFORE_WINDOW), start):
                return rule.action
        else:
            return rule.action
    return None
