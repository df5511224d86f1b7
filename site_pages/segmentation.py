"""Chinese word segmentation for search (jieba).

Database full-text backends treat a run of Chinese characters as one token, so both the
indexed text and the query are segmented into words separated by spaces.
"""

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

# Local and domain terms jieba's dictionary lacks; otherwise 安岳 splits into 安 / 岳.
_EXTRA_WORDS = ("安岳", "安岳县", "三审三校", "政务新媒体", "信息公开", "依申请公开", "乡村振兴", "柠檬")
for _word in _EXTRA_WORDS:
    jieba.add_word(_word)

# A token worth indexing contains at least one letter, digit or CJK character.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")


def _tokens(text):
    return [t.strip().lower() for t in jieba.cut_for_search(text or "") if _WORDLIKE.search(t)]


@lru_cache(maxsize=512)
def segment_for_index(text):
    """Words and their sub-words, space separated, as stored in the search index.

    Cached: one save indexes the same text several times (one call per index field).
    """
    return " ".join(_tokens(text))


def _composable(token, parts):
    """True if `token` can be written as a concatenation of strings in `parts`."""
    reachable = [True] + [False] * len(token)
    for i in range(len(token)):
        if reachable[i]:
            for part in parts:
                if token.startswith(part, i):
                    reachable[i + len(part)] = True
    return reachable[-1]


@lru_cache(maxsize=2048)
def segment_query(text):
    """Query words, dropping any word that its own sub-words already cover.

    jieba adds sub-words only for words it cuts as a whole, so a compound such as 信息公开
    may not be indexed as one token inside a longer phrase; its parts 信息 and 公开 always are.
    """
    tokens = list(dict.fromkeys(_tokens(text)))
    kept = []
    for token in tokens:
        smaller = [t for t in tokens if t != token and len(t) < len(token)]
        if len(token) > 2 and smaller and _composable(token, smaller):
            continue
        kept.append(token)
    return " ".join(kept)
