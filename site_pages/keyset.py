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
import re
from dataclasses import dataclass
from functools import partial
from math import ceil

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, DateTimeField, F, Func, Q
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import listing_cache

BOUNDED_COUNT = 1000
# Stands for a Source's value (Source.made_by) where its statement is compiled once: no page path can be it.
PLACEHOLDER = "keyset:placeholder"
# Django's compiled SQL: %s for each parameter, %% for a literal percent sign.
PARAMETER_MARKER = re.compile(r"%%|%s")
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


class ParentPath(Func):
    """A page's parent's path, written exactly as migration site_pages 0015 indexes it: both databases match an index
    on an expression only to the same expression, literals included."""

    template = f"substr(%(expressions)s, 1, length(%(expressions)s) - {Page.steplen})"
    output_field = CharField()


class IndexedDate(Func):
    """A date as site_pages 0015 indexes it after the parent's path. On PostgreSQL in UTC without its zone, an order
    no other index gives, so that the planner cannot walk the site's date index (Wagtail's or 0014's) and sort each
    time's pages by id instead, which it estimated cheaper at a test's size and which at 100,000 pages reads every
    page of other sections published since. SQLite keeps the column: under the statistics of a large site it reads
    the parent's index (tests/site_pages/test_column_listing_plans.py)."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "postgresql":
            return super().as_sql(compiler, connection, template="timezone('UTC', %(expressions)s)", **extra_context)
        return compiler.compile(self.source_expressions[0])


def _with_placeholder_as(sql, params, column):
    """sql and params with each parameter that is PLACEHOLDER replaced by a reference to `column`."""
    kept = iter(params)
    remaining = []

    def replace(marker):
        if marker.group() == "%%":
            return "%%"
        param = next(kept)
        if param == PLACEHOLDER:
            return column
        remaining.append(param)
        return "%s"

    return PARAMETER_MARKER.sub(replace, sql), remaining


def children_by_parent_index(parent_paths, pages, date):
    """The children among `pages` of each page at `parent_paths`, a Source each, ordered by `date` and the id, which
    only the index of site_pages 0015 gives: one parent's pages alone, none of the rest of the site read past."""

    def rows(parent_path):
        rows = pages.alias(parent_path=ParentPath("path")).filter(parent_path=parent_path)
        return rows.annotate(indexed_date=IndexedDate(date))

    def children(parent_path):
        # Built when read: a listing reads sources of one function by its placeholder's queryset alone, and building
        # a queryset for each of hundreds of parents took longer than the statement.
        queryset = SimpleLazyObject(partial(rows, parent_path))
        return Source(queryset, "indexed_date", made_by=(children, parent_path))

    return [children(path) for path in parent_paths]


def parent_pages_below(page):
    """The pages below `page` that have children, by the partial index of site_pages 0015 (pages with children:
    the site's columns and other containers, a few thousand where the content is hundreds of thousands)."""
    last = page.path + "Z" * (Page._meta.get_field("path").max_length - len(page.path))
    return Page.objects.filter(numchild__gt=0, path__gt=page.path, path__lte=last).order_by("path")


def parents_below(page):
    """Paths of `page` and of every page below it that has children: the parents of everything below it."""
    return [page.path, *parent_pages_below(page).values_list("path", flat=True)]


@dataclass
class Source:
    """Rows of one kind, unordered and unsliced; `date` and `pk` name the fields that order them.

    `long`, if given, gives the same rows written for a listing longer than BOUNDED_COUNT, as a list of Sources
    (each cut to one page, then merged), each walked in order by an index bounded to it: a range read and sorted
    grows with the listing, and the date index of the site with the rest of the site. Called for a long listing only.
    """

    queryset: object
    date: str
    pk: str = "pk"
    long: object = None
    # (function, value) when the Source is function(value) and every other argument is shared (the children of one
    # parent): the Sources of one function are read by a statement compiled once (KeysetListing._union_made_by).
    made_by: tuple | None = None

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
        if len(self.sources) == 1:
            return self._wrapped(self._ordered(self.sources[0], newest_first, cursor)[offset : offset + limit])
        return self._union(self.sources, newest_first, cursor, offset, limit)

    @staticmethod
    def _ordered(source, newest_first, cursor):
        rows = Source(source.beyond(cursor, newest_first), source.date, source.pk) if cursor else source
        return rows.ordered(newest_first)

    def _part(self, source, newest_first, cursor, limit):
        """A source's first `limit` rows (past the cursor) as a subquery the union allows: a LIMIT inside an IN."""
        ordered = self._ordered(source, newest_first, cursor)
        return source.queryset.filter(**{f"{source.pk}__in": ordered.values(source.pk)[:limit]}).order_by()

    def _union(self, sources, newest_first, cursor, offset, limit):
        """One statement: a page of each source, their union sorted and sliced."""
        made_by = {source.made_by[0] if source.made_by else None for source in sources}
        if len(made_by) == 1 and None not in made_by:
            return self._wrapped(self._union_made_by(sources, newest_first, cursor, offset, limit))
        sign = "-" if newest_first else ""
        first = sources[0]
        parts = [self._part(source, newest_first, cursor, offset + limit) for source in sources]
        union = parts[0].union(*parts[1:], all=True)
        return self._wrapped(union.order_by(f"{sign}{first.date}", f"{sign}{first.pk}")[offset : offset + limit])

    def _union_made_by(self, sources, newest_first, cursor, offset, limit):
        """The union of sources made by one function, its part compiled once for a placeholder value: compiling a
        part costs about a millisecond, executing it a fraction of that, and a column may have hundreds of parents.

        PostgreSQL runs the part once per value (LATERAL over the values as an array), so that it also plans it
        once: planning a UNION of a hundred copies took 27 ms. Other databases run the copies' UNION, each copy
        with its own value as a parameter."""
        function = sources[0].made_by[0]
        template = function(PLACEHOLDER)
        values = [source.made_by[1] for source in sources]
        lateral = connections[template.queryset.db].vendor == "postgresql"
        if lateral:
            part = self._ordered(template, newest_first, cursor)[: offset + limit]
        else:
            part = self._part(template, newest_first, cursor, offset + limit)
        sql, params = part.query.get_compiler(using=part.db).as_sql()
        if PLACEHOLDER not in params:
            raise ValueError(f"{function} does not pass its value to the database as a parameter")
        model = part.model
        quote = connections[part.db].ops.quote_name
        date = template.date if template.date in part.query.annotations else model._meta.get_field(template.date).column
        pk = model._meta.pk.column if template.pk == "pk" else model._meta.get_field(template.pk).column
        order = "DESC" if newest_first else "ASC"
        if lateral:
            sql, params = _with_placeholder_as(sql, params, "made_by.value")
            rows = f"unnest(%s::text[]) AS made_by(value) CROSS JOIN LATERAL ({sql}) listed"
            params = [values, *params]
        else:
            rows = f"({' UNION ALL '.join([sql] * len(sources))}) listed"
            params = [value if param == PLACEHOLDER else param for value in values for param in params]
        statement = (
            f"SELECT listed.* FROM {rows} "  # noqa: S608 - compiled by Django, names quoted, numbers computed here
            f"ORDER BY listed.{quote(date)} {order}, listed.{quote(pk)} {order} LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        return list(model._default_manager.db_manager(part.db).raw(statement, params))

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
        """Reads the page asked for by `params` (page, after, before); a bad value gives the first page.

        A listing with a count key keeps its first page with its total (listing_cache) until pages change: it is
        the page most visitors open, and the one rendered again after each purge."""
        if self.count_key is not None and self._asks_first_page(params):
            count, rows, has_next = listing_cache.cached("first-page", self._first_page, *self.count_key)
            self._counted(count, fetching=False)
            return self._page(1, rows, has_next)
        self._counted(self.total())
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

    @staticmethod
    def _asks_first_page(params):
        return not params.get("after") and not params.get("before") and (params.get("page") or "").strip() in ("", "1")

    def _first_page(self):
        self._counted(self.total())
        rows = self._fetch(True, self.size + 1)
        return self.count, rows[: self.size], len(rows) > self.size

    def _counted(self, count, fetching=True):
        self.count = count
        if fetching and count >= BOUNDED_COUNT:
            self.sources = [part for source in self.sources for part in (source.long() if source.long else [source])]
        self.num_pages = max(1, ceil(self.count / self.size))
        self.paginator = self  # the templates' listing.paginator.count and .num_pages

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
