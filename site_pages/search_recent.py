"""The public search's candidates: the newest live pages matching a query, read in date order (issue 17 §2).

Ranking every match made a search's time grow with the site: a common word matches a fixed share of the pages, so
at 100,000 pages the database scored tens of thousands of matches to keep the best 1,000 (docs/deployment.md,
"Search at scale"). Here the database walks the matches newest first and stops at `limit`: the public search then
ranks at most the newest `limit` pages that hold the query anywhere and, when there are more, the newest `limit`
older pages that hold it in their title, however large the site. Titles holding the query rank first by recency
(site_pages.search), so the second set keeps every title match a results list can show.

Migration site_pages 0018 keeps each live page's first publication with its index entry, by triggers on the index
and on the page table, so that the full-text index can be read in date order:
- SQLite: an FTS5 table of the entries' title and body whose rowid is the page's publication minute and page id
  (`recent_key`), so that FTS5 walks a query's matches by descending rowid and stops at the LIMIT.
- PostgreSQL: the entry's column `site_pages_published_at`, indexed, beside the GIN index of site_pages 0017: the
  planner walks the date index while matches are common and reads the GIN index when they are rare; only the
  pages it keeps are ranked (ts_rank reads each match's whole text vector).

A search engine configured as the backend (docs/deployment.md) ranks its best matches itself: `candidates` then
answers None and the search asks the backend as before.
"""

import datetime

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import PlainText

from .search_backend import segment_search_query

RECENT_TABLE = "site_pages_search_recent"
RECENT_KEYS = "site_pages_search_recent_key"
PUBLISHED_COLUMN = "site_pages_published_at"
# recent_key = publication minute since 1900 * KEY_SPAN + page id: unique for every int32 id, ordered by date and
# then id, and within SQLite's 64 bits for the next eight thousand years.
KEY_SPAN = 2**31


def _compiler_name():
    inner = getattr(get_search_backend(), "query_compiler_class", None)
    return next((cls.__name__ for cls in getattr(inner, "__mro__", ()) if cls.__module__.startswith("modelsearch")), "")


def candidates(query, pages, limit):
    """The newest `limit` pages of `pages` matching `query` and, when there are more, the newest `limit` older ones
    holding it in their title, as rows (page id, title, first publication, score), best score first in the
    backend's own direction (SQLite's bm25 is better when lower); [] when nothing is searchable, None when a
    search engine ranks instead.
    """
    segmented = segment_search_query(query)
    if segmented is None:
        return []
    if not isinstance(segmented, PlainText):
        return None
    name = _compiler_name()
    if name == "SQLiteSearchQueryCompiler" and connection.vendor == "sqlite":
        return _sqlite(segmented, pages, limit)
    if name == "PostgresSearchQueryCompiler" and connection.vendor == "postgresql":
        return _postgresql(segmented, pages, limit)
    return None


def _page_condition(pages, page_id_sql):
    """EXISTS over the filtered pages for the page whose id `page_id_sql` gives, checked per candidate: an IN over
    the filtered pages would read every live page first."""
    sql, params = pages.filter(pk=RawSQL(page_id_sql, ())).order_by().values("pk").query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


def _aware(value):
    """A datetime column read by a cursor (naive, in UTC, as SQLite stores it) as the ORM would read it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def _sqlite(segmented, pages, limit):
    # Imported here: the module reads the FTS5 index model, which exists on SQLite alone.
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize

    backend = get_search_backend()
    compiler = backend.query_compiler_class(pages, segmented)
    sql_compiler = pages.query.get_compiler(connection=connection)
    found, older = {}, ""
    condition, params = _page_condition(pages, f"r.rowid %% {KEY_SPAN}")
    # The whole text first: a page found by both passes keeps the score of the whole text, and the title pass is
    # needed only when the first stopped at `limit`, for title matches older than the matches it kept.
    for columns in (compiler.FTS_TABLE_FIELDS, ["title"]):
        match = MatchExpression(columns, compiler.build_search_query(normalize(compiler.query)))
        _template, (match_string,) = match.as_sql(sql_compiler, connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.rowid, p.id, p.title, p.first_published_at, bm25({RECENT_TABLE}) "  # noqa: S608 - constants
                f"FROM {RECENT_TABLE} r JOIN wagtailcore_page p ON p.id = r.rowid %% {KEY_SPAN} "
                f"WHERE {RECENT_TABLE} MATCH %s {older} AND {condition} ORDER BY r.rowid DESC LIMIT %s",
                [match_string, *params, limit],
            )
            rows = cursor.fetchall()
        for _key, page_id, title, published, score in rows:
            found.setdefault(page_id, (page_id, title, _aware(published), score))
        if len(rows) < limit:
            break
        older = f"AND r.rowid < {int(rows[-1][0])}"
    return sorted(found.values(), key=lambda row: row[-1])


def _on_entry(value):
    """One of the compiler's page-relative vectors or weights (index_entries__title) as the entry's own column."""
    return F(value.name.removeprefix("index_entries__")) if isinstance(value, F) else value


def _postgresql(segmented, pages, limit):
    backend = get_search_backend()
    compiler = backend.query_compiler_class(pages, segmented)
    config = compiler.get_config(backend)
    search_query = compiler.build_tsquery(compiler.query, config=config)
    tsquery_sql, tsquery_params = search_query.as_sql(pages.query.get_compiler(connection=connection), connection)
    entries, older, params_older = [], "", []
    condition, params = _page_condition(pages, "e.object_id::integer")
    # As on SQLite: the title pass only when the first stopped at `limit`, for older title matches. The body alone
    # is matched: a result page's body holds its title's words too (PortalPage.search_text), and PostgreSQL then
    # checks one text vector for each row it walks instead of joining two.
    for vector in ("e.body", "e.title"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id FROM wagtailsearch_indexentry e "  # noqa: S608 - constants
                f"WHERE e.{PUBLISHED_COLUMN} IS NOT NULL AND {vector} @@ {tsquery_sql} {older} AND {condition} "
                f"ORDER BY e.{PUBLISHED_COLUMN} DESC, e.id DESC LIMIT %s",
                [*tsquery_params, *params_older, *params, limit],
            )
            rows = [entry_id for (entry_id,) in cursor.fetchall()]
        entries += rows
        if len(rows) < limit:
            break
        # The last kept entry's own values: a page never published is filed at -infinity, which psycopg cannot read.
        older = (
            f"AND (e.{PUBLISHED_COLUMN}, e.id) < (SELECT last.{PUBLISHED_COLUMN}, last.id "
            "FROM wagtailsearch_indexentry last WHERE last.id = %s)"
        )
        params_older = [rows[-1]]
    if not entries:
        return []
    # Wagtail's score, on the kept entries alone: ts_rank reads a match's whole text vector.
    vectors = [(_on_entry(vector), _on_entry(boost)) for vector, boost in compiler.get_index_vectors(search_query)]
    scored = IndexEntry.objects.filter(pk__in=entries).annotate(_score=compiler._build_rank_expression(vectors, config))
    scores = {int(page_id): score for page_id, score in scored.values_list("object_id", "_score")}
    rows = pages.filter(pk__in=scores).values_list("pk", "title", "first_published_at")
    # Wagtail's order: higher scores first, then the newer id.
    return sorted(((*row, scores[row[0]]) for row in rows), key=lambda row: (-row[-1], -row[0]))
