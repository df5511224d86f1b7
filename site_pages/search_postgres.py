"""PostgreSQL's ranked search without the matched text in its rows, for the segmenting backend (search_backend).

Wagtail's PostgreSQL backend (modelsearch) filters on `title || body` as an annotation, so every matching row
carried the whole concatenated text vector, tens of kilobytes, into the sort by score: on a portal of 100,000
pages a common word's 2,700 matches sorted 60 MB on disk (tests/benchmarks/bench_search.py --plans). Here the
vector is an alias: it filters, as before, through the GIN index of site_pages 0017 on that very expression, and
is neither computed for the rows nor selected. The ranking, the order and the slice are Wagtail's.
"""

from modelsearch.query import Fuzzy, MatchAll, Not


class SlimRowsMixin:
    """For a subclass of Wagtail's PostgreSQL query compiler: the same search with the vector as an alias."""

    def search(self, config, start, stop, score_field=None, backend=None):
        query = self.query
        if isinstance(query, MatchAll | Fuzzy) or (isinstance(query, Not) and isinstance(query.subquery, MatchAll)):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank_expression = self._build_rank_expression(vectors, config)
        combined_vector = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined_vector = combined_vector._combine(vector, "||", False)
        queryset = self.queryset.alias(_vector_=combined_vector).filter(_vector_=search_query)
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)
