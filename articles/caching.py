"""Caching for the reader site and the API, keyed by one number that every write moves on.

- `generation()` is that number: one row (CacheGeneration), read once per request. Database triggers, which
  `install_triggers` creates after every migrate, add one to it in the same transaction as any insert, update
  or delete on the stories, their tags, the vocabularies and their aliases. So every way of writing counts (an
  edit, a publish, a merge, an import, the admin's bulk actions, QuerySet.update()), and the new number becomes
  visible exactly when the change does: the next request looks under a new key and sees the change.
- The number lives in the database, not in the cache, because the import command and every app process must
  agree on it, and the default local-memory cache is private to each process.
- Nothing is ever deleted from the cache: entries of older generations are no longer asked for, and expire
  or are evicted.
- `cache_page` serves anonymous GET and HEAD requests (pages, feeds, API answers) from the cache, and answers
  If-None-Match from the number alone, before any rendering. Requests with credentials (a session cookie or an
  Authorization header) pass through untouched: editors may see drafts, and nothing of theirs is stored.
- `remember`, `count` and `ArchivePaginator` keep what a list would otherwise compute over the whole archive
  on every request (its number of rows, the most covered entries), so that a list costs the same queries at
  10,000 stories as at 100,000.

Settings: PAGE_CACHE_SECONDS and QUERY_CACHE_SECONDS (0 turns either off), and CACHES.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import time
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.sql.where import WhereNode
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from . import triggers
from .models import (
    Agreement,
    AgreementAlias,
    AgreementEvent,
    Article,
    CacheGeneration,
    Country,
    CountryAlias,
    Official,
    OfficialAlias,
    TaggedAgreement,
    TaggedCountry,
    TaggedOfficial,
)

# Every table whose rows readers see, directly or in a count; a write to any of them moves the number on.
WATCHED = (
    Article,
    Country,
    Official,
    Agreement,
    CountryAlias,
    OfficialAlias,
    AgreementAlias,
    TaggedCountry,
    TaggedOfficial,
    TaggedAgreement,
    AgreementEvent,
    AgreementEvent.sources.through,
    Agreement.parties.through,
    Agreement.signatories.through,
)

# --- The generation -----------------------------------------------------------------------------------

# Within a request the number is read once (signals.py marks where requests start and end); elsewhere, such
# as in a management command or a shell, it is read afresh each time.
_UNREAD = object()
_request_generation: contextvars.ContextVar = contextvars.ContextVar("cache_generation", default=None)


def request_started(**kwargs):
    _request_generation.set(_UNREAD)


def request_finished(**kwargs):
    _request_generation.set(None)


def generation() -> int:
    """The current number; every cache key below includes it."""
    known = _request_generation.get()
    if isinstance(known, int):
        return known
    number = _read_number()
    if number is None:
        # A flushed database (tests do this) has lost its row.
        number = bump()
    if known is _UNREAD:
        _request_generation.set(number)
    return number


def _read_number(using: str = "default") -> int | None:
    # A cached page costs this query and nothing else: written by hand, it skips the ORM's compiling, which
    # took longer than the query itself.
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {connection.ops.quote_name(CacheGeneration._meta.db_table)}")
        row = cursor.fetchone()
    return None if row is None else row[0]


def bump(using: str = "default") -> int:
    """Move the number on by hand, e.g. after a deploy with new templates; writes to the data need not."""
    rows = CacheGeneration.objects.using(using)
    with transaction.atomic(using=using):
        if not rows.update(number=F("number") + 1):
            # Start from the clock, so that a new database never meets keys an old one left in a shared cache.
            rows.create(number=time.time_ns() // 1000)
    return _read_number(using)


def install_triggers(using: str = "default") -> None:
    """Create the triggers that move the number on; safe to run again (after every migrate)."""
    connection = connections[using]
    generation_table = connection.ops.quote_name(CacheGeneration._meta.db_table)
    # Only the tables there are: migrated back to before 0014, agreements have no events yet.
    existing = set(connection.introspection.table_names())
    watched = [model for model in WATCHED if model._meta.db_table in existing]
    statements = []
    if connection.vendor == "sqlite":
        # SQLite has row triggers only, one event each; updating a one-row table is cheap enough per row.
        for model in watched:
            table = model._meta.db_table
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_cache_generation "
                    f"AFTER {event} ON {connection.ops.quote_name(table)} "
                    f"BEGIN UPDATE {generation_table} SET number = number + 1; END"
                )
    elif connection.vendor == "postgresql":
        # One bump per statement, however many rows it writes (a merge moves thousands of tags in one UPDATE).
        statements.append(
            "CREATE OR REPLACE FUNCTION articles_next_cache_generation() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE {generation_table} SET number = number + 1; RETURN NULL; END $$"
        )
        for model in watched:
            table = model._meta.db_table
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_cache_generation ON {connection.ops.quote_name(table)}",
                f"CREATE TRIGGER {table}_cache_generation "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {connection.ops.quote_name(table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION articles_next_cache_generation()",
            ]
    triggers.run(using, statements)


def uninstall_triggers(using: str = "default") -> None:
    """Drop the triggers (before the generation table goes, when migration 0006 is reversed)."""
    triggers.drop(using, suffix="_cache_generation", functions=["articles_next_cache_generation"])


@functools.cache
def _site() -> str:
    """Tells databases apart, so that two sites (or a site and its tests) can share one Redis."""
    database = settings.DATABASES["default"]
    where = f"{database['ENGINE']}|{database.get('HOST', '')}|{database.get('PORT', '')}|{database['NAME']}"
    return hashlib.sha256(where.encode()).hexdigest()[:10]


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _key(kind: str, number: int, digest: str) -> str:
    return f"{kind}:{_site()}:{number}:{digest}"


# --- What lists compute -------------------------------------------------------------------------------

_MISSING = object()


def remember(name: str, compute: Callable, *parts: Hashable):
    """compute(), kept until the next write; `name` and `parts` say what it depends on besides the data."""
    seconds = settings.QUERY_CACHE_SECONDS
    if not seconds:
        return compute()
    key = _key("data", generation(), _digest(name, *parts))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    return value


def count(queryset: QuerySet) -> int:
    """queryset.count(), kept until the next write: counting every matching row is what grows with the archive."""
    if not settings.QUERY_CACHE_SECONDS:
        return queryset.count()  # without compiling the query a second time for a key
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(), e.g. for filters that did not validate
        return 0
    return remember("count", queryset.count, queryset.db, sql, params)


# Up to this many stories, an entry's list starts from its tag rows; beyond, from the newest stories.
FEW_STORIES = 1000


def tagged_with(through: type, entry_id: int) -> Q | Exists:
    """A filter for the stories tagged with an entry, in the form that stays fast for its number of stories.

    An entry on a few stories (most agreements) is fastest found from its tag rows: their story ids, kept until
    the next write, go into the query as a list. An entry on thousands (the home country) is fastest found by
    walking the list's date index and checking each story for the tag, which stops after one page; starting
    from its tag rows would read them all. SQLite, without statistics, picks neither plan reliably itself.
    """

    def story_ids():
        ids = list(
            through.objects.filter(tag_id=entry_id).values_list("content_object_id", flat=True)[: FEW_STORIES + 1]
        )
        return ids if len(ids) <= FEW_STORIES else None

    ids = remember("tagged ids", story_ids, through._meta.label, entry_id)
    if ids is not None:
        return Q(pk__in=ids)
    return Exists(through.objects.filter(tag_id=entry_id, content_object_id=OuterRef("pk")))


class ArchivePaginator(Paginator):
    """Pages of a story list: the count from the cache, and deep pages found by a narrow query on the index.

    A page far down (?page=200) skips thousands of rows. Skipping them in a subquery that selects only the
    primary key keeps the skip inside the list's index; the outer query then reads the 20 rows it shows by
    primary key. The outer query repeats none of the list's filters (the subquery applied them): with them,
    SQLite walks the whole list index again instead of looking the 20 rows up.
    """

    @functools.cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return count(self.object_list)
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom and isinstance(rows, QuerySet) and _plain(rows):
            ids = rows.values("pk")[bottom:top]
            rows = rows._chain()
            # Same columns, annotations (a search's rank), order and prefetches; only the filters go.
            rows.query.where = WhereNode()
            rows = rows.filter(pk__in=ids)
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


def _plain(queryset: QuerySet) -> bool:
    """One table, no grouping: dropping its filters leaves the same rows for the same ids."""
    query = queryset.query
    return len(query.alias_map) <= 1 and query.group_by is None and not query.distinct


# --- Whole answers ------------------------------------------------------------------------------------


def anonymous(request) -> bool:
    """A request without credentials: whatever it is answered, anyone else would be answered the same."""
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def cache_page(view):
    """Serve anonymous GET/HEAD requests from the cache until the next write, with an ETag from the number.

    Works on Django views and on DRF handler methods (list, retrieve), where throttling has run already.
    Only 200 answers without cookies are stored. Browsers and proxies may keep a copy but must revalidate it
    (no-cache), which costs them a 304 until something changes.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not anonymous(request):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                # What a signed-in editor is shown (drafts, perhaps) is for them only.
                patch_cache_control(response, private=True)
            return response
        if not seconds:
            return view(request, *args, **kwargs)
        number, digest = generation(), _digest(request.build_absolute_uri())
        key = _key("page", number, digest)
        # Cheap to check: an unchanged number means an unchanged answer.
        etag = f'"{number}-{digest[:16]}"'
        headers = HttpResponse()
        headers["ETag"] = etag
        patch_cache_control(headers, no_cache=True)
        answer = get_conditional_response(request, etag=etag, response=headers)
        if answer is not headers:
            return answer
        stored = cache.get(key)
        if stored is not None:
            status, header_items, content = stored
            return HttpResponse(content, status=status, headers=dict(header_items))
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        response["ETag"] = etag
        patch_cache_control(response, no_cache=True)

        def store(rendered):
            cache.set(key, (rendered.status_code, list(rendered.items()), rendered.content), seconds)

        if getattr(response, "is_rendered", True):
            store(response)
        else:
            response.add_post_render_callback(store)
        return response

    return cached_view
