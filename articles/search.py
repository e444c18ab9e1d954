"""Story search: ranked full-text search on PostgreSQL, an FTS5 word-prefix index on SQLite.

Both paths take the reader's text as typed and annotate each match with `rank` (higher is better), so the
list, the API and the tests use one interface whatever the database.

On SQLite, the stories' text is indexed in an FTS5 table kept by triggers (`install_sqlite_index`, run after
every migrate like the other triggers, since SQLite drops a table's triggers when a migration rebuilds it).
Without it, each search read every body with LIKE: over a second per search at 100,000 stories.
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


SQLITE_INDEX = "article_search"
SQLITE_COLUMNS = "headline, standfirst, dateline, body"
_SQLITE_TRIGGERS = {
    f"{SQLITE_INDEX}_insert": f"""
        AFTER INSERT ON articles_article BEGIN
        INSERT INTO {SQLITE_INDEX} (rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.headline, new.standfirst, new.dateline, new.body); END""",
    f"{SQLITE_INDEX}_delete": f"""
        AFTER DELETE ON articles_article BEGIN
        INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.headline, old.standfirst, old.dateline, old.body); END""",
    f"{SQLITE_INDEX}_update": f"""
        AFTER UPDATE OF {SQLITE_COLUMNS} ON articles_article BEGIN
        INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}, rowid, {SQLITE_COLUMNS})
        VALUES ('delete', old.id, old.headline, old.standfirst, old.dateline, old.body);
        INSERT INTO {SQLITE_INDEX} (rowid, {SQLITE_COLUMNS})
        VALUES (new.id, new.headline, new.standfirst, new.dateline, new.body); END""",
}


def install_sqlite_index(using: str = "default") -> None:
    """Create the FTS5 index of the stories and its triggers where missing; rebuild it if anything was.

    An external-content table: it holds the index only and reads the text from articles_article. Whatever
    was written while a trigger was missing is caught up by the rebuild.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        names = [SQLITE_INDEX, *_SQLITE_TRIGGERS]
        cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})", names)
        present = {name for (name,) in cursor.fetchall()}
        if present == {SQLITE_INDEX, *_SQLITE_TRIGGERS}:
            return
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_INDEX} USING fts5({SQLITE_COLUMNS}, "
            "content='articles_article', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        for name, body in _SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute(f"INSERT INTO {SQLITE_INDEX} ({SQLITE_INDEX}) VALUES ('rebuild')")
