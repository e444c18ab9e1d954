"""Editors merge and edit while an import runs, on PostgreSQL: no file and no editor action fails (issue 12).

One thread imports a few hundred synthetic stories in small batches, through the importer's own batch path;
another, as an editor, merges officials the importer already knows into new entries (so the importer's
vocabulary still names the merged ones), edits stories' countries and publishes or unpublishes stories, each
action one transaction, until the import ends. bench/concurrent.py runs the same at a larger size.
"""

import threading

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from articles import caching, importing
from articles.ingest import parsing
from articles.merging import merge_entries
from articles.models import Article, CacheGeneration, Official, OfficialAlias, TaggedOfficial
from bench.concurrent import editor_loop, write_files

from .factories import make_article, make_staff

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one transaction write at a time, so its writers queue and never deadlock; "
    "the fault and the fix are PostgreSQL's (CI runs this with DATABASE_URL set)",
)

FIRST, MORE, BATCH = 60, 300, 20


def import_files(importer, paths) -> list:
    items = [(path.name, parsing.parse_file_or_reason(path)) for path in paths]
    results = []
    for start in range(0, len(items), BATCH):
        results += importer.import_batch(items[start : start + BATCH])
    return results


@committing
@postgresql_only
def test_an_import_and_an_editor_s_merges_and_edits_all_succeed(tmp_path):
    first = write_files(tmp_path / "first", range(FIRST))
    more = write_files(tmp_path / "more", range(FIRST, FIRST + MORE))
    assert not [r for r in import_files(importing.Importer(), first) if isinstance(r, Exception)]
    editor = make_staff("desk", editor=True)
    importer = importing.Importer()  # its vocabulary is read now, before any merge
    stop, outcome = threading.Event(), {}

    def edit():
        outcome["tally"] = editor_loop(stop, editor, seed=3, pause=0.005)

    def run_import():
        try:
            outcome["results"] = import_files(importer, more)
        finally:
            stop.set()
            connections.close_all()

    threads = [threading.Thread(target=edit), threading.Thread(target=run_import)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    failed = [
        f"{path.name}: {r}" for path, r in zip(more, outcome["results"], strict=True) if isinstance(r, Exception)
    ]
    tally = outcome["tally"]
    assert failed == []
    assert tally.failed == {}, tally.errors[:3]
    # The editor did merge during the import (the test would prove nothing otherwise).
    assert tally.done["merge"] >= 5
    assert Article.objects.count() == FIRST + MORE
    # Every story still names its officials: those merged away are now their survivors, under the old names.
    assert OfficialAlias.objects.filter(former_slug__gt="").count() >= tally.done["merge"]
    assert not TaggedOfficial.objects.exclude(tag__in=Official.objects.all()).exists()
    assert TaggedOfficial.objects.filter(content_object__source_file=more[-1].name).exists()


def raw_connection():
    """A connection of its own to the test database, as psql or another program would open it."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=False,
    )


def committed_number() -> int:
    return CacheGeneration.objects.get().number


@committing
@postgresql_only
def test_a_writing_transaction_locks_nothing_others_wait_for_and_moves_the_generation_at_commit():
    story = make_article()
    other = make_article()
    before = committed_number()
    with raw_connection() as long, raw_connection() as quick:
        # A long transaction (an import batch) writes first and stays open.
        long.execute("UPDATE articles_article SET standfirst = 'long' WHERE id = %s", [story.pk])
        # Another writer is not made to wait for it (it would time out here).
        quick.execute("SET lock_timeout = '1s'")
        quick.execute("UPDATE articles_article SET standfirst = 'quick' WHERE id = %s", [other.pk])
        quick.commit()
        # Each commit moves the number on once, when it happens: the open transaction's write is not counted yet.
        assert committed_number() == before + 1
        long.commit()
        assert committed_number() == before + 2
    # Raw SQL from outside Django counted like any write.
    story.refresh_from_db()
    assert story.standfirst == "long"


@committing
@postgresql_only
def test_inside_a_writing_transaction_the_generation_names_the_transaction():
    with raw_connection() as writer:
        writer.execute("UPDATE articles_cachegeneration SET number = number")  # no mark: not a watched table
        writer.execute("UPDATE articles_country SET story_count = story_count WHERE iso_code = 'IN'")
        number, marks, txid = writer.execute(
            "SELECT number, current_setting('articles.cache_marks', true), txid_current_if_assigned() "
            "FROM articles_cachegeneration"
        ).fetchone()
        assert marks == "1" and txid is not None
        writer.rollback()
    # Rolled back: nothing moved, and no mark is left behind.
    assert caching.generation() == str(committed_number())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {caching.MARK_TABLE}")
        assert cursor.fetchone()[0] == 0


class DriverError(Exception):
    """What psycopg raises, under the error Django raises: it carries the SQLSTATE."""

    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def refused(sqlstate: str, message: str) -> OperationalError:
    error = OperationalError(message)
    error.__cause__ = DriverError(sqlstate)
    return error


def deadlock() -> OperationalError:
    return refused("40P01", "deadlock detected")


@pytest.mark.django_db
def test_a_batch_that_meets_a_deadlock_is_tried_again_as_a_batch(monkeypatch, seeds_dir):
    monkeypatch.setattr(importing, "RETRY_PAUSE", 0)
    importer = importing.Importer()
    real, calls = importer._import_batch, []

    def flaky(items):
        calls.append(len(items))
        if len(calls) == 1:
            make_article(headline="Written before the deadlock")  # rolled back with the batch
            raise deadlock()
        return real(items)

    monkeypatch.setattr(importer, "_import_batch", flaky)
    monkeypatch.setattr(importer, "_one_by_one", lambda items: pytest.fail("the batch was split up"))
    items = [(path.name, parsing.parse_file_or_reason(path)) for path in sorted(seeds_dir.glob("*.txt"))]
    results = importer.import_batch(items)
    assert calls == [len(items), len(items)]
    assert all(result.outcome == importing.Outcome.CREATED for result in results)
    assert not Article.objects.filter(headline="Written before the deadlock").exists()


@pytest.mark.django_db
def test_retries_are_bounded_and_other_errors_are_not_retried(monkeypatch, seeds_dir):
    monkeypatch.setattr(importing, "RETRY_PAUSE", 0)
    importer = importing.Importer()
    calls = []

    def always(error):
        def write(items):
            calls.append(1)
            raise error

        return write

    path = next(iter(sorted(seeds_dir.glob("*.txt"))))
    items = [(path.name, parsing.parse_file_or_reason(path))]
    monkeypatch.setattr(importer, "_one_by_one", lambda items: ["one by one"])
    monkeypatch.setattr(importer, "_import_batch", always(deadlock()))
    assert importer.import_batch(items) == ["one by one"]
    assert len(calls) == importing.RETRIES + 1
    calls.clear()
    monkeypatch.setattr(importer, "_import_batch", always(OperationalError("disk full")))
    assert importer.import_batch(items) == ["one by one"]
    assert len(calls) == 1
    # A lock an editor holds: tried again for LOCK_PATIENCE seconds, however many times that is.
    calls.clear()
    clock = iter(range(0, 1000, 10))
    monkeypatch.setattr(importing.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(importing, "LOCK_PATIENCE", 35)
    monkeypatch.setattr(
        importer, "_import_batch", always(refused("55P03", "canceling statement due to lock timeout"))
    )
    assert importer.import_batch(items) == ["one by one"]
    assert len(calls) == 4  # at 10, 20, 30 and 40 s of a deadline at 35
    assert importer.retries == {"40P01": importing.RETRIES, "55P03": 3}


@pytest.mark.django_db
@pytest.mark.parametrize("batch", [False, True], ids=["one file", "a batch"])
def test_an_official_merged_away_after_the_vocabulary_was_read_is_tagged_as_its_survivor(batch, monkeypatch):
    monkeypatch.setattr(importing.Importer, "_one_by_one", lambda self, items: pytest.fail("the batch failed"))
    known = Official.objects.get(name="Rajnath Singh")
    importer = importing.Importer()  # reads the vocabulary, which names Rajnath Singh by his id
    survivor = Official.objects.create(name="Rajnath Singh (Defence)", role=known.role, country=known.country)
    merge_entries(survivor, [known], user=make_staff("desk", editor=True))
    text = " date 2026-01-05 New Delhi, Jan 5 Defence Minister Rajnath Singh met his Moroccan counterpart.\n"
    parsed = parsing.parse_article(text.encode())
    if batch:
        [result] = importer.import_batch([("visit.txt", parsed)])
    else:
        result = importer.import_parsed(parsed, "visit.txt")
    assert list(result.article.officials.all()) == [survivor]
