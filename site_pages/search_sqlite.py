"""SQLite's ranked search in one pass over the matches, for the segmenting backend (site_pages.search_backend).

Wagtail's SQLite backend (modelsearch) gives each matching page its score by a correlated subquery that runs the
FTS5 query again for that page: a search ranking n matches ran the full-text query n times, and bm25 counted
every match again each time, so the time grew with the square of the matches: with tests/benchmarks/bench_search.py,
安岳 took 3.3 s on a site of 5,000 articles. Here the pages are joined to their index entries and
FTS5 rows, so the full-text query drives one scan in which bm25 scores each match once and each match finds its
entry and its page by primary key; the ranking, the order and the slice are those of Wagtail's compiler.
"""

from django.db.models import F, IntegerField
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

# The same title and body weights as Wagtail's SQLite compiler (get_index_vectors), seen from the page.
PAGE_VECTORS = ((F("index_entries__title"), F("index_entries__title_norm")), (F("index_entries__body"), 1.0))


class OnePassRankingMixin:
    """For a subclass of Wagtail's SQLite query compiler: ranked searches join the index instead of subquerying."""

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        ranked = self.order_by_relevance or score_field is not None
        if not ranked or isinstance(query, MatchAll | Not):
            # Unranked and negated searches keep Wagtail's id filter, which runs the full-text query once.
            return super().search(config, start, stop, score_field)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
        content_types = get_descendants_content_types_pks(self.queryset.model)
        # One filter() call, so that the entry and its FTS5 row are joined once; MATCH and bm25 name the FTS5
        # table, which Django's first join of it is aliased to. The join compares the entry's text id with the
        # page id cast to text, which no index serves: SQLite then read every page of the type for each match.
        # The same condition the other way round lets it find each match's page by its primary key.
        queryset = self.queryset.filter(
            index_entries__content_type__in=content_types,
            index_entries__sqliteftsindexentry__isnull=False,
            pk=Cast("index_entries__object_id", output_field=IntegerField()),
        ).filter(match)
        score_field = score_field or "_score"
        queryset = queryset.annotate(**{score_field: self._build_rank_expression(PAGE_VECTORS, config)})
        if self.order_by_relevance:
            # bm25 is better when lower, as Wagtail's compiler orders it.
            queryset = queryset.order_by(score_field, "-pk")
        elif not queryset.query.order_by:
            # Wagtail's default, so that pages of results do not overlap.
            queryset = queryset.order_by("-pk")
        return queryset[start:stop]
