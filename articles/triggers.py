"""Every database trigger of the app, on SQLite and on PostgreSQL, and the one way they are installed.

Four sets, each built from the models' table and column names (`_meta`):
- CACHE_GENERATION moves the cache's number on with every write readers could see (articles/caching.py);
- STORY_COUNTS keeps each entry's number of published stories in its row (articles/counting.py);
- SEARCH_INDEX, on SQLite, keeps the FTS5 index of the stories' text that articles/search.py queries;
- SEARCH_DOCUMENT, on PostgreSQL, keeps each story's weighted tsvector (column and index: migration 0005).

`ensure`, which migrate runs after every migration (articles/signals.py), compares what the database holds
with what each set would create, and replaces only a set that differs (missing, changed, or left over from
older code); it then repairs what that set keeps (recounts, rebuilds the index), since writes made while it
was missing were missed. A `migrate` that changed nothing reads two catalog queries and writes no trigger.
SQLite keeps the text of each statement (sqlite_master.sql), which is compared as it is; on PostgreSQL each
object carries a comment with a digest of the statement that created it.

Why not in migrations: SQLite rebuilds a table for most schema changes, which drops the triggers on it, and
refuses to rename the rebuilt table into place while another table's trigger names it. Every later migration
that touches one of these tables would then have to take the triggers out and put them back, and one that
forgot would lose them without a word. So they are taken out before this app's migrations run on SQLite and
put back after (articles/signals.py); migrations only drop them on the way back, before what they use goes.
Why not django-pgtrigger: it serves PostgreSQL only, and SQLite would still need all of this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction

from . import counting, search
from .caching import MARK_TABLE, MARKS_SETTING, WATCHED
from .models import Article, CacheGeneration, Status

# (kind, name, table): a trigger on its table, a function or a table (table "").
Key = tuple[str, str, str]
# Each table's columns, as the database has them now (a migrate back may have taken some away).
Schema = dict[str, set[str]]


@dataclass(frozen=True)
class Item:
    """One object a set creates: a trigger (on `table`), a function or a table, and its statement."""

    kind: str
    name: str
    sql: str
    table: str = ""

    @property
    def key(self) -> Key:
        return (self.kind, self.name, self.table)


@dataclass(frozen=True)
class TriggerSet:
    name: str
    # What the set creates on this connection and schema; nothing where it does not apply.
    items: Callable[[object, Schema], list[Item]]
    # Whether an object in the database is the set's (older versions' included, so that they are dropped).
    owns: Callable[[Key], bool]
    # What to recompute after (re)creating the set, as the writes made without it were missed.
    repair: Callable[[object], None] | None = None

    def install(self, using: str = "default") -> None:
        """Create the set afresh, whatever the database holds of it, and repair what it keeps."""
        connection = connections[using]
        _replace(self, connection, _catalog(connection), _schema(connection))

    def uninstall(self, using: str = "default") -> None:
        """Drop the set (migrations do, before the tables or columns it uses go)."""
        connection = connections[using]
        _drop(connection, [key for key in _catalog(connection) if self.owns(key)])


def ensure(using: str = "default") -> list[str]:
    """Replace every set the database does not hold exactly as it would be created; the names of those replaced."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return []
    found, schema = _catalog(connection), _schema(connection)
    replaced = []
    for trigger_set in SETS:
        expected = {item.key: _fingerprint(connection, item) for item in trigger_set.items(connection, schema)}
        held = {key: fingerprint for key, fingerprint in found.items() if trigger_set.owns(key)}
        if held != expected:
            _replace(trigger_set, connection, found, schema)
            replaced.append(trigger_set.name)
    return replaced


def uninstall(using: str = "default") -> None:
    """Drop every set (before this app's migrations run on SQLite; see the module's docstring)."""
    connection = connections[using]
    found = _catalog(connection)
    _drop(connection, [key for key in found if any(trigger_set.owns(key) for trigger_set in SETS)])


# --- Installing ---------------------------------------------------------------------------------------


def _replace(trigger_set: TriggerSet, connection, found: dict[Key, str], schema: Schema) -> None:
    items = trigger_set.items(connection, schema)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _drop(connection, [key for key in found if trigger_set.owns(key)])
        for item in items:
            cursor.execute(item.sql)
            if connection.vendor == "postgresql":
                cursor.execute(f"COMMENT ON {_target(connection, item.key)} IS '{_digest(item.sql)}'")
        if items and trigger_set.repair:
            trigger_set.repair(connection)


def _drop(connection, keys: list[Key]) -> None:
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    order = {"trigger": 0, "function": 1, "table": 2}
    with connection.cursor() as cursor:
        for key in sorted(keys, key=lambda key: order[key[0]]):
            kind, name = _target(connection, key).split(" ", 1)
            cursor.execute(f"DROP {kind} IF EXISTS {name}{cascade}")


def _target(connection, key: Key) -> str:
    """The object as DROP and COMMENT name it."""
    kind, name, table = key
    quote = connection.ops.quote_name
    if kind == "trigger" and connection.vendor == "postgresql":
        return f"TRIGGER {quote(name)} ON {quote(table)}"
    if kind == "function":
        return f"FUNCTION {quote(name)}()"
    return f"{kind.upper()} {quote(name)}"


def _digest(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()[:16]


def _fingerprint(connection, item: Item) -> str:
    return item.sql if connection.vendor == "sqlite" else _digest(item.sql)


def _catalog(connection) -> dict[Key, str]:
    """Every trigger, function and table of the database, with what tells its version (see the docstring)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'table')"
            )
            return {(kind, name, table if kind == "trigger" else ""): sql for kind, name, table, sql in cursor}
        if connection.vendor != "postgresql":
            return {}
        cursor.execute(
            "SELECT 'trigger', t.tgname, c.relname, obj_description(t.oid, 'pg_trigger') "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema()) "
            "UNION ALL SELECT 'function', p.proname, '', obj_description(p.oid, 'pg_proc') FROM pg_proc p "
            "WHERE p.pronamespace = to_regnamespace(current_schema()) "
            "UNION ALL SELECT 'table', c.relname, '', obj_description(c.oid, 'pg_class') FROM pg_class c "
            "WHERE c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema())"
        )
        return {(kind, name, table): comment for kind, name, table, comment in cursor}


def _schema(connection) -> Schema:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
                "WHERE m.type = 'table'"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema()) "
                "AND a.attnum > 0 AND NOT a.attisdropped"
            )
        else:
            return {}
        schema: Schema = {}
        for table, column in cursor:
            schema.setdefault(table, set()).add(column)
        return schema


def _column(model, field: str) -> str:
    return model._meta.get_field(field).column


# --- The cache generation (articles/caching.py) -------------------------------------------------------

NEXT_GENERATION = "articles_next_cache_generation"
COMMIT_GENERATION = "articles_commit_cache_generation"


def _cache_generation(connection, schema: Schema) -> list[Item]:
    quote = connection.ops.quote_name
    generation_table = CacheGeneration._meta.db_table
    if generation_table not in schema:
        return []  # migrated back to before 0006
    number = quote(_column(CacheGeneration, "number"))
    move_on = f"UPDATE {quote(generation_table)} SET {number} = {number} + 1;"
    # Only the tables there are: migrated back to before 0014, agreements have no events yet.
    watched = [model._meta.db_table for model in WATCHED if model._meta.db_table in schema]
    if connection.vendor == "sqlite":
        # SQLite has row triggers only, one event each; updating a one-row table is cheap enough per row.
        return [
            Item(
                "trigger",
                name := f"{table}_{event.lower()}_cache_generation",
                f"CREATE TRIGGER {quote(name)} AFTER {event} ON {quote(table)} BEGIN {move_on} END",
                table,
            )
            for table in watched
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    items = [
        # Unlogged: a mark lives only as long as its transaction, and is of no use after a crash.
        Item(
            "table",
            MARK_TABLE,
            f"CREATE UNLOGGED TABLE {MARK_TABLE} (txid bigint PRIMARY KEY, mark bigint NOT NULL)",
        ),
        # After each write statement (not each row: a merge moves thousands of tags in one UPDATE): count it,
        # and mark the transaction. The mark's event is queued after every event the statement queued, its
        # foreign-key checks included.
        Item(
            "function",
            NEXT_GENERATION,
            f"CREATE FUNCTION {NEXT_GENERATION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE mark bigint := coalesce(nullif(current_setting("
            f"'{MARKS_SETTING}', true), ''), '0')::bigint + 1; "
            f"BEGIN PERFORM set_config('{MARKS_SETTING}', mark::text, true); "
            f"INSERT INTO {MARK_TABLE} (txid, mark) VALUES (txid_current(), mark) "
            "ON CONFLICT (txid) DO UPDATE SET mark = EXCLUDED.mark; "
            "RETURN NULL; END $$",
        ),
        # At commit, deferred events run in the order they were queued; the latest mark's is the last one,
        # and only it moves the number on.
        Item(
            "function",
            COMMIT_GENERATION,
            f"CREATE FUNCTION {COMMIT_GENERATION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF NEW.mark::text = current_setting('{MARKS_SETTING}', true) THEN {move_on} "
            f"DELETE FROM {MARK_TABLE} WHERE txid = NEW.txid; "
            "END IF; RETURN NULL; END $$",
        ),
        Item(
            "trigger",
            f"{MARK_TABLE}_commit",
            f"CREATE CONSTRAINT TRIGGER {MARK_TABLE}_commit AFTER INSERT OR UPDATE ON {MARK_TABLE} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {COMMIT_GENERATION}()",
            MARK_TABLE,
        ),
    ]
    items += [
        Item(
            "trigger",
            name := f"{table}_cache_generation",
            f"CREATE TRIGGER {quote(name)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {NEXT_GENERATION}()",
            table,
        )
        for table in watched
    ]
    return items


CACHE_GENERATION = TriggerSet(
    "cache generation",
    _cache_generation,
    owns=lambda key: key[1].endswith("_cache_generation") or MARK_TABLE in (key[1], key[2]),
)


# --- The story counts (articles/counting.py) ----------------------------------------------------------

STATUS_STORY_COUNT = f"{Article._meta.app_label}_status_story_count"


def _count_names(connection, entry_model, through) -> dict:
    quote = connection.ops.quote_name
    return {
        "prefix": through._meta.db_table,
        "entries": quote(entry_model._meta.db_table),
        "entry_id": quote(entry_model._meta.pk.column),
        "count": quote(_column(entry_model, "story_count")),
        "tags": quote(through._meta.db_table),
        "tag_id": quote(_column(through, "tag")),
        "story_id": quote(_column(through, "content_object")),
        "stories": quote(Article._meta.db_table),
        "id": quote(Article._meta.pk.column),
        "status": quote(_column(Article, "status")),
        "published": Status.PUBLISHED.value,
    }


# SQLite has row triggers only.
SQLITE_COUNT_TRIGGERS = {
    "insert": """CREATE TRIGGER {prefix}_insert_story_count AFTER INSERT ON {tags}
WHEN (SELECT {status} FROM {stories} WHERE {id} = NEW.{story_id}) = '{published}'
BEGIN UPDATE {entries} SET {count} = {count} + 1 WHERE {entry_id} = NEW.{tag_id}; END""",
    "delete": """CREATE TRIGGER {prefix}_delete_story_count AFTER DELETE ON {tags}
WHEN (SELECT {status} FROM {stories} WHERE {id} = OLD.{story_id}) = '{published}'
BEGIN UPDATE {entries} SET {count} = {count} - 1 WHERE {entry_id} = OLD.{tag_id}; END""",
    "update": """CREATE TRIGGER {prefix}_update_story_count AFTER UPDATE OF {tag_id}, {story_id} ON {tags}
BEGIN
  UPDATE {entries} SET {count} = {count} - 1 WHERE {entry_id} = OLD.{tag_id}
    AND (SELECT {status} FROM {stories} WHERE {id} = OLD.{story_id}) = '{published}';
  UPDATE {entries} SET {count} = {count} + 1 WHERE {entry_id} = NEW.{tag_id}
    AND (SELECT {status} FROM {stories} WHERE {id} = NEW.{story_id}) = '{published}';
END""",
    "status": """CREATE TRIGGER {prefix}_status_story_count AFTER UPDATE OF {status} ON {stories}
WHEN (OLD.{status} = '{published}') <> (NEW.{status} = '{published}')
BEGIN
  UPDATE {entries} SET {count} = {count} + (CASE WHEN NEW.{status} = '{published}' THEN 1 ELSE -1 END)
  WHERE {entry_id} IN (SELECT {tag_id} FROM {tags} WHERE {story_id} = NEW.{id});
END""",
}

# PostgreSQL: statement triggers with transition tables, so that a bulk insert of thousands of tag rows moves
# each entry's count once, by the number of its rows, instead of once per row.
POSTGRESQL_COUNT_FUNCTION = """CREATE FUNCTION {prefix}_story_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE {entries} AS entry SET {count} = entry.{count} + moved.n
    FROM (SELECT tagged.{tag_id}, count(*) AS n FROM new_rows AS tagged
          JOIN {stories} AS story ON story.{id} = tagged.{story_id}
          WHERE story.{status} = '{published}' GROUP BY tagged.{tag_id}) AS moved
    WHERE entry.{entry_id} = moved.{tag_id};
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {entries} AS entry SET {count} = entry.{count} - moved.n
    FROM (SELECT tagged.{tag_id}, count(*) AS n FROM old_rows AS tagged
          JOIN {stories} AS story ON story.{id} = tagged.{story_id}
          WHERE story.{status} = '{published}' GROUP BY tagged.{tag_id}) AS moved
    WHERE entry.{entry_id} = moved.{tag_id};
  END IF;
  RETURN NULL;
END $$"""

POSTGRESQL_COUNT_TRIGGERS = {
    "insert": "AFTER INSERT ON {tags} REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON {tags} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON {tags} REFERENCING OLD TABLE AS old_rows",
}

# One statement per vocabulary, run by one trigger on the stories table.
POSTGRESQL_STATUS_UPDATE = """
    UPDATE {entries} AS entry SET {count} = entry.{count} + moved.n
    FROM (SELECT tag.{tag_id}, sum(CASE WHEN new_story.{status} = '{published}' THEN 1 ELSE -1 END) AS n
          FROM old_rows AS old_story JOIN new_rows AS new_story ON new_story.{id} = old_story.{id}
          JOIN {tags} AS tag ON tag.{story_id} = new_story.{id}
          WHERE (old_story.{status} = '{published}') <> (new_story.{status} = '{published}')
          GROUP BY tag.{tag_id}) AS moved
    WHERE entry.{entry_id} = moved.{tag_id};"""


def _story_counts(connection, schema: Schema) -> list[Item]:
    stories = Article._meta.db_table
    vocabularies = [
        _count_names(connection, model, through)
        for model, through in counting.vocabularies()
        # Migrated back to before 0008, the entries have no counts.
        if _column(model, "story_count") in schema.get(model._meta.db_table, ())
    ]
    items = []
    for names in vocabularies:
        prefix = tags = names["prefix"]  # the tag table's name, unquoted
        if connection.vendor == "sqlite":
            items += [
                Item(
                    "trigger",
                    f"{prefix}_{event}_story_count",
                    sql.format(**names),
                    stories if event == "status" else tags,
                )
                for event, sql in SQLITE_COUNT_TRIGGERS.items()
            ]
        else:
            items.append(Item("function", f"{prefix}_story_count", POSTGRESQL_COUNT_FUNCTION.format(**names)))
            items += [
                Item(
                    "trigger",
                    f"{prefix}_{event}_story_count",
                    f"CREATE TRIGGER {prefix}_{event}_story_count {when.format(**names)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_story_count()",
                    tags,
                )
                for event, when in POSTGRESQL_COUNT_TRIGGERS.items()
            ]
    if vocabularies and connection.vendor == "postgresql":
        updates = "".join(POSTGRESQL_STATUS_UPDATE.format(**names) for names in vocabularies)
        items += [
            Item(
                "function",
                STATUS_STORY_COUNT,
                f"CREATE FUNCTION {STATUS_STORY_COUNT}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {updates} RETURN NULL; END $$",
            ),
            Item(
                "trigger",
                STATUS_STORY_COUNT,
                f"CREATE TRIGGER {STATUS_STORY_COUNT} AFTER UPDATE ON {connection.ops.quote_name(stories)} "
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {STATUS_STORY_COUNT}()",
                stories,
            ),
        ]
    return items


STORY_COUNTS = TriggerSet(
    "story counts",
    _story_counts,
    owns=lambda key: key[1].endswith("_story_count"),
    repair=lambda connection: counting.recount(connection.alias),
)


# --- Search (articles/search.py) ----------------------------------------------------------------------


def _search_names(connection) -> dict:
    quote = connection.ops.quote_name
    columns = [quote(_column(Article, field)) for field, _weight in search.WEIGHTS]
    return {
        "stories": quote(Article._meta.db_table),
        "id": quote(Article._meta.pk.column),
        "columns": ", ".join(columns),
        "new": ", ".join(f"new.{column}" for column in columns),
        "old": ", ".join(f"old.{column}" for column in columns),
        "index": search.SQLITE_INDEX,
    }


def _search_index(connection, schema: Schema) -> list[Item]:
    """SQLite: an external-content FTS5 table, holding the index only and reading the text from the stories."""
    if connection.vendor != "sqlite" or Article._meta.db_table not in schema:
        return []
    names = _search_names(connection)
    index = search.SQLITE_INDEX
    insert = "INSERT INTO {index} (rowid, {columns}) VALUES (new.{id}, {new});".format(**names)
    delete = "INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', old.{id}, {old});".format(**names)
    return [
        Item(
            "table",
            index,
            f"CREATE VIRTUAL TABLE {index} USING fts5({names['columns']}, "
            f"content='{Article._meta.db_table}', content_rowid='{Article._meta.pk.column}', "
            "tokenize='unicode61 remove_diacritics 2')",
        ),
        Item(
            "trigger",
            f"{index}_insert",
            f"CREATE TRIGGER {index}_insert AFTER INSERT ON {names['stories']} BEGIN {insert} END",
            Article._meta.db_table,
        ),
        Item(
            "trigger",
            f"{index}_delete",
            f"CREATE TRIGGER {index}_delete AFTER DELETE ON {names['stories']} BEGIN {delete} END",
            Article._meta.db_table,
        ),
        Item(
            "trigger",
            f"{index}_update",
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names['columns']} ON {names['stories']} "
            f"BEGIN {delete} {insert} END",
            Article._meta.db_table,
        ),
    ]


def _rebuild_search_index(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {search.SQLITE_INDEX} ({search.SQLITE_INDEX}) VALUES ('rebuild')")


SEARCH_INDEX = TriggerSet(
    "search index",
    _search_index,
    owns=lambda key: (
        key[1] == search.SQLITE_INDEX or (key[0] == "trigger" and key[1].startswith(f"{search.SQLITE_INDEX}_"))
    ),
    repair=_rebuild_search_index,
)

SEARCH_DOCUMENT_FUNCTION = f"{Article._meta.db_table}_search_document"


def _document(connection, row: str) -> str:
    """The weighted tsvector of a story's text; `row` is "NEW." inside the trigger."""
    columns = [(connection.ops.quote_name(_column(Article, field)), weight) for field, weight in search.WEIGHTS]
    return " || ".join(
        f"setweight(to_tsvector('{search.CONFIG}', coalesce({row}{column}, '')), '{weight}')"
        for column, weight in columns
    )


def _search_document(connection, schema: Schema) -> list[Item]:
    """PostgreSQL: a trigger, not Django code, fills the column, so every way a story is written keeps it current.

    A trigger, not a generated column, because PostgreSQL refuses to change the type of a column a generated
    column reads.
    """
    if connection.vendor != "postgresql" or search.DOCUMENT not in schema.get(Article._meta.db_table, ()):
        return []  # migrated back to before 0005
    names = _search_names(connection)
    name = SEARCH_DOCUMENT_FUNCTION
    return [
        Item(
            "function",
            name,
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.{search.DOCUMENT} := {_document(connection, 'NEW.')}; RETURN NEW; END $$",
        ),
        Item(
            "trigger",
            name,
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {names['columns']} ON {names['stories']} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            Article._meta.db_table,
        ),
    ]


def _fill_search_documents(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Article._meta.db_table)} "
            f"SET {search.DOCUMENT} = {_document(connection, '')}"
        )


SEARCH_DOCUMENT = TriggerSet(
    "search document",
    _search_document,
    owns=lambda key: key[1] == SEARCH_DOCUMENT_FUNCTION,
    repair=_fill_search_documents,
)

SETS = (SEARCH_INDEX, SEARCH_DOCUMENT, STORY_COUNTS, CACHE_GENERATION)
