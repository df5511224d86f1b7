"""Where a lexicon hit sits in its sentence: across punctuation, across words, inside a prohibition.

These judge a hit on the text as written (after width and traditional folding), so they run
only for the few hits the automaton reports, never over the whole text.
"""

import functools
import logging
import re

# Punctuation that ends a clause: a term never runs across it (拒绝，对 is not 绝对). Brackets,
# quotes and 、 are not here: 赌“博” or 毒、品 are evasions, not two words.
_CLAUSE_PUNCTUATION = frozenset("，。；：？！…—,;:?!")
_SENTENCE_ENDS = "。！？；!?;\n"
# A term of three or more characters, each separated by punctuation (赌，博，网，站), is spelled out
# on purpose; two characters across a comma are two words that happen to meet.
_SPELLED_OUT_MINIMUM = 3

# A blocking term close after these words is what the text forbids or prosecutes
# (禁止非法代开发票, 严厉打击利用赌博网站……): a warning for the reviewer, not a block.
PROHIBITION_WORDS = ("禁止", "严禁", "不得", "非法", "打击", "查处", "取缔", "整治", "惩治", "严惩", "抵制")
PROHIBITION_WINDOW = 12
# The same when the sentence defines an offence or its penalty (…建立赌博网站……属于刑法第三百零三条).
LEGAL_WORDS = ("刑法", "犯罪", "刑事责任", "治安管理处罚", "依法惩处", "依法处理", "违法所得", "罚款")
# How far a hit's sentence is read each side.
SENTENCE_REACH = 160
_PROHIBITION = re.compile("|".join(PROHIBITION_WORDS))
_LEGAL = re.compile("|".join(LEGAL_WORDS))
_WORD_WINDOW = 6
_LONGEST_WORD = 4
# Folded forms of the quotation marks that make a word a mention (不得使用“最佳”等用语).
_OPENING_QUOTES = frozenset("“‘「『\"'")
_CLOSING_QUOTES = frozenset("”’」』\"'")
# Characters a quotation may hold besides the hit on either side (“最高级”).
QUOTED_SLACK = 3


def crosses_clause(literal, start, end, term_length):
    """True when literal[start:end] runs across clause punctuation and is not a spelled-out term."""
    span = literal[start:end]
    if not any(char in _CLAUSE_PUNCTUATION for char in span):
        return False
    if term_length < _SPELLED_OUT_MINIMUM:
        return True
    # Spelled out: no two term characters touch.
    return any(a.isalnum() and b.isalnum() for a, b in zip(span, span[1:], strict=False))


def _sentence_bounds(literal, start, end):
    """The hit's sentence, read at most SENTENCE_REACH characters each side: `literal` may be a whole
    long text, where looking for a sentence end the text lacks would read all of it for every hit."""
    low, high = max(0, start - SENTENCE_REACH), min(len(literal), end + SENTENCE_REACH)
    left = max(literal.rfind(char, low, start) for char in _SENTENCE_ENDS)
    ends = [index for index in (literal.find(char, end, high) for char in _SENTENCE_ENDS) if index >= 0]
    return (left + 1 if left >= 0 else low), min(ends, default=high)


def in_prohibition(literal, start, end):
    """True when the hit's sentence forbids or prosecutes what the hit names."""
    left, right = _sentence_bounds(literal, start, end)
    if _PROHIBITION.search(literal, max(left, start - PROHIBITION_WINDOW), start):
        return True
    return _LEGAL.search(literal, left, right) is not None


def quoted(literal, start, end):
    """True when the hit lies in a short quotation (不得使用“最高级”等用语): the text names the
    word rather than uses it."""
    left = start
    while left > max(0, start - QUOTED_SLACK) and literal[left - 1] not in _OPENING_QUOTES:
        left -= 1
    if left == 0 or literal[left - 1] not in _OPENING_QUOTES:
        return False
    right = end
    while right < min(len(literal), end + QUOTED_SLACK) and literal[right] not in _CLOSING_QUOTES:
        right += 1
    return right < len(literal) and literal[right] in _CLOSING_QUOTES


@functools.cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _straddled(literal, start, end):
    """True when a dictionary word runs across the hit's start or end (拒绝 over 拒|绝对, 家庭 over
    失独|家庭): a cheap test that spares jieba for almost every hit."""
    frequencies = _tokenizer().FREQ
    for edge in (start, end):
        for word_start in range(max(0, edge - _LONGEST_WORD + 1), edge):
            for word_end in range(edge + 1, min(len(literal), word_start + _LONGEST_WORD) + 1):
                if (word_start < start or word_end > end) and frequencies.get(literal[word_start:word_end]):
                    return True
    return False


def splits_words(literal, start, end):
    """True when jieba's segmentation puts a word boundary inside literal[start:end] and the hit
    starts or ends inside a word (失独|家庭 holds no 独家; 拒绝|对 no 绝对)."""
    if not _straddled(literal, start, end):
        return False
    left = max(0, start - _WORD_WINDOW)
    right = min(len(literal), end + _WORD_WINDOW)
    boundaries, position = set(), left
    # The straddling word is in the dictionary (_straddled), so the dictionary path decides; HMM's
    # guesses at unknown words are not needed and cost a third more.
    for token in _tokenizer().cut(literal[left:right], HMM=False):
        position += len(token)
        boundaries.add(position)
    boundaries.add(left)
    aligned = start in boundaries and end in boundaries
    return not aligned and any(start < boundary < end for boundary in boundaries)
