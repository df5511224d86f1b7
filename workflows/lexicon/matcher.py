"""The lexicon automaton: built once per process from the active entries, rebuilt when they change.

ahocorasick-rs is used for the multi-pattern search: a maintained Rust Aho–Corasick binding
that reports character offsets for str haystacks and, measured on Chinese text here, runs
several times faster than pyahocorasick or a dict trie in Python.
"""

import re
import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from .context import IGNORE, decide, parse_rules
from .normalise import NOISE, NormalisedText, fold_literal, normalise, strict_fold
from .sentences import QUOTED_SLACK, SENTENCE_REACH, crosses_clause, in_prohibition, quoted, splits_words

# How long a process trusts its automaton before asking the database whether another
# process changed the lexicon (saves in this process invalidate it at once through signals).
VERSION_CHECK_SECONDS = 5.0
PROHIBITION_NOTE = _("该词出现在禁止、打击或法律责任的表述中，请人工确认是否为依法表述。")

# Brackets, quotes and 、 inside a match are believed only when every pair of neighbouring term
# characters is separated (赌“博”网“站”); otherwise two words meet across them. Clause punctuation
# is stricter (sentences.crosses_clause).
_INNER_PUNCTUATION = "、“”‘’「」『』（）【】《》〈〉〔〕()"
_CLAUSE_PUNCTUATION = "，。；：？！…—,;:?!"
_PUNCTUATION = re.compile(f"[{re.escape(_INNER_PUNCTUATION + _CLAUSE_PUNCTUATION)}]")
_QUOTES = re.compile("[“”‘’「」『』\"'＂＇]")
# Characters around a hit folded for context rules, raw whitelists and word boundaries; a blocking
# hit's whole sentence (up to SENTENCE_REACH each side) is read for a prohibition.
_CONTEXT_WINDOW = 40


@dataclass(frozen=True, slots=True)
class MatchEntry:
    term: str
    category: str
    severity: str
    suggestion: str
    # Folded literal form for entries matched literally (规范表述): 党中央国务院 is wrong while
    # 党中央、国务院 is right, and the two differ only in characters the strict stream drops.
    literal: str | None
    # Length of the term in the matching stream.
    length: int = 0
    # Whitelist phrases holding punctuation (第（一）项), matched on the literal text.
    raw_whitelist: tuple = ()
    rules: tuple = ()
    # A warning without whitelist phrases or rules that cannot be two words running into each other:
    # a hit needs its context read only when punctuation or a quote is near.
    plain: bool = False


@dataclass(frozen=True, slots=True)
class LexiconHit:
    entry: MatchEntry
    start: int
    end: int
    severity: str = ""
    # Why the severity differs from the entry's (a prohibition context), for the reviewer.
    note: str = ""


def whitelist_phrases(value):
    """The whitelist as a list of phrases: one a line; | separates phrases too (the import format)."""
    phrases = []
    for line in (value or "").splitlines():
        for phrase in line.split("|"):
            phrase = phrase.strip()
            if phrase and phrase not in phrases:
                phrases.append(phrase)
    return phrases


def _term_offsets(phrase_norm, term_norm):
    offsets, index = [], phrase_norm.find(term_norm)
    while index >= 0:
        offsets.append(index)
        index = phrase_norm.find(term_norm, index + 1)
    return tuple(offsets)


def _evenly_spaced(segment):
    """True when every boundary between distinct neighbouring characters of `segment` holds noise."""
    previous, gap = None, False
    for char in strict_fold(segment):
        if char == NOISE:
            gap = True
            continue
        if char != previous:
            if previous is not None and not gap:
                return False
            gap = False
        previous = char
    return True


class LexiconMatcher:
    """Aho–Corasick over the normalised terms and whitelist phrases of a set of entries."""

    def __init__(self, rows):
        """`rows`: iterable of (term, category, severity, suggestion, whitelist text, context rules)."""
        self.entries = []
        pattern_index = {}
        term_entries, whitelist_entries = [], []

        def pattern(text):
            index = pattern_index.get(text)
            if index is None:
                index = pattern_index[text] = len(pattern_index)
                term_entries.append([])
                whitelist_entries.append([])
            return index

        for term, category, severity, suggestion, whitelist, rule_text in rows:
            term_norm = normalise(term)
            if not term_norm:
                continue
            literal = fold_literal(term.strip()) if category == "wording" else None
            phrases = whitelist_phrases(whitelist)
            raw_whitelist = tuple(fold_literal(p) for p in phrases if NOISE in strict_fold(p))
            try:
                rules = parse_rules(rule_text)
            except ValueError:
                # Saved rules are validated; a broken row from elsewhere must not stop every scan.
                rules = ()
            entry_index = len(self.entries)
            length = len(term_norm)
            plain = not (raw_whitelist or rules) and severity != "block" and (length < 2 or category != "advertising")
            self.entries.append(
                MatchEntry(term, category, severity, suggestion or "", literal, length, raw_whitelist, rules, plain)
            )
            term_entries[pattern(term_norm)].append(entry_index)
            # The right form of a wording entry that contains the wrong one (党的十八大以来 for
            # 十八大以来) must not be flagged either.
            if category == "wording" and suggestion:
                phrases.append(suggestion)
            for phrase in phrases:
                phrase_norm = normalise(phrase)
                offsets = _term_offsets(phrase_norm, term_norm) if phrase_norm != term_norm else ()
                if offsets:
                    whitelist_entries[pattern(phrase_norm)].append((entry_index, offsets))

        self._terms = [tuple(e) or None for e in term_entries]
        self._whitelists = [tuple(e) or None for e in whitelist_entries]
        patterns = list(pattern_index)
        self.pattern_count = len(patterns)
        # The automaton runs over the stream's UTF-16 bytes (one code unit per character): twice as
        # fast as over str, which the binding converts to UTF-8 and maps back to character offsets.
        # The contiguous NFA matches about 15% slower than the DFA on 10,000 Chinese terms but takes
        # well under a megabyte instead of some 45 MB in every worker process, and builds six times faster.
        import ahocorasick_rs  # on the first build, not at start-up (docs/deployment.md, cold start)

        self._automaton = (
            ahocorasick_rs.BytesAhoCorasick(
                [text.encode("utf-16-le") for text in patterns],
                implementation=ahocorasick_rs.Implementation.ContiguousNFA,
            )
            if patterns
            else None
        )

    def find(self, text):
        """Lexicon hits in `text`, offsets into `text` itself, whitelisted hits removed."""
        if self._automaton is None or not text:
            return []
        stream = NormalisedText(text)
        matches = self._automaton.find_matches_as_indexes(stream.utf16, overlapping=True)
        if not matches:
            return []
        terms, whitelists = self._terms, self._whitelists
        suppressed = set()
        candidates = []
        for pattern_id, byte_start, byte_end in matches:
            # A match at an odd byte offset straddles two characters.
            if byte_start & 1:
                continue
            start, end = byte_start >> 1, byte_end >> 1
            listed = whitelists[pattern_id]
            if listed is not None:
                for entry_index, offsets in listed:
                    for offset in offsets:
                        suppressed.add((entry_index, start + offset))
            if terms[pattern_id] is not None:
                candidates.append((pattern_id, start, end))

        hits = []
        entries = self.entries
        literal = _Literal(text, dense=len(candidates) * 4 * _CONTEXT_WINDOW > len(text))
        for pattern_id, start, end in candidates:
            original_start = original_end = None
            for entry_index in terms[pattern_id]:
                if (entry_index, start) in suppressed:
                    continue
                if original_start is None:
                    original_start, original_end = stream.original_span(start, end)
                hit = _judge(entries[entry_index], text, original_start, original_end, literal)
                if hit is not None:
                    hits.append(hit)
        return _drop_covered(hits)


class _Literal:
    """fold_literal of the text around hits: a window a hit, or the whole text (folded at the first
    hit that reads its context) when hits are dense; most hits never read it."""

    __slots__ = ("_text", "_dense", "_whole")

    def __init__(self, text, dense):
        self._text, self._dense, self._whole = text, dense, None

    def around(self, start, end, width):
        """(folded text holding [start - width, end + width), its offset in the original)."""
        if self._dense:
            if self._whole is None:
                self._whole = fold_literal(self._text)
            return self._whole, 0
        left = max(0, start - width)
        return fold_literal(self._text[left : end + width]), left


def _judge(entry, text, start, end, literal):
    """The hit of `entry` at text[start:end] after its context is weighed, or None."""
    if entry.literal is not None:
        if fold_literal(text[start:end]) != entry.literal:
            return None
        return LexiconHit(entry, start, end, entry.severity)
    spans_punctuation = end - start > 1 and _PUNCTUATION.search(text, start, end) is not None
    # Most hits need no context: a plain entry's hit outside punctuation and quotes.
    if entry.plain and not spans_punctuation and not _next_to_quote(text, start, end):
        return LexiconHit(entry, start, end, entry.severity)
    window, offset = literal.around(start, end, _CONTEXT_WINDOW)
    local_start, local_end = start - offset, end - offset
    if spans_punctuation:
        if crosses_clause(window, local_start, local_end, entry.length):
            return None
        if not _evenly_spaced(text[start:end]):
            return None
    if _whitelisted(entry.raw_whitelist, window, local_start, local_end):
        return None
    severity, note = entry.severity, ""
    action = decide(entry.rules, window, local_start, local_end) if entry.rules else None
    if action == IGNORE:
        return None
    if action is not None:
        severity = action
    if severity == "block":
        sentence, offset = literal.around(start, end, SENTENCE_REACH)
        if in_prohibition(sentence, start - offset, end - offset):
            severity, note = "warn", PROHIBITION_NOTE
    elif quoted(window, local_start, local_end):
        return None
    elif entry.category == "advertising" and entry.length > 1 and splits_words(window, local_start, local_end):
        # Advertising words are everyday words that run into their neighbours (拒绝对, 失独家庭);
        # a county's sensitive and custom terms are matched as listed, inside words too.
        return None
    return LexiconHit(entry, start, end, severity, note)


def _next_to_quote(text, start, end):
    return _QUOTES.search(text, max(0, start - QUOTED_SLACK), end + QUOTED_SLACK) is not None


def _whitelisted(phrases, window, start, end):
    """True when an occurrence of one of `phrases` covers window[start:end]."""
    # An occurrence found between these bounds starts at or before `start` and ends at or after `end`.
    return any(window.find(phrase, max(0, end - len(phrase)), start + len(phrase)) >= 0 for phrase in phrases)


_SEVERITY_RANK = {"block": 2, "warn": 1}


def _drop_covered(hits):
    """Report 最佳 once, not also the 最 inside it: a hit inside a longer or equal hit of the same
    category and at least the same severity is dropped."""
    hits.sort(key=lambda hit: (hit.start, -hit.end))
    kept = []
    # (category, severity rank) -> furthest end of the kept hits so far; they all start at or
    # before the current hit, so reaching its end means containing it.
    reach = {}
    for hit in hits:
        category, rank = hit.entry.category, _SEVERITY_RANK.get(hit.severity, 0)
        if any(reach.get((category, other), -1) >= hit.end for other in _SEVERITY_RANK.values() if other >= rank):
            continue
        if reach.get((category, rank), -1) < hit.end:
            reach[(category, rank)] = hit.end
        kept.append(hit)
    return kept


class _MatcherCache:
    """One matcher per process; a post_save/post_delete signal or a changed DB version rebuilds it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._matcher = None
        self._version = None
        self._checked_at = 0.0

    def invalidate(self, **kwargs):
        with self._lock:
            self._matcher = None
            self._version = None
            self._checked_at = 0.0

    @staticmethod
    def _database_version():
        from .models import LexiconEntry

        summary = LexiconEntry.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        return summary["count"], summary["latest"]

    def get(self):
        now = time.monotonic()
        matcher = self._matcher
        if matcher is not None and now - self._checked_at < VERSION_CHECK_SECONDS:
            return matcher
        version = self._database_version()
        with self._lock:
            if self._matcher is not None and version == self._version:
                self._checked_at = now
                return self._matcher
        matcher = build_matcher()
        with self._lock:
            self._matcher, self._version, self._checked_at = matcher, version, now
        return matcher


def build_matcher(queryset=None):
    from .models import LexiconEntry

    rows = (queryset if queryset is not None else LexiconEntry.objects.filter(active=True)).values_list(
        "term", "category", "severity", "suggestion", "whitelist", "context_rules"
    )
    return LexiconMatcher(rows.iterator(chunk_size=2000))


matcher_cache = _MatcherCache()
