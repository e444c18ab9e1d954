"""Back up the site's database to one file while the site runs (README, "Backups").

- SQLite: Python's sqlite3 online backup API copies the database into FILE, a consistent copy of what was
  committed when it began, while readers and writers carry on (WAL mode). FILE is itself an
  SQLite database: restoring is putting it in place of db.sqlite3 (site stopped), then `manage.py migrate`.
- PostgreSQL: `pg_dump --format=custom` into FILE (one consistent snapshot; the writers are not blocked).
  Restore it with `pg_restore`, then `manage.py migrate`.

`migrate` after a restore puts back any trigger the copy lacks (recounting what it keeps) and starts a new
cache generation from the clock, so that no page cached after the backup is served from the restored data.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Write a consistent copy of the database to FILE while the site runs (SQLite file or pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args, file: Path, force: bool, **options):
        if file.exists() and not force:
            raise CommandError(f"{file}: already exists (--force replaces it)", returncode=2)
        if not file.parent.is_dir():
            raise CommandError(f"{file.parent}: no such folder", returncode=2)
        if connection.vendor == "sqlite":
            self.sqlite(file)
        elif connection.vendor == "postgresql":
            self.postgresql(file)
        else:
            raise CommandError(f"backup does not know how to back up {connection.vendor}")
        self.stdout.write(self.style.SUCCESS(f"backed up {connection.vendor} to {file}"))

    def sqlite(self, file: Path):
        source = connection.settings_dict["NAME"]
        if str(source) == ":memory:" or "mode=memory" in str(source):
            raise CommandError("an in-memory SQLite database has nothing to back up")
        partial = file.with_name(file.name + ".partial")
        partial.unlink(missing_ok=True)
        # A connection of its own: Django's may be inside a transaction, and the copy must see only commits.
        reader, target = sqlite3.connect(source), sqlite3.connect(partial)
        try:
            # In one step: one read transaction, which in WAL mode blocks no writer, so the copy is what was
            # committed when it began (in steps, every write meanwhile would start it again).
            reader.backup(target)
            result = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            reader.close()
            target.close()
        if result != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"the copy failed its integrity check: {result}")
        partial.replace(file)

    def postgresql(self, file: Path):
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not on PATH (Debian: apt-get install postgresql-client)")
        settings = connection.settings_dict
        env = os.environ.copy()
        if settings.get("PASSWORD"):
            env["PGPASSWORD"] = settings["PASSWORD"]
        command = [pg_dump, "--format=custom", "--file", str(file), "--dbname", settings["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command += [option, str(settings[key])]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            file.unlink(missing_ok=True)
            message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
            raise CommandError(f"pg_dump failed: {message}")
