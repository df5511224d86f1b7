"""Keyset pagination of the public listings: any page costs the same at 1,000 entries or at 100,000.

A listing runs newest first by (date, pk), the pk breaking ties. The first page is read from the top of an
index that keeps this order, the last page from its bottom, and a page reached by a link from the edge row
of its neighbour (a cursor in the link, `after` or `before`): the database never skips rows by OFFSET, whose
cost grows with the page number. A page number typed by hand without a cursor is still served, by OFFSET.

A listing may combine several sources (the catalogue lists its items and policy documents): each one's
page is taken by a LIMIT inside an IN subquery, which both databases allow in a UNION where a bare LIMIT is
not, and the union of those few rows is sorted. The total is counted up to BOUNDED_COUNT rows, and a longer
listing's in full; a listing with a count key keeps it (listing_cache) until the next change of pages.
"""

import datetime
from dataclasses import dataclass
from math import ceil

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, F, Q
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import listing_cache

BOUNDED_COUNT = 1000
CURSOR_SEPARATOR = "~"
# Times travel as whole microseconds since the epoch: exact, and nothing in them needs URL escaping.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


def of_types(pages, *models):
    """pages.type(*models), written so that the database does not read it through the content-type index.

    The listed types are most of the site's pages: read by that index and then sorted, a listing grew with the
    site (SQLite chose it). Without it the database walks the date index in the listing's order and stops
    after one page, or narrows by the path index when the listing is a small part of the site.
    """
    subclasses = [model for model in apps.get_models() if issubclass(model, models)]
    ids = [content_type.pk for content_type in ContentType.objects.get_for_models(*subclasses).values()]
    return pages.alias(listed_type=F("content_type_id") + 0).filter(listed_type__in=ids)


def below(page, pages):
    """pages.descendant_of(page) plus the same rows as a range of paths, which an index can read (not LIKE)."""
    last = page.path + "Z" * (page._meta.get_field("path").max_length - len(page.path))
    return pages.descendant_of(page).filter(path__gt=page.path, path__lte=last)


def below_unindexed(page, pages):
    """The same rows as below(), by a path prefix alone (LIKE), which no index reads."""
    return pages.filter(path__startswith=page.path).exclude(pk=page.pk)


@dataclass
class Source:
    """Rows of one kind, unordered and unsliced; `date` and `pk` name the fields that order them.

    `long`, if given, is the same rows written for a listing longer than BOUNDED_COUNT: with no index on what
    narrows them, so that the database walks the date index (SQLite would read a range of paths and sort it).
    """

    queryset: object
    date: str
    pk: str = "pk"
    long: object = None

    def ordered(self, newest_first):
        sign = "-" if newest_first else ""
        rows = self.queryset.filter(**{f"{self.date}__isnull": False})
        return rows.order_by(f"{sign}{self.date}", f"{sign}{self.pk}")

    def beyond(self, cursor, newest_first):
        """Rows after the cursor in the walking direction; the plain bound on the date lets the index seek."""
        value, pk = cursor
        op = "lt" if newest_first else "gt"
        past = Q(**{f"{self.date}__{op}": value}) | Q(**{self.date: value, f"{self.pk}__{op}": pk})
        return self.queryset.filter(past, **{f"{self.date}__{op}e": value})


class KeysetListing:
    """Paginates `sources` by `size`. Page-like for templates: object_list holds wrap(row) of each row read,
    and key(item) gives an item's (date, pk)."""

    def __init__(self, sources, key, size, *, wrap=None, count_key=None):
        self.sources = sources
        self.key = key
        self.wrap = wrap
        self.size = size
        self.count_key = count_key
        self.is_datetime = isinstance(sources[0].queryset.model._meta.get_field(sources[0].date), DateTimeField)
        self.error = None

    # ------------------------------------------------------------------ reading rows

    def _fetch(self, newest_first, limit, cursor=None, offset=0):
        parts = []
        for source in self.sources:
            rows = Source(source.beyond(cursor, newest_first), source.date, source.pk) if cursor else source
            parts.append((source, rows.ordered(newest_first)))
        sign = "-" if newest_first else ""
        first = self.sources[0]
        if len(parts) == 1:
            return self._wrapped(parts[0][1][offset : offset + limit])
        combined = [
            source.queryset.filter(**{f"{source.pk}__in": ordered.values(source.pk)[: offset + limit]}).order_by()
            for source, ordered in parts
        ]
        union = combined[0].union(*combined[1:], all=True)
        return self._wrapped(union.order_by(f"{sign}{first.date}", f"{sign}{first.pk}")[offset : offset + limit])

    def _wrapped(self, rows):
        return [self.wrap(row) for row in rows] if self.wrap else list(rows)

    def newest(self, limit):
        return self._fetch(True, limit)

    def total(self):
        """Kept under count_key until pages change: a listing of a thousand rows or more would otherwise count a
        thousand on every request, where one of a hundred counts a hundred (a unit's catalogue at either size)."""
        if self.count_key is None:
            return self._bounded_count()
        return listing_cache.cached("count", self._count, *self.count_key)

    def _bounded_count(self):
        if len(self.sources) == 1:
            return self.sources[0].ordered(True).order_by()[:BOUNDED_COUNT].count()
        parts = [source.ordered(True).order_by() for source in self.sources]
        return parts[0].union(*parts[1:], all=True)[:BOUNDED_COUNT].count()

    def _count(self):
        bounded = self._bounded_count()
        if bounded < BOUNDED_COUNT:
            return bounded
        return sum(source.ordered(True).order_by().count() for source in self.sources)

    # ------------------------------------------------------------------ cursors

    def encode(self, row):
        value, pk = self.key(row)
        if self.is_datetime:
            value = (value - EPOCH) // MICROSECOND
        else:
            value = value.isoformat()
        return f"{value}{CURSOR_SEPARATOR}{pk}"

    def decode(self, raw):
        value, separator, pk = (raw or "").partition(CURSOR_SEPARATOR)
        if not separator or not pk.isdigit():
            raise ValueError(raw)
        if self.is_datetime:
            if not value.lstrip("-").isdigit():
                raise ValueError(raw)
            return EPOCH + int(value) * MICROSECOND, int(pk)
        return datetime.date.fromisoformat(value), int(pk)

    # ------------------------------------------------------------------ one page

    def paginate(self, params):
        """Reads the page asked for by `params` (page, after, before); a bad value gives the first page."""
        self.count = self.total()
        if self.count >= BOUNDED_COUNT:
            self.sources = [Source(s.long, s.date, s.pk) if s.long is not None else s for s in self.sources]
        self.num_pages = max(1, ceil(self.count / self.size))
        self.paginator = self  # the templates' listing.paginator.count and .num_pages
        number = self._number(params.get("page"))
        try:
            if params.get("after"):
                return self._walk(self.decode(params["after"]), number, newest_first=True)
            if params.get("before"):
                return self._walk(self.decode(params["before"]), number, newest_first=False)
        except (ValueError, OverflowError):
            self.error = _("分页链接无效，已显示第一页。")
            number = 1
        if number >= self.num_pages > 1:
            return self._last()
        rows = self._fetch(True, self.size + 1, offset=(number - 1) * self.size)
        return self._page(number, rows[: self.size], has_next=len(rows) > self.size)

    def _number(self, raw):
        raw = (raw or "").strip()
        if raw == "last":
            return self.num_pages
        return min(int(raw), self.num_pages) if raw.isdigit() and int(raw) >= 1 else 1

    def _walk(self, cursor, number, newest_first):
        rows = self._fetch(newest_first, self.size + 1, cursor=cursor)
        more = len(rows) > self.size
        rows = rows[: self.size]
        if newest_first:
            if not rows:  # the rows past the cursor are gone: the listing ends earlier now
                return self._last()
            return self._page(max(number, 2), rows, has_next=more)
        if not more:  # nothing newer than this page: it is the first page
            rows = self._fetch(True, self.size + 1)
            return self._page(1, rows[: self.size], has_next=len(rows) > self.size)
        return self._page(max(1, min(number, self.num_pages - 1)), rows[::-1], has_next=True)

    def _last(self):
        remainder = self.count - (self.num_pages - 1) * self.size
        rows = self._fetch(False, remainder)[::-1]
        return self._page(self.num_pages, rows, has_next=False)

    def _page(self, number, rows, has_next):
        self.number = number
        self.object_list = rows
        self.has_next = has_next
        self.has_previous = number > 1
        return self

    # ------------------------------------------------------------------ links (query strings without filters)

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    @property
    def next_query(self):
        return urlencode({"page": self.number + 1, "after": self.encode(self.object_list[-1])})

    @property
    def previous_query(self):
        if self.number <= 2:
            return urlencode({"page": 1})
        return urlencode({"page": self.number - 1, "before": self.encode(self.object_list[0])})

    @property
    def last_query(self):
        return urlencode({"page": self.num_pages})
