"""Text normalisation for lexicon matching, with a map back to offsets in the original text.

Evasion is undone in three steps, all of them shared by lexicon terms and scanned text so both
sides meet in the same form:

1. Every character folds to one character: NFKC width folding (full-width Ａ１！ → A1!), lower
   case, traditional → simplified (OpenCC's character tables) and noise (spaces, zero-width and
   format characters, punctuation, symbols, ·, emoji) → a NUL marker. The fold is 1:1, so offsets
   are unchanged. Line breaks are kept: a term never matches across lines.
2. The NUL markers are dropped.
3. Runs of one repeated CJK character are collapsed (毒毒品 → 毒品).

The fold is a table indexed by code point, used by ``str.translate`` for short texts and by numpy
over UTF-16 code units for the scanned stream (NormalisedText), which keeps for every stream
character its original position, so only the spans of matches are ever mapped back.
"""

import functools
import re
import unicodedata

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
# Stands for every character beyond the BMP that is not noise (rare ideographs of extension B and
# up): the stream has one UTF-16 code unit per character. A private-use character, so it is not noise.
ASTRAL_PLACEHOLDER = "\ue000"


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
    folded = t2s.get(folded, folded)
    # A few extension-A characters simplify to extension B; the stream keeps one UTF-16 code unit
    # per character, so they stay as written.
    return folded if folded <= "\uffff" else char


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
    astral = {cp: ord(NOISE) for low, high in _ASTRAL_NOISE_RANGES for cp in range(low, high) if _is_noise(chr(cp))}
    return tuple(strict), tuple(literal), astral


def warm_up():
    """Build the tables now (they take a fraction of a second) rather than on the first scan."""
    _tables()


# From about this length a numpy table lookup over the UTF-16 code units beats str.translate (five
# times over at a few thousand characters), which is quicker for the short windows around hits.
_VECTOR_FOLD_MINIMUM = 128


@functools.cache
def _literal_array():
    import numpy

    return numpy.array(_tables()[1], dtype=numpy.uint16)


def fold_literal(text):
    """Width, case and traditional-character folding only: punctuation and spacing are kept; 1:1."""
    if len(text) >= _VECTOR_FOLD_MINIMUM:
        import numpy

        try:
            data = text.encode("utf-16-le")
        except UnicodeEncodeError:
            pass  # a lone surrogate: str.translate keeps it as it is
        else:
            # Surrogates fold to themselves: characters beyond the BMP come back unchanged, as with translate.
            return _literal_array()[numpy.frombuffer(data, dtype=numpy.uint16)].tobytes().decode("utf-16-le")
    return text.translate(_tables()[1])


def strict_fold(text):
    """Fold with noise characters turned into NOISE markers; same length as `text`."""
    strict, _literal, astral = _tables()
    folded = text.translate(strict)
    if _ASTRAL.search(folded):
        folded = folded.translate(astral)
    return folded


@functools.cache
def _arrays():
    """(strict fold as a uint16 table, ideograph mask) for the vectorised stream."""
    import numpy

    table = numpy.array(_tables()[0], dtype=numpy.uint16)
    ideographs = numpy.zeros(0x10000, dtype=bool)
    for low, high in _CJK_RANGES:
        ideographs[low:high] = True
    return table, ideographs


def _astral_to_bmp(text):
    """`text` with each character beyond the BMP replaced 1:1: emoji noise by NOISE, others by the placeholder."""
    astral = _tables()[2]
    return _ASTRAL.sub(lambda found: NOISE if ord(found.group()) in astral else ASTRAL_PLACEHOLDER, text)


# Below this length (measured: the two cost the same at about 128 characters) the stream is built
# with str.translate and its offsets are mapped only when a match needs them: numpy's fixed cost per
# call (some ten array operations) is most of the time of a short paragraph.
_VECTOR_STREAM_MINIMUM = 128
_IDEOGRAPH_CLASS = "[" + "".join(f"{chr(low)}-{chr(high - 1)}" for low, high in _CJK_RANGES) + "]"
_IDEOGRAPH = re.compile(_IDEOGRAPH_CLASS)
_REPEATED_IDEOGRAPHS = re.compile(f"({_IDEOGRAPH_CLASS})\\1+")


class NormalisedText:
    """The matching stream of `original` and the map from stream spans back to original spans.

    A long text is folded by numpy: the strict fold is a table lookup over the UTF-16 code units,
    noise is dropped with a mask, and runs of one ideograph are collapsed by comparing each
    character with the one before. Two index arrays map back: the original position of each
    character kept after dropping noise, and the kept position of each stream character (only when
    a run was collapsed), so mapping a span back is a few array reads. A short text (a paragraph)
    is folded by str.translate, and its kept positions are listed only when a span is mapped back,
    which most paragraphs never need. The stream is kept as UTF-16-LE bytes, the form the
    automaton reads.
    """

    __slots__ = ("utf16", "_kept", "_heads", "_folded")

    def __init__(self, original):
        self._folded = None
        if len(original) < _VECTOR_STREAM_MINIMUM:
            self._fold_short(original)
        else:
            self._fold_long(original)

    def _fold_short(self, original):
        if _ASTRAL.search(original):
            original = _astral_to_bmp(original)
        folded = original.translate(_tables()[0])
        stream = folded.replace(NOISE, "") if NOISE in folded else folded
        self._folded, self._kept, self._heads = folded, None, None
        if _REPEATED_IDEOGRAPHS.search(stream):
            stream = _REPEATED_IDEOGRAPHS.sub(r"\1", stream)
        self.utf16 = stream.encode("utf-16-le")

    def _map_short(self):
        """The kept positions and run heads of a short text, listed when a span is first mapped back."""
        folded, self._folded = self._folded, None
        self._kept = [index for index, char in enumerate(folded) if char != NOISE]
        stream = folded.replace(NOISE, "")
        if len(stream) * 2 != len(self.utf16):
            # A run of one ideograph was collapsed: its first character is the head of the run.
            self._heads = [
                index
                for index, char in enumerate(stream)
                if index == 0 or char != stream[index - 1] or not _IDEOGRAPH.match(char)
            ]

    def _fold_long(self, original):
        import numpy

        table, ideographs = _arrays()
        data = original.encode("utf-16-le")
        if len(data) != 2 * len(original):
            data = _astral_to_bmp(original).encode("utf-16-le")
        folded = table[numpy.frombuffer(data, dtype=numpy.uint16)]
        mask = folded != 0
        # int32 positions: for a long text, allocating (page faults) costs as much as computing.
        self._kept = numpy.arange(len(folded), dtype=numpy.int32)[mask]
        stream = folded[mask]
        repeated = numpy.zeros(len(stream), dtype=bool)
        numpy.equal(stream[1:], stream[:-1], out=repeated[1:])
        repeated &= ideographs[stream]
        if repeated.any():
            numpy.logical_not(repeated, out=repeated)
            self._heads = numpy.arange(len(stream), dtype=numpy.int32)[repeated]
            stream = stream[repeated]
        else:
            self._heads = None
        self.utf16 = stream.tobytes()

    @property
    def text(self):
        return self.utf16.decode("utf-16-le")

    def original_span(self, start, end):
        """Original [start, end) of stream [start, end): from the first character of a collapsed run
        to the last character of the last one, without the noise around the span."""
        if self._folded is not None:
            self._map_short()
        kept, heads = self._kept, self._heads
        if heads is None:
            return int(kept[start]), int(kept[end - 1]) + 1
        # The last character of the last run is just before the next run's head.
        last = heads[end] - 1 if end < len(heads) else len(kept) - 1
        return int(kept[heads[start]]), int(kept[last]) + 1


def normalise(text):
    """The matching form of a term or phrase (characters beyond the BMP read as one placeholder)."""
    return NormalisedText(text).text
