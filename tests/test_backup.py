"""Backups taken while the site runs restore to a working site (issue 12, item 7; README "Backups").

SQLite: a database file of its own, set up and checked by the real commands in other processes, backed up by
`manage.py backup` while another connection holds a write open, restored by putting the copy in place, and
brought up with `manage.py migrate`, as the README says. PostgreSQL: the test database backed up with
`manage.py backup` (pg_dump -Fc) and restored with pg_restore into a scratch database.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import CacheGeneration

from .conftest import SEEDS
from .factories import country, make_article, make_official

ROOT = Path(__file__).resolve().parent.parent

# What the checks read, run by `manage.py shell` against a database: stories, tags and counts, then whether the
# triggers still count (a tag added to a published story, the generation after a committed write).
CHECK = """
WRITE = True
import json
from articles import caching, counting
from articles.models import Article, CacheGeneration, Country, TaggedCountry
stories = Article.objects.count()
tags = TaggedCountry.objects.count()
counts = dict(Country.objects.filter(story_count__gt=0).values_list("iso_code", "story_count"))
before = CacheGeneration.objects.get().number
story = Article.objects.published().exclude(countries__iso_code="JP").first()
japan = Country.objects.get(iso_code="JP")
if WRITE:
    TaggedCountry.objects.create(content_object=story, tag=japan)
after = CacheGeneration.objects.get().number
japan.refresh_from_db()
moved = japan.story_count == counts.get("JP", 0) + 1
print(json.dumps({"stories": stories, "tags": tags, "counts": counts, "generation": before,
                  "generation_moved": after > before, "japan_count_moved": moved,
                  "headlines": sorted(Article.objects.values_list("headline", flat=True))}))
"""


def checked(database: Path) -> dict:
    """What CHECK found (its last line: the site may have printed something before)."""
    return json.loads(manage(database, "shell", "-c", CHECK).strip().splitlines()[-1])


def manage(database: Path, *args: str, stdin: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": "test-only",
        "DJANGO_SETTINGS_MODULE": "ties_cms.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_sqlite_backup_taken_in_use_restores_stories_tags_counts_and_triggers(tmp_path):
    live = tmp_path / "live.sqlite3"
    manage(live, "migrate", "-v0")
    manage(live, "import_articles", str(SEEDS), "-v0")
    out = manage(live, "shell", "-c", CHECK.replace("WRITE = True", "WRITE = False"))
    expected = json.loads(out.strip().splitlines()[-1])

    # In use: another connection is halfway through a write when the backup runs.
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE articles_article SET headline = 'Not committed when the backup ran'")
    copy = tmp_path / "backup.sqlite3"
    assert "backed up sqlite" in manage(live, "backup", str(copy))
    writer.execute("COMMIT")
    writer.close()
    live_generation = checked(live)["generation"]

    # Restore: the copy in place of the database (the site stopped), then migrate.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(copy, restored)
    manage(restored, "migrate", "-v0")
    found = checked(restored)
    assert found["stories"] == expected["stories"] == len(list(SEEDS.glob("*.txt")))
    assert found["headlines"] == expected["headlines"]
    assert "Not committed when the backup ran" not in found["headlines"]
    assert found["tags"] == expected["tags"] > 0
    assert found["counts"] == expected["counts"] and found["counts"]["IN"] > 0
    assert found["japan_count_moved"] and found["generation_moved"]
    # Pages cached from the live site after the backup are under numbers the restored site never reaches.
    assert found["generation"] > live_generation


def test_backup_refuses_to_overwrite_and_names_a_missing_folder(tmp_path):
    existing = tmp_path / "there.dump"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "keep me"
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup", str(tmp_path / "missing" / "x.dump"))


def scratch_connection(dbname: str):
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_dump/pg_restore are not on PATH")
def test_a_postgresql_backup_restores_into_a_scratch_database_with_its_triggers(tmp_path):
    story = make_article(headline="Rabat and Delhi sign a pact")
    story.countries.add(country("MA"), country("IN"))
    story.officials.add(make_official("Amina Bennani-Test"))
    dump = tmp_path / "ties.dump"
    call_command("backup", str(dump))
    scratch = f"{connection.settings_dict['NAME']}_restore"
    with scratch_connection("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        settings = connection.settings_dict
        restore = ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", scratch, str(dump)]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                restore += [option, str(settings[key])]
        subprocess.run(restore, check=True, capture_output=True, text=True)
        with scratch_connection(scratch) as restored:
            assert restored.execute("SELECT headline FROM articles_article").fetchall() == [(story.headline,)]
            assert restored.execute(
                "SELECT story_count FROM articles_country WHERE iso_code = 'MA'"
            ).fetchone() == (1,)
            assert restored.execute("SELECT count(*) FROM articles_taggedofficial").fetchone() == (1,)
            number = restored.execute("SELECT number FROM articles_cachegeneration").fetchone()[0]
            assert number == CacheGeneration.objects.get().number
            # The triggers came with the dump: a committed tag moves the count and the generation.
            restored.execute(
                "INSERT INTO articles_taggedcountry (content_object_id, tag_id, origin, evidence, needs_review) "
                "SELECT %s, id, 'editor', '', false FROM articles_country WHERE iso_code = 'JP'",
                [story.pk],
            )
            assert restored.execute(
                "SELECT story_count FROM articles_country WHERE iso_code = 'JP'"
            ).fetchone() == (1,)
            assert restored.execute("SELECT number FROM articles_cachegeneration").fetchone()[0] == number + 1
    finally:
        with scratch_connection("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
