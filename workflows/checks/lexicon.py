"""Lexicon detector: sensitive words, advertising terms and wording rules (workflows.lexicon)."""

from workflows.lexicon.matcher import matcher_cache

from .findings import _finding


def _suggestion(hit):
    if not hit.note:
        return hit.entry.suggestion
    return f"{hit.note} {hit.entry.suggestion}".strip()


def _lexicon_findings(text):
    return [
        _finding(text, hit.entry.category, hit.entry.term, hit.start, hit.end, hit.severity, _suggestion(hit))
        for hit in matcher_cache.get().find(text)
    ]


def invalidate_lexicon_cache():
    """Forget this process's automaton (saves do this through signals; tests after rollbacks)."""
    matcher_cache.invalidate()
