"""Each entry's number of published stories, kept in its row (`story_count`) by database triggers.

Lists show these numbers everywhere: the home page, the story list's filter form, the entry indexes, the API
and the admin. Counting tag rows for them is a pass over the whole archive; kept in the row, they cost
nothing to read, and the first page after a write no longer waits for them.

Triggers keep them right inside the writing transaction, whoever writes: the importer's bulk inserts, a
merge's UPDATE of tag rows, the admin's bulk publish, QuerySet.update(), raw SQL. A count moves when
- a tag row of a published story is added or removed;
- a tag row moves to another entry or story (merges do this);
- a story is published or unpublished (each of its entries moves).
A story's tag rows go before the story does (Django deletes them first), while it still counts.

As with the cache generation's triggers (articles/caching.py), a post_migrate handler creates them after every
migrate, because SQLite drops a table's triggers when a migration rebuilds it; `recount` then recomputes every
number from the tag rows, so that nothing written while the triggers were missing stays wrong.
"""

from django.db import connections
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import triggers
from .models import VOCABULARIES, Article, Status

PUBLISHED = Status.PUBLISHED.value


def vocabularies():
    """(entry model, tag through model) for each vocabulary."""
    for vocabulary in VOCABULARIES:
        yield vocabulary.entry, vocabulary.through


def recount(using: str = "default") -> None:
    """Recompute every entry's count from its tag rows."""
    for model, through in vocabularies():
        counts = (
            through.objects.using(using)
            .filter(tag=OuterRef("pk"), content_object__status=PUBLISHED)
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values("count")
        )
        model.objects.using(using).update(story_count=Coalesce(Subquery(counts), 0))


def _names(connection, model, through) -> dict:
    quote = connection.ops.quote_name
    return {
        "entries": quote(model._meta.db_table),
        "tags": quote(through._meta.db_table),
        "stories": quote(Article._meta.db_table),
        "prefix": through._meta.db_table,
        "published": PUBLISHED,
    }


# SQLite has row triggers only.
SQLITE_TAG_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS {prefix}_insert_story_count AFTER INSERT ON {tags}
WHEN (SELECT status FROM {stories} WHERE id = NEW.content_object_id) = '{published}'
BEGIN UPDATE {entries} SET story_count = story_count + 1 WHERE id = NEW.tag_id; END;

CREATE TRIGGER IF NOT EXISTS {prefix}_delete_story_count AFTER DELETE ON {tags}
WHEN (SELECT status FROM {stories} WHERE id = OLD.content_object_id) = '{published}'
BEGIN UPDATE {entries} SET story_count = story_count - 1 WHERE id = OLD.tag_id; END;

CREATE TRIGGER IF NOT EXISTS {prefix}_update_story_count AFTER UPDATE OF tag_id, content_object_id ON {tags}
BEGIN
  UPDATE {entries} SET story_count = story_count - 1 WHERE id = OLD.tag_id
    AND (SELECT status FROM {stories} WHERE id = OLD.content_object_id) = '{published}';
  UPDATE {entries} SET story_count = story_count + 1 WHERE id = NEW.tag_id
    AND (SELECT status FROM {stories} WHERE id = NEW.content_object_id) = '{published}';
END;

CREATE TRIGGER IF NOT EXISTS {prefix}_status_story_count AFTER UPDATE OF status ON {stories}
WHEN (OLD.status = '{published}') <> (NEW.status = '{published}')
BEGIN
  UPDATE {entries} SET story_count = story_count + (CASE WHEN NEW.status = '{published}' THEN 1 ELSE -1 END)
  WHERE id IN (SELECT tag_id FROM {tags} WHERE content_object_id = NEW.id);
END
"""

# PostgreSQL: statement triggers with transition tables, so that a bulk insert of thousands of tag rows moves
# each entry's count once, by the number of its rows, instead of once per row.
POSTGRESQL_TAG_FUNCTION = """
CREATE OR REPLACE FUNCTION {prefix}_story_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE {entries} AS entry SET story_count = entry.story_count + moved.n
    FROM (SELECT tagged.tag_id, count(*) AS n FROM new_rows AS tagged
          JOIN {stories} AS story ON story.id = tagged.content_object_id
          WHERE story.status = '{published}' GROUP BY tagged.tag_id) AS moved
    WHERE entry.id = moved.tag_id;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {entries} AS entry SET story_count = entry.story_count - moved.n
    FROM (SELECT tagged.tag_id, count(*) AS n FROM old_rows AS tagged
          JOIN {stories} AS story ON story.id = tagged.content_object_id
          WHERE story.status = '{published}' GROUP BY tagged.tag_id) AS moved
    WHERE entry.id = moved.tag_id;
  END IF;
  RETURN NULL;
END $$
"""

POSTGRESQL_TAG_TRIGGERS = [
    "DROP TRIGGER IF EXISTS {prefix}_insert_story_count ON {tags}",
    "CREATE TRIGGER {prefix}_insert_story_count AFTER INSERT ON {tags} REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_story_count()",
    "DROP TRIGGER IF EXISTS {prefix}_update_story_count ON {tags}",
    "CREATE TRIGGER {prefix}_update_story_count AFTER UPDATE ON {tags} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_story_count()",
    "DROP TRIGGER IF EXISTS {prefix}_delete_story_count ON {tags}",
    "CREATE TRIGGER {prefix}_delete_story_count AFTER DELETE ON {tags} REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_story_count()",
]

# One statement per vocabulary, run by one trigger on the stories table.
POSTGRESQL_STATUS_UPDATE = """
    UPDATE {entries} AS entry SET story_count = entry.story_count + moved.n
    FROM (SELECT tag.tag_id, sum(CASE WHEN new_story.status = '{published}' THEN 1 ELSE -1 END) AS n
          FROM old_rows AS old_story JOIN new_rows AS new_story ON new_story.id = old_story.id
          JOIN {tags} AS tag ON tag.content_object_id = new_story.id
          WHERE (old_story.status = '{published}') <> (new_story.status = '{published}')
          GROUP BY tag.tag_id) AS moved
    WHERE entry.id = moved.tag_id;
"""

POSTGRESQL_STATUS_TRIGGER = [
    "CREATE OR REPLACE FUNCTION articles_status_story_count() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN {updates} RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS articles_status_story_count ON {stories}",
    "CREATE TRIGGER articles_status_story_count AFTER UPDATE ON {stories} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_status_story_count()",
]


def install_triggers(using: str = "default") -> None:
    """Create the triggers that keep the counts; safe to run again (after every migrate)."""
    connection = connections[using]
    statements = []
    if connection.vendor == "sqlite":
        for model, through in vocabularies():
            statements += SQLITE_TAG_TRIGGERS.format(**_names(connection, model, through)).split(";\n\n")
    elif connection.vendor == "postgresql":
        updates = []
        for model, through in vocabularies():
            names = _names(connection, model, through)
            statements.append(POSTGRESQL_TAG_FUNCTION.format(**names))
            statements += [statement.format(**names) for statement in POSTGRESQL_TAG_TRIGGERS]
            updates.append(POSTGRESQL_STATUS_UPDATE.format(**names))
        stories = connection.ops.quote_name(Article._meta.db_table)
        statements += [
            statement.format(updates="".join(updates), stories=stories) for statement in POSTGRESQL_STATUS_TRIGGER
        ]
    else:
        return
    triggers.run(using, statements)


def uninstall_triggers(using: str = "default") -> None:
    """Drop the triggers (before the counts' columns go, when their migration is reversed)."""
    functions = [f"{through._meta.db_table}_story_count" for _model, through in vocabularies()]
    triggers.drop(using, suffix="_story_count", functions=[*functions, "articles_status_story_count"])
