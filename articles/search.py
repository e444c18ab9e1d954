"""Story search: ranked full-text search on PostgreSQL, an FTS5 word-prefix index on SQLite.

Both paths take the reader's text as typed and annotate each match with `rank` (higher is better), so the
list, the API and the tests use one interface whatever the database.

What is searched lives here; the database keeps it current by triggers (articles/triggers.py): on SQLite, the
stories' text is indexed in an FTS5 table (without it, each search read every body with LIKE: over a second
per search at 100,000 stories); on PostgreSQL, each story stores its weighted tsvector in a column of its own.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

CONFIG = "english"
MAX_WORDS = 10
# The text searched, and on PostgreSQL each field's weight in the rank.
WEIGHTS = (("headline", "A"), ("standfirst", "B"), ("dateline", "C"), ("body", "D"))
# PostgreSQL: the stored tsvector (migration 0005). SQLite: the FTS5 table.
DOCUMENT = "search_document"
SQLITE_INDEX = "article_search"


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Stories matching `text`, best match first, then newest."""
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, text)
    return _word_match(queryset, text)


def _full_text(queryset: QuerySet, text: str) -> QuerySet:
    # The weighted tsvector that migration 0005 stores and indexes and a trigger keeps current; the model does
    # not declare it, and it is left unqualified so that it also resolves inside relabelled subqueries.
    document = RawSQL(DOCUMENT, [], output_field=SearchVectorField())
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
    """Stories with every word, each matched as the start of a word in any case and accent; headline first."""
    terms = search_words(text)
    if not terms:
        return queryset.none()
    # Each word quoted (FTS5 operators typed by a reader stay words) and taken as a prefix.
    match = " ".join(f'"{term}"*' for term in terms)
    found = RawSQL(f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s", [match])
    in_headline = Q()
    for term in terms:
        in_headline &= Q(headline__icontains=term)
    return (
        queryset.filter(pk__in=found)
        .annotate(rank=Case(When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-rank", *queryset.model._meta.ordering)
    )
