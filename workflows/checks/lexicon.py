"""Lexicon detector: sensitive words, advertising terms and wording rules (workflows.lexicon)."""

from workflows.lexicon.matcher import matcher_cache

from .findings import _finding


def _lexicon_findings(text):
    return [
        _finding(text, hit.entry.category, hit.entry.term, hit.start, hit.end, hit.entry.severity, hit.entry.suggestion)
        for hit in matcher_cache.get().find(text)
    ]


def invalidate_lexicon_cache():
    """Forget this process's automaton (saves do this through signals; tests after rollbacks)."""
    matcher_cache.invalidate()
