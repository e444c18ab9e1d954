"""Story search: ranked full-text search on PostgreSQL, a plain word match elsewhere.

Both paths take the reader's text as typed and annotate each match with `rank` (higher is better), so the
list, the API and the tests use one interface whatever the database.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

CONFIG = "english"
MAX_WORDS = 10


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Stories matching `text`, best match first, then newest."""
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, text)
    return _word_match(queryset, text)


def _full_text(queryset: QuerySet, text: str) -> QuerySet:
    # The weighted tsvector that migration 0005 stores, indexes and keeps current with a trigger; the model
    # does not declare it, and it is left unqualified so that it also resolves inside relabelled subqueries.
    document = RawSQL("search_document", [], output_field=SearchVectorField())
    # websearch syntax ("quoted phrase", or, -word) never raises on malformed input, unlike to_tsquery.
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    return (
        queryset.alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", *queryset.model._meta.ordering)
    )


def search_words(text: str) -> list[str]:
    """The distinct words of `text`, punctuation dropped, at most MAX_WORDS."""
    return list(dict.fromkeys(re.findall(r"\w+", text.casefold())))[:MAX_WORDS]


def _word_match(queryset: QuerySet, text: str) -> QuerySet:
    terms = search_words(text)
    if not terms:
        return queryset.none()
    anywhere = Q()
    in_headline = Q()
    for term in terms:
        anywhere &= (
            Q(headline__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(dateline__icontains=term)
            | Q(body__icontains=term)
        )
        in_headline &= Q(headline__icontains=term)
    return (
        queryset.filter(anywhere)
        .annotate(rank=Case(When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-rank", *queryset.model._meta.ordering)
    )
