"""Regex character classes over text as written, for patterns defined on a folded copy of it.

The detectors fold text 1:1 (full-width → ASCII, traditional → simplified) before matching, so that
ｈｔｔｐ and 機密 are caught. Folding a whole text costs a pass of str.translate per detector; instead a
pattern can be written over the text itself, each folded character standing for the class of every
character that folds to it. The fold functions only change characters of the BMP (those beyond keep
their form), so the classes are found by folding the BMP once.
"""

import functools
import re


@functools.cache
def _basic_multilingual_plane(fold):
    everything = "".join(map(chr, range(0x10000)))
    return everything, fold(everything)


@functools.cache
def characters(fold, folded_class, flags=0):
    """Sorted BMP characters whose fold matches `folded_class` (a one-character pattern)."""
    everything, folded = _basic_multilingual_plane(fold)
    return tuple(everything[m.start()] for m in re.finditer(folded_class, folded, flags))


def char_class(chars, negated=False):
    """A regex class of sorted `chars`, consecutive code points as ranges; one character as itself."""
    ranges, first = [], 0
    for index in range(1, len(chars) + 1):
        if index == len(chars) or ord(chars[index]) != ord(chars[index - 1]) + 1:
            low, high = re.escape(chars[first]), re.escape(chars[index - 1])
            ranges.append(low if first == index - 1 else f"{low}-{high}")
            first = index
    if len(chars) == 1 and not negated:
        return ranges[0]
    return f"[{'^' if negated else ''}{''.join(ranges)}]"


@functools.cache
def raw_class(fold, folded_class, flags=0, beyond_bmp=False):
    """A pattern for one character of the text whose fold matches `folded_class`.

    `beyond_bmp`: the class also matches characters beyond the BMP (\\d does), which the fold keeps.
    """
    pattern = char_class(characters(fold, folded_class, flags))
    return f"(?:{pattern}|(?=[^\\x00-\\uffff]){folded_class})" if beyond_bmp else pattern


def led(alternatives, one_of):
    """Alternatives (folded first characters, pattern of the rest) as one pattern led by a single class.

    The regex engine skips ahead at C speed to a pattern's first character only when the pattern starts
    with a character or a class; one that starts with a group of alternatives is tried at every
    position. A lookbehind picks each alternative's first character. `one_of(chars)` → raw class.
    """
    lead = one_of("".join(dict.fromkeys("".join(first for first, _rest in alternatives))))
    branches = "|".join(f"(?<={one_of(first)}){rest}" for first, rest in alternatives)
    return f"{lead}(?:{branches})"
