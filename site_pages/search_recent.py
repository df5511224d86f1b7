"""The public search's candidates: the newest live pages matching a query, read in date order (issue 17 §2).

Ranking every match made a search's time grow with the site: a common word matches a fixed share of the pages, so
at 100,000 pages the database scored tens of thousands of matches to keep the best 1,000 (docs/deployment.md,
"Search at scale"). Here the database walks the matches newest first and stops at `limit`: the public search then
ranks at most the newest `limit` pages that hold the query anywhere and, when there are more, at most `limit`
older pages that hold it in their title, however large the site. Titles holding the query rank first by recency
(site_pages.search), so the second set keeps every title match a results list can show. Only the pages ranked by
their score are scored. A search by score reads the newest title matches first: a common word's titles are a small
index to read, and when `limit` of them hold the query as typed nothing else is read.

Migration site_pages 0018 keeps each live page's first publication with its index entry, by triggers on the index
and on the page table, so that the full-text index can be read in date order:
- SQLite: an FTS5 table of the entries' title and body whose rowid is the page's publication minute and page id
  (`recent_key`), so that FTS5 walks a query's matches by descending rowid and stops at the LIMIT.
- PostgreSQL: the entry's column `site_pages_published_at`, indexed, beside the GIN index of site_pages 0017: the
  planner walks the date index while matches are common and reads the GIN index when they are rare, and sorts
  the matching entries before it reads their pages.

A search engine configured as the backend (docs/deployment.md) ranks its best matches itself: `candidates` then
answers None and the search asks the backend as before.
"""

import datetime

from django.db import connection
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import PlainText

from .search_backend import database_of, segment_search_query

RECENT_TABLE = "site_pages_search_recent"
RECENT_KEYS = "site_pages_search_recent_key"
PUBLISHED_COLUMN = "site_pages_published_at"
# recent_key = publication minute since 1900 * KEY_SPAN + page id: unique for every int32 id, ordered by date and
# then id, and within SQLite's 64 bits for the next eight thousand years.
KEY_SPAN = 2**31


def _by_score(_title):
    return None


def candidates(query, pages, limit, title_rank=_by_score, titles_first=False):
    """The newest `limit` pages of `pages` matching `query` and, when there are more, older ones holding it in
    their title, as rows (page id, title, first publication in seconds since the epoch, score); [] when nothing is
    searchable, None when a search engine ranks instead.

    `title_rank(title)` says how the search ranks a page: 0 first (the title holds the query as typed), 1 next (it
    holds its words), by recency within each, or None by its score. Scoring reads a match's whole text, so only the
    pages ranked by score are scored, and none when the others alone fill `limit`. An older title match can only
    rank after the newer pages of rank 0, so the title pass reads no more than fit after those. Scored rows come
    first, best first in the backend's own direction (SQLite's bm25 is better when lower); the others follow with
    the score None.

    `titles_first` says that a page whose title does not match ranks after every page of rank 0, as it does by
    score (by date it does not): the newest title matches are then read first, and when `limit` of them all rank 0
    they are the answer, without reading the whole text (issue 17 §2).
    """
    segmented = segment_search_query(query)
    if segmented is None:
        return []
    if not isinstance(segmented, PlainText):
        return None
    database = database_of(getattr(get_search_backend(), "query_compiler_class", None))
    if database != connection.vendor:
        return None
    reader = (_SQLite if database == "sqlite" else _PostgreSQL)(segmented, pages)
    newest, ranks, older = _newest_and_older(reader, limit, title_rank, titles_first)
    to_score = [row for row, rank in zip(newest, ranks, strict=True) if rank is None]
    if len(newest) - len(to_score) + sum(title_rank(row[2]) is not None for row in older) >= limit:
        to_score = []
    scores = reader.scores(to_score) if to_score else {}
    rows, seen = [], set()
    for _key, page_id, title, published in newest + older:
        if page_id not in seen:
            seen.add(page_id)
            rows.append((page_id, title, seconds(published), scores.get(page_id)))
    scored = sorted((row for row in rows if row[-1] is not None), key=reader.best_first)
    return scored + [row for row in rows if row[-1] is None]


def _newest_and_older(reader, limit, title_rank, titles_first):
    """The rows to rank: the newest `limit` matches with their ranks and, only when they reach `limit`, title
    matches older than the last of them (see candidates)."""
    titles = reader.matches(reader.titles, limit) if titles_first else None
    if titles and len(titles) == limit and all(title_rank(row[2]) == 0 for row in titles):
        # No page ranks before these: a title holding the query as typed matches it in the title index too.
        return titles, [0] * limit, []
    newest = reader.matches(reader.whole_text, limit)
    ranks = [title_rank(row[2]) for row in newest]
    room = limit - ranks.count(0)
    if len(newest) < limit or not room:
        return newest, ranks, []
    if titles is not None:
        # The title pass reads the title matches older than the last row kept: those read first are the newest of
        # them, and enough when they fill `room` or are every title match there is.
        read = [row for row in titles if reader.walk_order(row) < reader.walk_order(newest[-1])][:room]
        if len(read) == room or len(titles) < limit:
            return newest, ranks, read
    return newest, ranks, reader.matches(reader.titles, room, after=newest[-1])


def _filtered_pages(pages):
    """The filtered pages as a subquery to join each match to, with what ranking reads of them: PostgreSQL and SQLite
    both fold it into the statement, so that each match looks its page up once by primary key."""
    sql, params = pages.order_by().values("pk", "title", "first_published_at").query.sql_with_params()
    return f"({sql})", list(params)


def seconds(value):
    """A first publication in seconds since the epoch, 0 when there is none, from what reads it: PostgreSQL's epoch,
    the ORM's datetime or SQLite's cursor's (naive, in UTC, as Django stores it)."""
    if value is None:
        return 0.0
    if isinstance(value, datetime.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=datetime.UTC)).timestamp()
    return float(value)


class _SQLite:
    """FTS5 walks the matches by descending rowid (the publication minute and page id) and stops at the LIMIT."""

    def __init__(self, segmented, pages):
        # Imported here: the module reads the FTS5 index model, which exists on SQLite alone.
        from modelsearch.backends.database.sqlite.query import MatchExpression, normalize

        compiler = get_search_backend().query_compiler_class(pages, segmented)
        sql_compiler = pages.query.get_compiler(connection=connection)
        search_query = compiler.build_search_query(normalize(compiler.query))
        self.whole_text, self.titles = (
            MatchExpression(columns, search_query).as_sql(sql_compiler, connection)[1][0]
            for columns in (compiler.FTS_TABLE_FIELDS, ["title"])
        )
        self.pages = _filtered_pages(pages)

    def matches(self, match_string, limit, after=None):
        """(rowid, page id, title, first publication) of the newest `limit` matches older than the row `after`."""
        pages_sql, params = self.pages
        older = f"AND r.rowid < {int(after[0])}" if after else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.rowid, p.pk, p.title, p.first_published_at FROM {RECENT_TABLE} r "  # noqa: S608 - constants
                f"JOIN {pages_sql} p ON p.pk = r.rowid %% {KEY_SPAN} "
                f"WHERE {RECENT_TABLE} MATCH %s {older} ORDER BY r.rowid DESC LIMIT %s",
                [*params, match_string, limit],
            )
            return cursor.fetchall()

    @staticmethod
    def walk_order(row):
        """Where a row comes in the walk, which reads the matches by descending key."""
        return row[0]

    def scores(self, rows):
        """{page id: bm25} of `rows`, read in one pass over the span of rowids they lie in."""
        keys = {row[0] for row in rows}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({RECENT_TABLE}) FROM {RECENT_TABLE} "  # noqa: S608 - constants
                f"WHERE {RECENT_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
                [self.whole_text, min(keys), max(keys)],
            )
            return {key % KEY_SPAN: score for key, score in cursor.fetchall() if key in keys}

    @staticmethod
    def best_first(row):
        return row[-1]


def _on_entry(value):
    """One of the compiler's page-relative vectors or weights (index_entries__title) as the entry's own column."""
    return F(value.name.removeprefix("index_entries__")) if isinstance(value, F) else value


class _PostgreSQL:
    """The planner walks the publication index while matches are common and reads the GIN index when they are
    rare; only the kept entries are ranked (ts_rank reads each match's whole text vector)."""

    def __init__(self, segmented, pages):
        backend = get_search_backend()
        self.compiler = backend.query_compiler_class(pages, segmented)
        self.config = self.compiler.get_config(backend)
        self.search_query = self.compiler.build_tsquery(self.compiler.query, config=self.config)
        self.tsquery = self.search_query.as_sql(pages.query.get_compiler(connection=connection), connection)
        # The body alone is matched for the whole text: a result page's body holds its title's words too
        # (PortalPage.search_text), and PostgreSQL then checks one text vector for each row it walks.
        self.whole_text, self.titles = "e.body", "e.title"
        self.pages = _filtered_pages(pages)

    def matches(self, vector, limit, after=None):
        """(entry id, page id, title, first publication) of the newest `limit` matches older than the row `after`.

        The newest matching entries are sorted before their pages are read: looking every match's page up before
        sorting read 15,000 pages to keep 1,000. A tenth more than `limit` is read, so that a few pages the filters
        leave out (private pages, other types) cost nothing more; when the filters leave out more (a unit, a type),
        the rest is read with them inside the walk.
        """
        asked = limit + limit // 10 + 10
        walked = self._walk(vector, asked, after, filter_inside=False)
        kept = [row for row in walked if row[1] is not None]
        if len(walked) < asked or len(kept) >= limit:
            return kept[:limit]
        return kept + self._walk(vector, limit - len(kept), walked[-1], filter_inside=True)

    def _walk(self, vector, limit, after, filter_inside):
        """The newest `limit` matching entries older than the row `after`, each with its page's id, title and
        first publication, or None there when the filters leave the page out."""
        pages_sql, params = self.pages
        tsquery_sql, tsquery_params = self.tsquery
        # The last row's own values: a page never published is filed at -infinity, which psycopg cannot read.
        older = (
            f"AND (e.{PUBLISHED_COLUMN}, e.id) < (SELECT last.{PUBLISHED_COLUMN}, last.id "
            "FROM wagtailsearch_indexentry last WHERE last.id = %s)"
            if after
            else ""
        )
        inside = f"JOIN {pages_sql} f ON f.pk = e.object_id::integer" if filter_inside else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id, p.pk, p.title, extract(epoch FROM p.first_published_at)::float8 FROM ("  # noqa: S608
                f"SELECT e.id, e.object_id, e.{PUBLISHED_COLUMN} AS published FROM wagtailsearch_indexentry e "
                f"{inside} WHERE e.{PUBLISHED_COLUMN} IS NOT NULL AND {vector} @@ {tsquery_sql} {older} "
                f"ORDER BY e.{PUBLISHED_COLUMN} DESC, e.id DESC LIMIT %s"
                f") m LEFT JOIN {pages_sql} p ON p.pk = m.object_id::integer ORDER BY m.published DESC, m.id DESC",
                [
                    *(params if filter_inside else []),
                    *tsquery_params,
                    *([after[0]] if after else []),
                    limit,
                    *params,
                ],
            )
            return cursor.fetchall()

    @staticmethod
    def walk_order(row):
        """Where a row comes in the walk, which reads the entries by descending date and id: a page never
        published is filed at -infinity."""
        return (float("-inf") if row[3] is None else row[3], row[0])

    def scores(self, rows):
        """{page id: Wagtail's score} of `rows`, computed on their entries alone.

        The entries are named by one array parameter: a list of 500 ids as `pk__in` cost Django 3-4 ms to compile
        and PostgreSQL to parse, a fifth of scoring them."""
        vectors = [(_on_entry(v), _on_entry(boost)) for v, boost in self.compiler.get_index_vectors(self.search_query)]
        rank = self.compiler._build_rank_expression(vectors, self.config)
        listed = RawSQL(f"{IndexEntry._meta.db_table}.id = ANY(%s)", ([row[0] for row in rows],), BooleanField())
        scored = IndexEntry.objects.filter(listed).annotate(_score=rank)
        return {int(page_id): score for page_id, score in scored.values_list("object_id", "_score")}

    @staticmethod
    def best_first(row):
        # Wagtail's order: higher scores first, then the newer id.
        return (-row[-1], -row[0])
