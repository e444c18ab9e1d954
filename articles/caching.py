"""Caching for the reader site and the API, keyed by one number that every write moves on.

- `generation()` is that number: one row (CacheGeneration), read once per request. Database triggers
  (articles/triggers.py) move it on for any insert, update or delete on the stories, their tags, the
  vocabularies and their aliases. So every way of writing counts (an edit, a publish, a merge,
  an import, the admin's bulk actions, QuerySet.update(), raw SQL from outside Django), and the new number
  becomes visible exactly when the change does: the next request looks under a new key and sees the change.
- On PostgreSQL the number moves at commit, not at the write: each write statement only marks its transaction
  (a row of its own in an unlogged table, keyed by the transaction id), and a deferred trigger on that mark,
  the transaction's last deferred event, adds one to the number as the transaction commits. The number's row
  is locked only while a transaction commits, after the foreign-key checks of its writes to the stories,
  tags and vocabularies (the ones that may wait for an editor's locks), so a long import batch holds no lock
  that editors wait for, and no deadlock passes through it (issue 12 found 8 of 3,000 files failing on it).
  Within a writing transaction, `generation()` also names the transaction and its marks, so what it renders
  is kept under a key no one else asks for. SQLite has one writer at a time anyway: its triggers move the
  number at once, inside the transaction.
  Why not transaction.on_commit, or a counter in Redis: neither sees writes made without Django's ORM
  (raw SQL, psql, another program), which is what the triggers are for, and a Redis counter needs Redis. Why
  not a sequence moved by the triggers: it moves before the commit, so a reader in between would cache the old
  data under the new number, for good.
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

import contextlib
import contextvars
import functools
import hashlib
import time
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import BigIntegerField, F, QuerySet, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from .internals import has_one_table, without_filters
from .models import VOCABULARIES, Agreement, AgreementEvent, Article, CacheGeneration

# Every table whose rows readers see, directly or in a count; a write to any of them moves the number on.
WATCHED = (
    Article,
    *(vocabulary.entry for vocabulary in VOCABULARIES),
    *(vocabulary.alias for vocabulary in VOCABULARIES),
    *(vocabulary.through for vocabulary in VOCABULARIES),
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
    _offline.set(False)


def request_finished(**kwargs):
    _request_generation.set(None)
    _offline.set(False)


def generation() -> str:
    """The current number (with the transaction's own marks, inside a writing one); every cache key has it.

    When the database cannot be reached (it is restarting), the last number this process or any other sharing
    the cache read, so that what is cached can still be served; the request is then marked as `offline`, and
    DatabaseUnavailable is raised when no number was ever read.
    """
    known = _request_generation.get()
    if isinstance(known, str):
        return known
    try:
        number = _read_generation_reconnecting()
    except DATABASE_DOWN as error:
        number = _last_known()
        if number is None:
            raise DatabaseUnavailable("the database cannot be reached") from error
        _offline.set(True)
    else:
        if number is None:
            # A flushed database (tests do this) has lost its row.
            bump()
            number = _read_generation()
        _remember_last(number)
    if known is _UNREAD:
        _request_generation.set(number)
    return number


# What a database that is down or restarting raises: refused connections, connections it closed.
DATABASE_DOWN = (OperationalError, InterfaceError)


class DatabaseUnavailable(OperationalError):
    """The database is down and the answer is not in the cache (a 503, articles/middleware.py)."""


# Whether this request's number is the last known one, because the database could not be reached.
_offline: contextvars.ContextVar = contextvars.ContextVar("cache_offline", default=False)
_last: dict[str, str] = {}


def offline() -> bool:
    return _offline.get()


def _read_generation_reconnecting() -> str | None:
    """The number; on a connection the database closed (after a restart), read again on a new one."""
    connection = connections["default"]
    try:
        return _read_generation()
    except DATABASE_DOWN:
        if connection.in_atomic_block:
            raise
        # Django would drop the broken connection only after this request, which would fail: the first
        # request after the database is back is answered.
        connection.close()
        return _read_generation()


def _last_key() -> str:
    return f"generation:{_site()}"


def _remember_last(number: str):
    """Keep the number for when the database is down: in this process, and in the cache when it changes."""
    if "." in number or _last.get("number") == number:
        return  # inside a writing transaction, or unchanged
    _last["number"] = number
    # A cache that is down itself must not fail the request.
    with contextlib.suppress(Exception):
        cache.set(_last_key(), number, None)


def _last_known() -> str | None:
    try:
        shared = cache.get(_last_key())
    except Exception:  # noqa: BLE001 - the same
        shared = None
    return shared or _last.get("number")


# PostgreSQL: the transaction's count of write statements so far, kept as a setting local to the transaction.
MARKS_SETTING = "articles.cache_marks"
MARK_TABLE = f"{CacheGeneration._meta.db_table}_mark"


def _read_generation(using: str = "default") -> str | None:
    # A cached page costs this query and nothing else: written by hand, it skips the ORM's compiling, which
    # took longer than the query itself.
    connection = connections[using]
    table = connection.ops.quote_name(CacheGeneration._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT number, current_setting('{MARKS_SETTING}', true), txid_current_if_assigned() FROM {table}"
            )
        else:
            cursor.execute(f"SELECT number, NULL, NULL FROM {table}")
        row = cursor.fetchone()
    if row is None:
        return None
    number, marks, txid = row
    # Written but not committed: the rest of the site still sees `number`, and must not find what this
    # transaction renders under it.
    return f"{number}.{txid}.{marks}" if marks else str(number)


def bump(using: str = "default") -> int:
    """Move the number on by hand (migrate does, after a deploy or a restore); writes to the data need not."""
    rows = CacheGeneration.objects.using(using)
    # From the clock (microseconds), so that a new database never meets keys an old one left in a shared cache,
    # and a restored one (whose number is the backup's) none that pages cached since the backup took.
    clock = time.time_ns() // 1000
    with transaction.atomic(using=using):
        if not rows.update(number=Greatest(F("number") + 1, Value(clock, output_field=BigIntegerField()))):
            rows.create(number=clock)
        return rows.get().number


@functools.cache
def _site() -> str:
    """Tells databases apart, so that two sites (or a site and its tests) can share one Redis."""
    database = settings.DATABASES["default"]
    where = f"{database['ENGINE']}|{database.get('HOST', '')}|{database.get('PORT', '')}|{database['NAME']}"
    return hashlib.sha256(where.encode()).hexdigest()[:10]


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _key(kind: str, number: str, digest: str) -> str:
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
        if bottom and isinstance(rows, QuerySet) and has_one_table(rows):
            ids = rows.values("pk")[bottom:top]
            # Same columns, annotations (a search's rank), order and prefetches; only the filters go.
            rows = without_filters(rows).filter(pk__in=ids)
        else:
            rows = rows[bottom:top]
        return Page(rows, number, self)


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
        if offline():
            raise DatabaseUnavailable("the database cannot be reached and the answer is not in the cache")
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
