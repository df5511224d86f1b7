"""Text normalisation for lexicon matching, with a map back to offsets in the original text.

Evasion is undone in three steps, all of them shared by lexicon terms and scanned text so both
sides meet in the same form:

1. One ``str.translate`` pass (C speed, a tuple indexed by code point) folds every character
   to one character: NFKC width folding (full-width Ａ１！ → A1!), lower case, traditional →
   simplified (OpenCC's character tables) and noise (spaces, zero-width and format characters,
   punctuation, symbols, ·, emoji) → a NUL marker. The fold is 1:1, so offsets are unchanged.
   Line breaks are kept: a term never matches across lines.
2. The NUL markers are split out; the list of part start positions is the map back to the
   original (a part's original start is its start in the joined stream plus its index).
3. Runs of one repeated CJK character are collapsed (毒毒品 → 毒品); a second, usually tiny,
   list of break points maps collapsed positions back to the joined stream.

Only spans of matches are mapped back, with two binary searches each, so the cost of
normalisation is a few linear C-level passes over the text.
"""

import functools
import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate

NOISE = "\x00"
LINE_BREAK = "\n"

# Symbols that carry meaning in terms such as 100%; every other symbol is noise.
_SIGNIFICANT_SYMBOLS = frozenset("%")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
# Unified ideographs, extension A and the compatibility block: where OpenCC's tables apply.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
# Emoji and pictographs are used as noise between characters too (毒🔥品).
_ASTRAL_NOISE_RANGES = ((0x1F000, 0x1FB00), (0xE0000, 0xE0080))
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# The start of a run of one repeated character. Only ideographs are collapsed (digits in 100 or
# 2000 keep their zeros); the pattern matches any doubled character because that scans about twice
# as fast as a character class or an open-ended repeat, and runs are rare: they are filtered and
# extended in Python.
_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


def _is_ideograph(char):
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@functools.cache
def traditional_to_simplified():
    """Character-level traditional → simplified map built from OpenCC (t2s, then Taiwan and Hong Kong variants)."""
    import opencc

    chars = [chr(cp) for low, high in _CJK_RANGES for cp in range(low, high)]
    # One character per line: OpenCC's phrase tables never span a line break, so each
    # character is converted on its own.
    joined = LINE_BREAK.join(chars)
    mapping = {}
    for config in ("t2s", "tw2s", "hk2s"):
        converted = opencc.OpenCC(config).convert(joined).split(LINE_BREAK)
        for source, target in zip(chars, converted, strict=True):
            if len(target) == 1 and target != source:
                mapping.setdefault(source, target)
    return mapping


def _is_noise(char):
    if char in _SIGNIFICANT_SYMBOLS:
        return False
    category = unicodedata.category(char)
    return category[0] in "PSZ" or category in ("Cf", "Cc")


def _fold_char(char, t2s):
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    lower = folded.lower()
    if len(lower) == 1:
        folded = lower
    return t2s.get(folded, folded)


@functools.cache
def _tables():
    """(strict, literal, astral noise) translate tables.

    The first two are tuples indexed by BMP code point: str.translate looks a tuple up faster than
    a dict and never misses. Characters beyond the BMP (emoji used as noise) are rare and handled
    by a second pass with the third table, only when the text has such characters.
    """
    t2s = traditional_to_simplified()
    strict, literal = [], []
    for cp in range(0x10000):
        char = chr(cp)
        if char in _LINE_BREAKS:
            strict.append(ord(LINE_BREAK))
            literal.append(ord(LINE_BREAK))
            continue
        folded = _fold_char(char, t2s) if not 0xD800 <= cp < 0xE000 else char
        literal.append(ord(folded))
        strict.append(ord(NOISE) if _is_noise(folded) else ord(folded))
    astral = {
        cp: ord(NOISE) for low, high in _ASTRAL_NOISE_RANGES for cp in range(low, high) if _is_noise(chr(cp))
    }
    return tuple(strict), tuple(literal), astral


def warm_up():
    """Build the tables now (they take a fraction of a second) rather than on the first scan."""
    _tables()


def fold_literal(text):
    """Width, case and traditional-character folding only: punctuation and spacing are kept."""
    return text.translate(_tables()[1])


def strict_fold(text):
    """Fold with noise characters turned into NOISE markers; same length as `text`."""
    strict, _literal, astral = _tables()
    folded = text.translate(strict)
    if _ASTRAL.search(folded):
        folded = folded.translate(astral)
    return folded


def _ideograph_runs(text):
    """[start, end) of every run of two or more of the same ideograph."""
    runs, previous_end, length = [], 0, len(text)
    for match in _DOUBLED.finditer(text):
        start = match.start()
        char = match.group(1)
        if start < previous_end or not _is_ideograph(char):
            continue
        end = match.end()
        while end < length and text[end] == char:
            end += 1
        runs.append((start, end))
        previous_end = end
    return runs


class NormalisedText:
    """The matching stream of `original` and the map from stream spans back to original spans."""

    __slots__ = ("text", "_part_starts", "_run_breaks", "_run_shifts")

    def __init__(self, original):
        folded = strict_fold(original)
        if NOISE in folded:
            parts = folded.split(NOISE)
            joined = "".join(parts)
            starts = list(accumulate(map(len, parts), initial=0))
            starts.pop()
            self._part_starts = starts
        else:
            joined = folded
            self._part_starts = None
        self._run_breaks = self._run_shifts = None
        runs = _ideograph_runs(joined)
        if runs:
            pieces, breaks, shifts = [], [], []
            previous_end = removed = 0
            for start, end in runs:
                pieces.append(joined[previous_end : start + 1])
                removed += end - start - 1
                # Collapsed position just after the run's single kept character.
                breaks.append(start + 1 - (removed - (end - start - 1)))
                shifts.append(removed)
                previous_end = end
            pieces.append(joined[previous_end:])
            joined = "".join(pieces)
            self._run_breaks, self._run_shifts = breaks, shifts
        self.text = joined

    def _to_joined(self, index):
        if self._run_breaks is None:
            return index
        k = bisect_right(self._run_breaks, index)
        return index + self._run_shifts[k - 1] if k else index

    def _to_original(self, index):
        if self._part_starts is None:
            return index
        return index + bisect_right(self._part_starts, index) - 1

    def original_span(self, start, end):
        """Original [start, end) of stream [start, end): from the first character of a collapsed run
        to the last character of the last one, without the noise around the span."""
        return self._to_original(self._to_joined(start)), self._to_original(self._to_joined(end) - 1) + 1


def normalise(text):
    """The matching form of a term or phrase."""
    return NormalisedText(text).text
