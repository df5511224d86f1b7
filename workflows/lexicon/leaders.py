"""严重表述错误 about leaders: names, titles and protocol order checked against the 领导职务名录.

``leader_findings(text, on_date)`` returns findings as dicts with exactly the keys of
``workflows.checks.Finding`` (category "expression"), offsets into `text`. Rules:

- a registered name next to a registered title they do not hold on `on_date` (王明副县长 or 副县长王明, each
  title of a list before the name: 县委副书记、县长王明, and each title in brackets after it: 王明（副县长）): block;
- the same with a title they held before `on_date` and no longer hold: block (former title used as current),
  unless the title is marked as past (原县长王明, 时任县长王明);
- a title with a registered holder next to a name differing from the holder's by one character: block;
- registered leaders of one list (names separated only by short runs without sentence breaks) out of
  their protocol order (rank): warn.

A registered title inside a longer unregistered one claims nothing about it: 县长 in 副县长 or 代县长 (when only
县长 is registered) and in 县长助理.

Text is matched on its 1:1 fold (fold_literal: full-width and traditional characters, so 鄭浩然縣長 is read
as 郑浩然县长 and offsets stay), and a name is also found with spaces between its characters (王　明: name
lists pad two-character names to the width of three-character ones).

Names and titles are found with one ahocorasick-rs automaton (as the lexicon matcher), built once per
process from all rows and rebuilt when the register changes; the date is applied in Python, so a call
costs at most one aggregate query (none within a few seconds of the last check).
"""

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext

from .matcher import VERSION_CHECK_SECONDS
from .normalise import fold_literal

CATEGORY = "expression"
BLOCK, WARN = "block", "warn"
CONTEXT_WIDTH = 20
# Characters allowed between a name and its title: 王明 县长, 王明·县长.
_GAP_CHARS = " \t\u3000·•"
_GAP = re.compile(f"[{_GAP_CHARS}]{{0,2}}")
_SPACES = " \t\u3000"
# Name lists pad two-character names to the width of three (王　明): a name is also found so spaced.
_NAME_PADDING = (" ", "\u3000", "  ", "\u3000\u3000")
# A title in brackets after a name (郑浩然（副县长）), as attendance lists write it; 、 separates several.
_OPENING_BRACKETS = "（("
_CLOSING_BRACKETS = "）)"
# Before or after a registered title, these make it another title: 副县长 and 代县长 when only 县长 is
# registered, 县长助理.
_TITLE_PREFIXES = ("副", "代")
_TITLE_SUFFIXES = ("助理", "秘书")
# Before a title (or the first of a list of titles), these say it was held in the past.
_PAST_MARKERS = ("原", "时任", "曾任", "前任")
# What ends a list of leaders: a sentence break, or too long a run between two names.
_LIST_BREAK = re.compile(r"[。！？；;!?\n]")
LIST_GAP_MAX = 12
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    title: str
    rank: int
    valid_from: object
    valid_to: object

    def holds_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class LeaderRegister:
    """The register's rows indexed by name and title, with an automaton over both."""

    def __init__(self, rows):
        """`rows`: (name, title, rank, valid_from, valid_to). Names and titles are kept folded as the
        scanned text is (fold_literal: width and traditional characters), so 鄭浩然縣長 meets 郑浩然县长."""
        import ahocorasick_rs  # on the first build, not at start-up (docs/deployment.md, cold start)

        self.by_name = defaultdict(list)
        self.by_title = defaultdict(list)
        for name, title, *rest in rows:
            row = _Row(fold_literal(name), fold_literal(title), *rest)
            self.by_name[row.name].append(row)
            self.by_title[row.title].append(row)
        # Each pattern with the name it spells (padded forms included) or None for a title only.
        spelled = {}
        for name in self.by_name:
            spelled[name] = name
            for padding in _NAME_PADDING:
                spelled.setdefault(padding.join(name), name)
        for title in self.by_title:
            spelled.setdefault(title, None)
        self.patterns = list(spelled)
        self._names = list(spelled.values())
        self._automaton = ahocorasick_rs.AhoCorasick(self.patterns) if self.patterns else None

    def matches(self, text):
        """(names, titles): lists of (name or title, start, end) in folded `text`, overlapping matches included."""
        names, titles = [], []
        if self._automaton is None:
            return names, titles
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            pattern, name = self.patterns[index], self._names[index]
            if name is not None:
                names.append((name, start, end))
            if pattern in self.by_title:
                titles.append((pattern, start, end))
        return _outermost(names), _outermost(titles)

    def current_titles(self, name, day):
        return [row.title for row in sorted(self.by_name[name], key=lambda r: r.rank) if row.holds_on(day)]

    def holders(self, title, day):
        return [row.name for row in self.by_title[title] if row.holds_on(day)]

    def rank(self, name, day):
        ranks = [row.rank for row in self.by_name[name] if row.holds_on(day)]
        return min(ranks) if ranks else None


def _outermost(spans):
    """Drop spans inside a longer one: the 县长 in 副县长, the 王明 in 王明亮."""
    spans.sort(key=lambda item: (item[1], -item[2]))
    kept, reach = [], -1
    for span in spans:
        if span[2] <= reach:
            continue
        kept.append(span)
        reach = span[2]
    return kept


def _finding(text, start, end, severity, suggestion, kind):
    before = text[max(0, start - CONTEXT_WIDTH) : start].replace("\n", " ")
    after = text[end : end + CONTEXT_WIDTH].replace("\n", " ")
    if start > CONTEXT_WIDTH:
        before = "…" + before
    if end + CONTEXT_WIDTH < len(text):
        after += "…"
    return {
        "category": CATEGORY,
        "term": text[start:end],
        "start": start,
        "end": end,
        "severity": severity,
        "suggestion": str(suggestion),
        "field": "",
        "field_label": "",
        "matched": text[start:end],
        "kind": kind,
        "context_before": before,
        "context_after": after,
        "source": "",
    }


def _claimed_titles(text, titles):
    """The title matches that stand for the registered title, not for a longer one containing it."""
    return [
        (title, start, end)
        for title, start, end in titles
        if not text.endswith(_TITLE_PREFIXES, 0, start) and not text.startswith(_TITLE_SUFFIXES, end)
    ]


def _gap_before(text, index):
    """Where the gap characters (at most two) ending at `index` start."""
    start = index
    while start > 0 and index - start < 2 and text[start - 1] in _GAP_CHARS:
        start -= 1
    return start


def _list_separator_before(text, index):
    """Where a 、 (with spaces around it) ending at `index` starts, or None."""
    position = index
    while position > 0 and text[position - 1] in _SPACES:
        position -= 1
    if position == 0 or text[position - 1] != "、":
        return None
    position -= 1
    while position > 0 and text[position - 1] in _SPACES:
        position -= 1
    return position


def _pairs(text, names, titles):
    """(name, title, span start, span end, marked as past) for each title of a list of titles before a name
    (县长王明, 县委副书记、县长王明), and for each name directly before a title not so taken (王明县长). In
    县委书记李明 县长王明 the 县长 is 王明's, not 李明's; in 李明 县长 王明 (spaces on both sides) it is nobody's."""
    by_start = {start: (title, start, end) for title, start, end in titles}
    by_end = {end: (title, start, end) for title, start, end in titles}
    name_starts = {start for _name, start, _end in names}
    name_ends = {end for _name, _start, end in names}
    pairs, taken = [], set()
    for name, start, end in names:
        chain, position = [], _gap_before(text, start)
        if position < start and position in by_end and _gap_before(text, by_end[position][1]) in name_ends:
            position = None
        while position is not None and position in by_end:
            title, title_start, _title_end = by_end[position]
            chain.append((title, title_start))
            position = _list_separator_before(text, title_start)
        if chain:
            past = text.endswith(_PAST_MARKERS, 0, chain[-1][1])
            pairs.extend((name, title, title_start, end, past) for title, title_start in chain)
            taken.update(title_start for _title, title_start in chain)
    for name, start, end in names:
        gap = _GAP.match(text, end).end()
        if gap in by_start and gap not in taken:
            title, _title_start, title_end = by_start[gap]
            if gap > end and _GAP.match(text, title_end).end() in name_starts:
                continue
            pairs.append((name, title, start, title_end, False))
        elif text.startswith(tuple(_OPENING_BRACKETS), gap):
            pairs.extend(_bracketed_titles(text, name, start, gap + 1, by_start))
    return pairs


def _bracketed_titles(text, name, name_start, position, by_start):
    """Pairs for the titles in brackets from `position` (郑浩然（县委副书记、副县长）), when the brackets hold
    registered titles only (not 郑浩然（县长助理）or 周文博（县长讲话））."""
    titles = []
    while True:
        position = _after_spaces(text, position)
        if position not in by_start:
            return []
        title, _start, position = by_start[position]
        titles.append(title)
        position = _after_spaces(text, position)
        if text.startswith(tuple(_CLOSING_BRACKETS), position):
            return [(name, title, name_start, position + 1, False) for title in titles]
        if not text.startswith("、", position):
            return []
        position += 1


def _after_spaces(text, position):
    while text.startswith(tuple(_SPACES), position):
        position += 1
    return position


def _title_findings(text, register, day, pairs):
    found = []
    for name, title, start, end, past in pairs:
        rows = [row for row in register.by_name[name] if row.title == title]
        if any(row.holds_on(day) for row in rows):
            continue
        if past and any(row.valid_from <= day for row in rows):
            continue
        current = register.current_titles(name, day)
        if any(row.valid_to is not None and row.valid_to < day for row in rows):
            message = gettext("“%(title)s”是%(name)s的原任职务，不能作为现任职务使用。") % {
                "title": title,
                "name": name,
            }
            kind = "former_title"
        else:
            message = gettext("%(name)s在该日期不任“%(title)s”。") % {"title": title, "name": name}
            kind = "leader_title"
        if current:
            message += gettext("现任职务：%(titles)s。") % {"titles": "、".join(current)}
        else:
            message += gettext("名录中该日期没有%(name)s的任职，请核实。") % {"name": name}
        found.append(_finding(text, start, end, BLOCK, message, kind))
    return found


def _wildcards(name):
    """`name` with each character in turn replaced by a placeholder: two names of the same length differ
    in exactly one character when they are different and share one of these keys."""
    return [name[:index] + "\0" + name[index + 1 :] for index in range(len(name))]


def _near_miss_index(holders):
    """{name length: {wildcard key: [holders]}} so a candidate is looked up instead of compared with each holder."""
    index = defaultdict(lambda: defaultdict(list))
    for holder in sorted(set(holders)):
        for key in _wildcards(holder):
            index[len(holder)][key].append(holder)
    return index


def _name_findings(text, register, day, names, titles):
    """A title with a registered holder next to a near miss of the holder's name."""
    found, covered, indexes = [], set(), {}
    for _name, start, end in names:
        covered.update(range(start, end))
    for title, start, end in titles:
        if title not in indexes:
            indexes[title] = _near_miss_index(register.holders(title, day))
        gap = _GAP.match(text, end).end()
        for size, by_key in indexes[title].items():
            for candidate_start, candidate_end in ((start - size, start), (gap, gap + size)):
                if candidate_start < 0 or candidate_end > len(text):
                    continue
                if not covered.isdisjoint(range(candidate_start, candidate_end)):
                    continue
                candidate = text[candidate_start:candidate_end]
                if candidate in register.by_name or _HAN.match(candidate) is None:
                    continue
                near = sorted({holder for key in _wildcards(candidate) for holder in by_key.get(key, ())})
                if not near:
                    continue
                span = (candidate_start, end) if candidate_end == start else (start, candidate_end)
                message = gettext("疑似领导姓名错误：“%(candidate)s”，%(title)s为%(holder)s。") % {
                    "candidate": candidate,
                    "title": title,
                    "holder": "、".join(near),
                }
                found.append(_finding(text, *span, BLOCK, message, "leader_name"))
    return found


def _order_findings(text, register, day, names):
    """Warn once per list whose leaders are not in rank order."""
    mentions, rank_of = [], {}
    for name, start, end in sorted(names, key=lambda item: (item[1], -item[2])):
        if name not in rank_of:
            rank_of[name] = register.rank(name, day)
        rank = rank_of[name]
        if rank is None or (mentions and start < mentions[-1][2]):
            continue
        mentions.append((name, start, end, rank))
    found, group = [], []
    for mention in [*mentions, None]:
        if mention is not None and group:
            between = text[group[-1][2] : mention[1]]
            if len(between) <= LIST_GAP_MAX and not _LIST_BREAK.search(between) and mention[0] != group[-1][0]:
                group.append(mention)
                continue
        ranks = [item[3] for item in group]
        if len(group) > 1 and ranks != sorted(ranks):
            ordered = "、".join(item[0] for item in sorted(group, key=lambda item: item[3]))
            message = gettext("领导排序与名录不一致，应为：%(order)s。") % {"order": ordered}
            found.append(_finding(text, group[0][1], group[-1][2], WARN, message, "leader_order"))
        group = [mention] if mention is not None else []
    return found


def leader_findings(text, on_date=None):
    """Findings about leaders in `text` as of `on_date` (today when None), sorted by start."""
    if not text:
        return []
    register = register_cache.get()
    # Matched on the 1:1 fold (offsets unchanged); findings quote the text as written.
    folded = fold_literal(text)
    names, titles = register.matches(folded)
    if not names and not titles:
        return []
    titles = _claimed_titles(folded, titles)
    day = on_date or timezone.localdate()
    pairs = _pairs(folded, names, titles)
    found = _title_findings(folded, register, day, pairs)
    found += _name_findings(folded, register, day, names, titles)
    found += _order_findings(folded, register, day, names)
    found.sort(key=lambda finding: (finding["start"], finding["end"]))
    if folded != text:
        found = [_finding(text, f["start"], f["end"], f["severity"], f["suggestion"], f["kind"]) for f in found]
    return found


def content_date(obj):
    """The date a piece of content speaks for: its 成文日期 when it has one, else the first publication, else today."""
    written = getattr(obj, "written_date", None)
    if written:
        return written
    published = getattr(obj, "first_published_at", None)
    return timezone.localdate(published) if published else timezone.localdate()


class _RegisterCache:
    """One register per process. Saves in this process invalidate it through signals (apps.py); other
    processes' changes are noticed by comparing the rows' count and latest change, at most every few seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._register = None
        self._version = None
        self._checked_at = 0.0

    def invalidate(self, **kwargs):
        with self._lock:
            self._register, self._version, self._checked_at = None, None, 0.0

    def get(self):
        from .models import LeaderTitle

        now = time.monotonic()
        register = self._register
        if register is not None and now - self._checked_at < VERSION_CHECK_SECONDS:
            return register
        summary = LeaderTitle.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        version = (summary["count"], summary["latest"])
        with self._lock:
            if self._register is not None and version == self._version:
                self._checked_at = now
                return self._register
        rows = LeaderTitle.objects.values_list("name", "title", "rank", "valid_from", "valid_to")
        register = LeaderRegister(rows)
        with self._lock:
            self._register, self._version, self._checked_at = register, version, now
        return register


register_cache = _RegisterCache()
