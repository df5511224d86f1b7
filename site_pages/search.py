"""Public site search: filters, ranking, highlighting and suggestions around the configured search backend.

The backend finds the pages holding every character pair and token of the query (see segmentation);
ranking then puts an exact 文号/索引号 first, then titles that contain the query as typed, then titles
that contain all its words, each of these by recency, then body and attachment matches by the backend's
word score and then by recency. Single Chinese characters are not indexed alone, so a one-character query is
matched against titles directly.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.apps import apps
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.organisation.models import Unit

from . import search_recent
from .keyset import of_types
from .models.content import normalise_document_number
from .segmentation import WORD_RUN, normalise, query_terms, query_words

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 100
# Results ranked per query; a query matching more pages than this asks for a narrower query or a filter.
MAX_RESULTS = 500
SNIPPET_CHARS = 120

# `type` parameter -> (label, model); columns and other structure pages are never results.
RESULT_TYPES = {
    "news": (_("新闻"), "site_pages.ArticlePage"),
    "notice": (_("通知公告"), "site_pages.NoticePage"),
    "policy": (_("政策文件"), "site_pages.PolicyDocumentPage"),
    "interpretation": (_("政策解读"), "site_pages.InterpretationPage"),
    "service": (_("办事指南"), "site_pages.ServiceGuidePage"),
    "disclosure": (_("公开信息"), "disclosure.DisclosureItem"),
}
SORTS = {"relevance": _("按相关度"), "date": _("按日期")}


def result_models(type_code=None):
    """{code: model} of the result types, or only the chosen one; an app that is not installed is skipped."""
    found = {}
    for code, (_label, label) in RESULT_TYPES.items():
        if type_code and code != type_code:
            continue
        try:
            found[code] = apps.get_model(label)
        except LookupError:
            continue
    return found


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    type = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型"))] + [(k, v[0]) for k, v in RESULT_TYPES.items()]
    )
    unit = forms.ModelChoiceField(
        label=_("发布单位"), required=False, queryset=Unit.objects.active().order_by("name"), empty_label=_("全部单位")
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so the date fields are added by name.
        self.fields["from"] = forms.DateField(label=_("起始日期"), required=False)
        self.fields["to"] = forms.DateField(label=_("截止日期"), required=False)
        for name in ("type", "unit", "sort", "from", "to"):
            self.fields[name].error_messages.update(
                {"invalid": _("格式不正确，已忽略该条件。"), "invalid_choice": _("选项不存在，已忽略该条件。")}
            )

    def clean_q(self):
        # Long queries are cut rather than refused: a pasted paragraph still finds its page.
        return " ".join(self.cleaned_data["q"].replace("\x00", "").split())[:MAX_QUERY_LENGTH]

    def value(self, name):
        """The cleaned value, or None when the field was empty or invalid (an invalid filter is dropped)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None


@dataclass
class Hit:
    page: Page
    type_label: str = ""
    column: Page | None = None
    unit: Unit | None = None
    date: datetime.date | None = None
    title_html: str = ""
    snippet_html: str = ""
    found_in_attachment: bool = False


@dataclass
class Outcome:
    query: str
    ids: list = field(default_factory=list)
    truncated: bool = False


def _local_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_pages(form, newest_first=False):
    """Live public pages of the result types, narrowed by type, unit and date range.

    `newest_first` for a listing read in date order: the types are then written so that the database walks the
    date index and stops at the cap (site_pages.keyset.of_types), not by the content-type index, which spans
    most of the site's pages and gave every row of those types to sort.
    """
    models = result_models(form.value("type"))
    pages = Page.objects.live().public()
    pages = of_types(pages, *models.values()) if newest_first else pages.type(*models.values())
    unit = form.value("unit")
    if unit is not None:
        owned = Q()
        for model in models.values():
            owned |= Q(pk__in=model.objects.filter(owning_unit=unit).values("pk"))
        pages = pages.filter(owned)
    if form.value("from"):
        pages = pages.filter(first_published_at__gte=_local_start(form.value("from")))
    if form.value("to"):
        pages = pages.filter(first_published_at__lt=_local_start(form.value("to") + datetime.timedelta(days=1)))
    return pages


# A 文号 typed without brackets: 安府发2024 3号 -> 安府发〔2024〕3号.
_BARE_DOCUMENT_NUMBER = re.compile(r"^(\D+?)\s*(\d{4})\s+(\d+)\s*号$")


def exact_number_ids(query, pages):
    """Pages whose 文号 or 索引号 is the query, whatever brackets (or none) the year was typed in."""
    number = _BARE_DOCUMENT_NUMBER.sub(r"\1〔\2〕\3号", normalise_document_number(query))
    ids = set()
    for code, field_names in (
        ("policy", ("document_number", "catalogue_entry__index_number")),
        ("disclosure", ("document_number", "index_number")),
    ):
        model = result_models(code).get(code)
        if model is None:
            continue
        condition = Q()
        for name in field_names:
            condition |= Q(**{name: number})
        ids.update(model.objects.filter(condition).values_list("pk", flat=True))
    return set(pages.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def query_runs(query):
    """What the query asks for as typed: its runs of characters between spaces and punctuation."""
    return WORD_RUN.findall(normalise(query))


BODY_GROUP = 3


def _title_group(title, runs, words):
    title = normalise(title)
    if runs and all(run in title for run in runs):
        return 1
    if words and all(word in title for word in words):
        return 2
    return BODY_GROUP


def _score_bucket(score, higher_is_better):
    """Scores rounded to two significant digits, so that near-equal scores fall back to recency."""
    score = float(score or 0) * (1 if higher_is_better else -1)
    return float(f"{score:.2g}")


@dataclass(slots=True)
class Found:
    """What ranking reads of a matching page: building a thousand page instances cost more than the search.

    `published` is the page's first publication in seconds since the epoch, 0 when it has none: PostgreSQL reads
    it so, as parsing 500 timestamps into datetimes cost more than sorting them."""

    pk: int
    title: str
    published: float
    score: float | None = None

    @classmethod
    def of(cls, pk, title, first_published_at, score=None):
        return cls(pk, title, search_recent.seconds(first_published_at), score)


def _ranked_candidates(query, pages, title_rank, by_date):
    """The pages to rank, in the backend's order of score: the newest matches (site_pages.search_recent), scored
    where `title_rank(title)` is None, or the best MAX_RESULTS + 1 by the backend's score where an engine ranks."""
    recent = search_recent.candidates(query, pages, MAX_RESULTS + 1, title_rank, titles_first=not by_date)
    if recent is not None:
        return [Found(*row) for row in recent]
    results = pages.only("id", "title", "first_published_at").search(query).annotate_score("_score")
    return [Found.of(page.pk, page.title, page.first_published_at, page._score) for page in results[: MAX_RESULTS + 1]]


def run_search(form):
    query = form.value("q") or ""
    outcome = Outcome(query=query)
    if not query:
        return outcome
    runs = query_runs(query)
    terms = query_terms(query)
    if not terms:
        return outcome
    if all(len(term) == 1 for term in terms):
        # Single characters are not indexed alone: match them in titles, newest first (undated pages last, as
        # SQLite always put them; on PostgreSQL only the index of site_pages 0014 gives that order).
        pages = filtered_pages(form, newest_first=True)
        for term in terms:
            pages = pages.filter(title__contains=term)
        newest = (F("first_published_at").desc(nulls_last=True), "-pk")
        ids = list(pages.order_by(*newest).values_list("pk", flat=True)[: MAX_RESULTS + 1])
        outcome.ids, outcome.truncated = ids[:MAX_RESULTS], len(ids) > MAX_RESULTS
        return outcome
    pages = filtered_pages(form)
    exact = exact_number_ids(query, pages)
    words = [w for w in query_words(query) if len(w) >= 2]
    title_group = cache(lambda title: _title_group(title, runs, words))
    by_date = form.value("sort") == "date"

    def title_rank(title):
        # By date, every page ranks as a title match does: by recency alone.
        group = 1 if by_date else title_group(title)
        return None if group == BODY_GROUP else group - 1

    found = _ranked_candidates(query, pages, title_rank, by_date)
    outcome.truncated = len(found) > MAX_RESULTS
    missing = exact - {page.pk for page in found}
    if missing:
        rows = Page.objects.filter(pk__in=missing).values_list("pk", "title", "first_published_at")
        found += [Found.of(*row) for row in rows]
    if by_date:
        found.sort(key=lambda page: (-page.published, -page.pk))
    else:
        scored = [page for page in found if page.score is not None]
        # Backends differ in the sign of their score (SQLite's bm25 is better when lower); the order they
        # returned tells which way it runs.
        higher_is_better = not scored or scored[0].score >= scored[-1].score

        def rank(page):
            group = 0 if page.pk in exact else title_group(page.title)
            # The database backends weigh a title by the average title length when it was indexed, so equal
            # titles indexed at different times score differently: titles holding the query go by recency.
            score = _score_bucket(page.score, higher_is_better) if group == BODY_GROUP else 0
            return (group, -score, -page.published, -page.pk)

        found.sort(key=rank)
    outcome.ids = [page.pk for page in found][:MAX_RESULTS]
    return outcome


def paginate(ids, number):
    paginator = Paginator(ids, PAGE_SIZE)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def highlighter(query):
    """A function marking the query's runs and words in a text (escaped), or None for an empty query."""
    parts = sorted(set(query_runs(query)) | set(query_words(query)), key=len, reverse=True)
    if not parts:
        return None
    pattern = re.compile("|".join(re.escape(part) for part in parts), re.IGNORECASE)

    def mark(text):
        out, last = [], 0
        for match in pattern.finditer(text):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
        out.append(escape(text[last:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above

    mark.pattern = pattern
    return mark


def _excerpt(text, pattern):
    text = " ".join((text or "").split())
    match = pattern.search(text) if pattern else None
    if match is None:
        return None
    start = max(0, match.start() - SNIPPET_CHARS // 3)
    excerpt = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + excerpt + ("…" if start + SNIPPET_CHARS < len(text) else "")


def shown_texts(page):
    """The texts the public page shows, in the order a snippet prefers them."""
    texts = [getattr(page, "summary", "")]
    if getattr(page, "shows_content", True):
        texts.append(getattr(page, "body_text", ""))
    return [t for t in texts if t]


def build_hits(page_ids, query):
    """Result rows of one page of results, with the column, unit, type and highlighted text."""
    specific = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
    pages = [specific[pk] for pk in page_ids if pk in specific]
    parent_paths = {page.path[: -Page.steplen] for page in pages}
    columns = {p.path: p for p in Page.objects.filter(path__in=parent_paths)}
    units = Unit.objects.in_bulk({getattr(p, "owning_unit_id", None) for p in pages} - {None})
    mark = highlighter(query)
    pattern = getattr(mark, "pattern", None)
    hits = []
    for page in pages:
        hit = Hit(
            page=page,
            type_label=str(page._meta.verbose_name),
            column=columns.get(page.path[: -Page.steplen]),
            unit=units.get(getattr(page, "owning_unit_id", None)),
            date=timezone.localtime(page.first_published_at).date() if page.first_published_at else None,
            title_html=mark(page.title) if mark else escape(page.title),
        )
        texts = shown_texts(page)
        excerpt = next((e for e in (_excerpt(t, pattern) for t in texts) if e), None)
        if excerpt is None:
            excerpt = next((e for e in (_excerpt(t, pattern) for t in page.attachment_texts()) if e), None)
            hit.found_in_attachment = excerpt is not None
        if excerpt is None and texts:
            excerpt = " ".join(texts[0].split())[:SNIPPET_CHARS]
        hit.snippet_html = mark(excerpt) if mark and excerpt else escape(excerpt or "")
        hits.append(hit)
    return hits


def filter_query_string(form, **overrides):
    """The current parameters (without the page number) as a query string, for links."""
    params = {}
    for name in ("q", "type", "unit", "from", "to", "sort"):
        raw = form.data.get(name, "")
        if name in overrides:
            raw = overrides[name]
        if raw and form.value(name) is not None:
            params[name] = raw
    return urlencode(params)


def has_filters(form):
    return any(form.value(name) is not None for name in ("type", "unit", "from", "to"))


def suggestions(form, popular=()):
    """What a zero-result page offers to try: without filters, each word alone, queries others found."""
    query = form.value("q") or ""
    offers = []
    if has_filters(form):
        offers.append((_("在全部类型、单位和日期中搜索"), urlencode({"q": query}), query))
    words = query_words(query)
    if len(words) > 1:
        offers.extend((_("只搜索"), urlencode({"q": word}), word) for word in words)
    offers.extend((_("热门搜索"), urlencode({"q": text}), text) for text in popular if text != normalise(query))
    return offers
