"""A search backend wrapper that turns queries into the character pairs the index holds.

Configured as WAGTAILSEARCH_BACKENDS["default"] = {"BACKEND": "site_pages.search_backend",
"INNER": <any Wagtail backend path>}. The indexed side is tokenised by the pages' own search
field (site_pages.models.base, site_pages.segmentation); every query, the public site's and the
admin's, goes through segment_query here so that both sides use the same tokens.
"""

from wagtail.search.backends import import_backend
from wagtail.search.backends.base import EmptySearchResults
from wagtail.search.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from .segmentation import segment_query


def segment_search_query(query):
    """Return the query with every text part segmented, or None when nothing searchable remains."""
    if isinstance(query, str):
        text = segment_query(query)
        return PlainText(text, operator="and") if text else None
    if isinstance(query, PlainText):
        text = segment_query(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else None
    if isinstance(query, Phrase):
        text = segment_query(query.query_string)
        return Phrase(text) if text else None
    if isinstance(query, Fuzzy):
        text = segment_query(query.query_string)
        return Fuzzy(text, operator=query.operator, unaccent=query.unaccent) if text else None
    if isinstance(query, Boost):
        sub = segment_search_query(query.subquery)
        return Boost(sub, query.boost) if sub is not None else None
    if isinstance(query, And | Or):
        subs = [s for s in (segment_search_query(q) for q in query.subqueries) if s is not None]
        return type(query)(subs) if subs else None
    if isinstance(query, Not):
        sub = segment_search_query(query.subquery)
        return Not(sub) if sub is not None else None
    if isinstance(query, MatchAll):
        return query
    return query


class SegmentingBackendMixin:
    def search(self, query, model_or_queryset, **kwargs):
        segmented = segment_search_query(query)
        if segmented is None:
            return EmptySearchResults()
        if isinstance(query, str) and kwargs.get("operator"):
            segmented = PlainText(segmented.query_string, operator=kwargs["operator"])
        kwargs.pop("operator", None)
        return super().search(segmented, model_or_queryset, **kwargs)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        # Autocomplete backends expect a plain string; segmenting still splits Chinese runs.
        text = segment_query(query if isinstance(query, str) else getattr(query, "query_string", ""))
        if not text:
            return EmptySearchResults()
        return super().autocomplete(text, model_or_queryset, **kwargs)


# Wagtail's database backends' query compilers, and the database whose own full-text index each queries.
DATABASE_COMPILERS = {"SQLiteSearchQueryCompiler": "sqlite", "PostgresSearchQueryCompiler": "postgresql"}


def database_of(compiler):
    """The database a compiler of Wagtail's database backends queries (a subclass too, as wrapped here): "sqlite"
    or "postgresql"; None for a search engine's compiler."""
    names = (cls.__name__ for cls in getattr(compiler, "__mro__", ()))
    return next((DATABASE_COMPILERS[name] for name in names if name in DATABASE_COMPILERS), None)


def _ranking(inner):
    """Class attributes giving Wagtail's database backends their leaner ranked queries (site_pages.search_sqlite,
    site_pages.search_postgres); another backend (a search engine) keeps its own compiler."""
    compiler = inner.query_compiler_class
    database = database_of(compiler)
    # Imported here: each module reads the index models of its own database, which exist there alone.
    if database == "sqlite":
        from .search_sqlite import OnePassRankingMixin as mixin
    elif database == "postgresql":
        from .search_postgres import SlimRowsMixin as mixin
    else:
        return {}
    return {"query_compiler_class": type(f"{mixin.__name__}{compiler.__name__}", (mixin, compiler), {})}


def SearchBackend(params):  # noqa: N802 - Wagtail looks the factory up by this name
    params = dict(params)
    inner_path = params.pop("INNER", "wagtail.search.backends.database")
    inner = import_backend(inner_path)(params)
    wrapped = type(f"Segmenting{type(inner).__name__}", (SegmentingBackendMixin, type(inner)), _ranking(inner))
    instance = wrapped.__new__(wrapped)
    instance.__dict__.update(inner.__dict__)
    return instance
