"""民意分析: what the public writes about, by letter type, unit and month, with each month's keywords and
the topics rising against the previous three months.

Keywords are jieba words of subjects and contents weighted by TF-IDF, the IDF built from the letters
analysed (a word every letter uses says little). Nothing personal reaches a keyword: ID numbers,
mobiles, bank cards and e-mail addresses are cut out of the text first (the detector of the
de-identification in workflows.checks), the writer's own name is removed, words jieba tags as personal
names are dropped, and only Chinese words of two or more characters are kept (no digits). Letters
refused as duplicates or abuse, and letters still held for screening, are left out.
"""

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.charts import bar_chart, line_chart
from cms.organisation.models import Unit
from workflows.checks.personal_data import personal_data_spans

from .. import segmentation
from ..models.base import add_months
from ..models.letters import LetterType, MessageBoardPage, RefusalReason
from .statistics import (
    letters_between,
    month_label,
    month_start,
    months_between,
    statistics_unit_id,
    workbook_bytes,
)

STOP_WORDS_FILE = Path(__file__).with_name("data") / "stop_words.txt"
TOP_KEYWORDS = 10
BASELINE_MONTHS = 3
# A rising topic is in at least this many letters of the month, and its share of the month's letters is
# at least RISE_FACTOR times its mean share over the previous months (those with letters) and RISE_MARGIN
# above it.
RISE_MIN_LETTERS = 2
RISE_FACTOR = 2
RISE_MARGIN = 0.1
TOP_RISING = 5
# Nouns, verbal nouns, verbs, idioms, abbreviations, and words the portal added (tagged x); not names (nr…).
KEPT_TAGS = frozenset({"n", "ns", "nt", "nz", "nw", "ng", "vn", "v", "an", "l", "i", "j", "x"})
EXCLUDED_REFUSALS = (RefusalReason.DUPLICATE, RefusalReason.ABUSIVE)


@lru_cache(maxsize=1)
def stop_words():
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def without_personal_data(text, writer_name=""):
    """`text` with personal data detected by the de-identification check and the writer's name blanked."""
    pieces, previous = [], 0
    for _kind, start, end in personal_data_spans(text):
        pieces.append(text[previous:start])
        pieces.append(" ")
        previous = end
    pieces.append(text[previous:])
    text = "".join(pieces)
    name = (writer_name or "").strip()
    return text.replace(name, " ") if len(name) >= 2 else text


def keywords_of(text, writer_name=""):
    """The letter's candidate keywords, with repetitions, in order."""
    import jieba.posseg  # loading its tagging model takes most of a second: only when letters are analysed

    stopped = stop_words()
    segmentation.tokenizer()  # the portal's own words (安岳县, 乡村振兴 …) in the dictionary posseg shares
    return [
        pair.word
        for pair in jieba.posseg.cut(without_personal_data(text, writer_name))
        if pair.flag in KEPT_TAGS
        and len(pair.word) >= 2
        and segmentation.CJK_RUN.fullmatch(pair.word)
        and pair.word not in stopped
    ]


@dataclass
class Keyword:
    word: str
    weight: float
    letters: int


@dataclass
class RisingTopic:
    word: str
    letters: int
    share: float  # of the month's letters, percent
    baseline: float  # mean share over the previous months, percent


@dataclass
class MonthAnalysis:
    month: object
    letters: int
    keywords: list
    rising: list


@dataclass
class Analysis:
    months: list
    by_type: list  # (label, count)
    by_unit: list  # (unit name, count)
    by_month_type: dict  # type label -> [(month label, count)]
    month_analyses: list
    total: int


def _analysed_letters(first, last, unit_ids):
    letters = (
        letters_between(first, last)
        .filter(held_for_screening=False)
        .exclude(refusal_reason__in=EXCLUDED_REFUSALS)
        .only("id", "board_id", "handling_unit_id", "submitted_at", "letter_type", "subject", "content", "name")
    )
    default_units = dict(
        MessageBoardPage.objects.filter(pk__in={m.board_id for m in letters}).values_list("pk", "default_unit_id")
    )
    chosen = []
    for message in letters:
        message.unit_id = statistics_unit_id(message, default_units)
        if unit_ids is None or message.unit_id in unit_ids:
            message.month = month_start(timezone.localdate(message.submitted_at))
            chosen.append(message)
    return chosen


def analyse(first, last, *, unit_ids=None):
    months = months_between(first, last)
    baseline_start = add_months(month_start(first), -BASELINE_MONTHS)
    letters = _analysed_letters(baseline_start, last, unit_ids)
    words = {m.pk: keywords_of(f"{m.subject}\n{m.content}", m.name) for m in letters}
    document_frequency = Counter(word for found in words.values() for word in set(found))
    idf = {word: math.log((1 + len(letters)) / (1 + df)) + 1 for word, df in document_frequency.items()}

    per_month = {}
    for message in letters:
        per_month.setdefault(message.month, []).append(message)
    month_analyses = []
    for month in months:
        chosen = per_month.get(month, [])
        previous = [per_month.get(add_months(month, -n), []) for n in range(1, BASELINE_MONTHS + 1)]
        month_analyses.append(
            MonthAnalysis(
                month=month,
                letters=len(chosen),
                keywords=_keywords(chosen, words, idf),
                rising=_rising(chosen, previous, words),
            )
        )

    in_range = [m for m in letters if m.month >= month_start(first)]
    type_labels = dict(LetterType.choices)
    types = Counter(m.letter_type for m in in_range)
    units = Counter(m.unit_id for m in in_range)
    names = Unit.objects.in_bulk(units)
    month_types = Counter((m.letter_type, m.month) for m in in_range)
    return Analysis(
        months=months,
        by_type=[(str(label), types[code]) for code, label in type_labels.items() if types[code]],
        by_unit=sorted(((names[pk].name, count) for pk, count in units.items()), key=lambda r: (-r[1], r[0])),
        by_month_type={
            str(label): [(month_label(month), month_types[code, month]) for month in months]
            for code, label in type_labels.items()
            if types[code]
        },
        month_analyses=month_analyses,
        total=len(in_range),
    )


def _keywords(letters, words, idf):
    """The month's top words by summed term frequency (per letter) times IDF."""
    weights, counts = Counter(), Counter()
    for message in letters:
        found = words[message.pk]
        for word, n in Counter(found).items():
            weights[word] += n / len(found) * idf[word]
            counts[word] += 1
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TOP_KEYWORDS]
    return [Keyword(word=word, weight=round(weight, 3), letters=counts[word]) for word, weight in ranked]


def _letter_shares(letters, words):
    counts = Counter(word for message in letters for word in set(words[message.pk]))
    return counts, {word: n / len(letters) for word, n in counts.items()} if letters else {}


def _rising(letters, previous_months, words):
    # A month without letters has no share to compare with; with none at all (a board's first month)
    # every word would look "rising", so nothing is reported.
    previous_shares = [_letter_shares(month, words)[1] for month in previous_months if month]
    if not previous_shares:
        return []
    counts, shares = _letter_shares(letters, words)
    rising = []
    for word, share in shares.items():
        baseline = sum(month.get(word, 0) for month in previous_shares) / len(previous_shares)
        if counts[word] >= RISE_MIN_LETTERS and share >= RISE_FACTOR * baseline and share - baseline >= RISE_MARGIN:
            rising.append(
                RisingTopic(
                    word=word, letters=counts[word], share=round(100 * share, 1), baseline=round(100 * baseline, 1)
                )
            )
    rising.sort(key=lambda topic: (-(topic.share - topic.baseline), -topic.letters, topic.word))
    return rising[:TOP_RISING]


def charts(result):
    latest = next((month for month in reversed(result.month_analyses) if month.keywords), None)
    return {
        "type_chart": bar_chart(_("按留言类型"), result.by_type, value_label=_("件数")),
        "unit_chart": bar_chart(_("按办理单位"), result.by_unit, value_label=_("件数")),
        "month_chart": line_chart(_("每月各类型留言"), result.by_month_type, value_label=_("件数")),
        "keyword_chart": bar_chart(
            _("%(month)s 热词（涉及留言件数）") % {"month": month_label(latest.month)},
            [(keyword.word, keyword.letters) for keyword in latest.keywords],
            value_label=_("件数"),
        )
        if latest
        else None,
    }


def write_xlsx(result, title):
    """Worksheets by type, by unit, by month and type, keywords and rising topics; returns the bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    types = workbook.active
    types.title = _("按类型")
    _table(types, title, [_("留言类型"), _("件数")], result.by_type)
    _table(workbook.create_sheet(_("按单位")), title, [_("办理单位"), _("件数")], result.by_unit)
    labels = list(result.by_month_type)
    _table(
        workbook.create_sheet(_("按月份")),
        title,
        [_("月份"), *labels],
        [
            [month_label(month), *(dict(result.by_month_type[label])[month_label(month)] for label in labels)]
            for month in result.months
        ],
    )
    _table(
        workbook.create_sheet(_("热词")),
        title,
        [_("月份"), _("排名"), _("关键词"), _("权重"), _("涉及留言件数")],
        [
            [month_label(month.month), rank, keyword.word, keyword.weight, keyword.letters]
            for month in result.month_analyses
            for rank, keyword in enumerate(month.keywords, 1)
        ],
    )
    _table(
        workbook.create_sheet(_("上升话题")),
        title,
        [_("月份"), _("关键词"), _("涉及留言件数"), _("本月占比（%）"), _("前三个月平均占比（%）")],
        [
            [month_label(month.month), topic.word, topic.letters, topic.share, topic.baseline]
            for month in result.month_analyses
            for topic in month.rising
        ],
    )
    return workbook_bytes(workbook)


def _table(sheet, title, headings, rows):
    sheet.append([title])
    sheet.append(headings)
    for row in rows:
        sheet.append(list(row))
