"""Chinese text as search tokens: jieba words plus overlapping character pairs (bigrams).

Database full-text backends treat a run of Chinese characters as one token, so the indexed text is
stored as space-separated tokens: jieba's words (for ranking by words) and every pair of adjacent
Chinese characters, the way the CJK analysers of search engines index. Letters and digits take part in
pairs too (2024年 gives 20 02 24 4年), so a query cut across a number or a word still matches. A query
becomes the pairs of its runs, all of which must match: any run of two or more characters that appears
in the indexed text then finds it, however jieba would have cut the query.
"""

import gc
import logging
import os
import re
import threading
import unicodedata
from contextlib import suppress
from functools import cache, lru_cache

# Local and domain terms jieba's dictionary lacks; otherwise 安岳 splits into 安 / 岳.
_EXTRA_WORDS = ("安岳", "安岳县", "三审三校", "政务新媒体", "信息公开", "依申请公开", "乡村振兴", "柠檬")


@cache
def tokenizer():
    """jieba's default tokenizer with the portal's own words, built on first use.

    Importing jieba and building its dictionary take about a second; at import they delayed every process's
    start-up and every page view that never segments text (nearly all of them)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in _EXTRA_WORDS:
        jieba.add_word(word)
    return jieba.dt


def build_in_background():
    """Builds the tokenizer in a thread once this process has sent its first answer.

    Started at the fork, the thread shared the interpreter lock with the first request (measured: about 0.3 s more
    CPU before gunicorn's first 200, docs/deployment.md, "Cold start"). A request that needs it earlier builds it;
    one that needs it during the build waits for it (jieba initialises under its own lock)."""
    from django.core.signals import request_finished

    def start(**_kwargs):
        # disconnect() is True for one caller only, however many threads finish a request at once.
        if request_finished.disconnect(start):
            threading.Thread(target=tokenizer, name="jieba-dictionary", daemon=True).start()

    request_finished.connect(start, weak=False)


def build_around_forks():
    """For a pre-forking server that imported the application before forking (gunicorn --preload).

    Each forked worker builds the tokenizer in the background once it has answered, so the first answer after a
    start neither waits for it nor shares the interpreter with it; the server's own process builds it once, right
    after its first fork, so that the workers it forks later (--max-requests replaces each worker every few thousand
    requests) start with it instead of each paying a second of CPU."""
    os.register_at_fork(
        before=_finish_master_build, after_in_parent=_build_in_master, after_in_child=build_in_background
    )


_master_build = []


def _build_in_master():
    if not _master_build:
        # At the lowest priority: the first worker's first answer, and the database serving it, go first on a busy
        # machine (measured: 40 ms sooner to the first 200 on 2 cores, docs/deployment.md, "Cold start").
        _master_build.append(threading.Thread(target=_build_niced, name="jieba-dictionary", daemon=True))
        _master_build[0].start()


def _build_niced():
    # Linux gives each thread its own nice value; this thread ends with the build, the master keeps its own.
    # Elsewhere the call fails and the build runs at the master's priority.
    with suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    tokenizer()
    # Kept out of the garbage collector's walks like the rest of the master (cms/wsgi.py, gc.freeze).
    gc.freeze()


def _finish_master_build():
    # A process forked in mid-build would inherit jieba's lock held by a thread it does not have.
    if _master_build:
        _master_build[0].join()


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
# A run of characters that search matches: anything but spaces and punctuation.
WORD_RUN = re.compile(f"[{_CJK}0-9a-z]+")
ALNUM = re.compile(r"[0-9a-z]+")


def normalise(text):
    """Full-width letters and digits as ASCII, lower case: 2024 and ２０２４ are one token."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=512)
def segment_for_index(text):
    """jieba's Chinese words, then every character pair, then whole Latin and digit words, space separated.

    Cached: one save indexes the same text several times (one call per index field).
    """
    text = normalise(text)
    words = [w for w in tokenizer().cut_for_search(text) if CJK_RUN.fullmatch(w)]
    pairs = [pair for run in WORD_RUN.findall(text) for pair in _bigrams(run)]
    return " ".join(words + pairs + ALNUM.findall(text))


def query_terms(text):
    """The tokens a query must all match: the character pairs of its runs.

    A one-character run (the 号 of "3 号") has no pair and is dropped when pairs remain; a query of
    one-character runs only keeps them, and the site search matches those against titles.
    """
    runs = WORD_RUN.findall(normalise(text))
    terms = [pair for run in runs for pair in _bigrams(run)] or runs
    return list(dict.fromkeys(terms))


@lru_cache(maxsize=2048)
def segment_query(text):
    return " ".join(query_terms(text))


def query_words(text):
    """jieba's words of two or more characters in a query: what a zero-result page suggests trying alone."""
    text = normalise(text)
    words = (w for w in tokenizer().cut(text) if len(w) >= 2 and (CJK_RUN.fullmatch(w) or ALNUM.fullmatch(w)))
    return list(dict.fromkeys(words))
