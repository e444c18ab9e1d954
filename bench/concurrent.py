"""An import while an editor merges and edits, on PostgreSQL: how many files and editor actions fail.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ties_bench_concurrent \
        .venv/bin/python -m bench.concurrent --files 3000 --trials 3

Each trial (re)creates the database the URL names (its name must start with `ties_bench`), migrates it,
imports a first part of a synthetic archive (so that there are officials to merge), then runs
`manage.py import_articles` on the rest in another process while this one, as an editor, loops until the import
ends: merges an official the importer already knows into a new entry (so the importer's vocabulary still names
the merged one), edits a story's standfirst and countries, and publishes or unpublishes a story. It prints the
failed files by reason and the editor's actions, done and failed, by reason. tests/test_concurrent_editing.py
runs the same loop at a small size.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Tally:
    done: collections.Counter = field(default_factory=collections.Counter)
    failed: collections.Counter = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")  # the longest an action took, and which
    times: list[float] = field(default_factory=list)  # when each action ended (time.monotonic())

    def line(self) -> str:
        done = ", ".join(f"{n} {kind}" for kind, n in sorted(self.done.items())) or "none"
        failed = ", ".join(f"{n} {kind}" for kind, n in sorted(self.failed.items())) or "none"
        return f"editor actions done: {done}; failed: {failed}; slowest: {self.slowest[1]} {self.slowest[0]:.2f} s"


def reason(error: BaseException) -> str:
    """A short class for a database error: deadlock, serialization, foreign key, or its first words."""
    text = str(error)
    for needle, name in (
        ("deadlock detected", "deadlock"),
        ("could not serialize", "serialization failure"),
        ("foreign key", "foreign key violation"),
        ("no longer exists", "entry merged meanwhile"),
    ):
        if needle in text:
            return name
    return f"{type(error).__name__}: {text.strip().splitlines()[0][:80] if text.strip() else ''}"


def write_files(folder: Path, numbers: range) -> list[Path]:
    from articles import synthetic

    people = synthetic.cast()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in numbers:
        path = folder / f"story_{number:06d}.txt"
        path.write_text(synthetic.story(number, people, datetime.date(2020, 1, 1)), encoding="utf-8")
        paths.append(path)
    return paths


def editor_loop(stop: threading.Event, user, *, seed: int = 1, pause: float = 0.0) -> Tally:
    """Merge, edit and publish until `stop` is set; each action is one transaction, as in the admin."""
    from django.db import connection, transaction

    from articles.merging import merge_entries
    from articles.models import Article, Country, Official, Status, TaggedCountry

    rng = random.Random(seed)
    tally = Tally()
    countries = list(Country.objects.values_list("pk", flat=True))
    copies = 0
    try:
        while not stop.is_set():
            action = rng.choice(("merge", "merge", "edit", "publish"))
            began = time.monotonic()
            try:
                if action == "merge":
                    known = list(Official.objects.filter(story_count__gt=0).values_list("pk", flat=True))
                    if not known:
                        continue
                    merged = Official.objects.get(pk=rng.choice(known))
                    copies += 1
                    # The survivor is new, so the importer's vocabulary still has the merged entry's id.
                    survivor = Official.objects.create(
                        name=f"{merged.name.split(' (')[0]} ({copies})", role=merged.role, country=merged.country
                    )
                    merge_entries(survivor, [merged], user=user)
                elif action == "edit":
                    ids = list(Article.objects.order_by("-pk").values_list("pk", flat=True)[:200])
                    if not ids:
                        continue
                    with transaction.atomic():
                        article = Article.objects.select_for_update().get(pk=rng.choice(ids))
                        article.standfirst = f"Edited {time.monotonic():.6f}"
                        article._change_reason = "edited during an import"
                        article.save()
                        TaggedCountry.objects.filter(content_object=article, tag_id__in=countries[:5]).delete()
                        for country_id in rng.sample(countries, 3):
                            TaggedCountry.objects.get_or_create(content_object=article, tag_id=country_id)
                else:
                    ids = list(Article.objects.order_by("-pk").values_list("pk", flat=True)[:200])
                    if not ids:
                        continue
                    status = rng.choice((Status.PUBLISHED, Status.DRAFT))
                    Article.objects.filter(pk=rng.choice(ids)).update(status=status)
                tally.done[action] += 1
                tally.slowest = max(tally.slowest, (time.monotonic() - began, action))
                tally.times.append(time.monotonic())
            except Exception as error:  # noqa: BLE001 - counted and reported, the loop goes on
                tally.failed[f"{action}: {reason(error)}"] += 1
                tally.errors.append(f"{action}: {error}")
            if pause:
                time.sleep(pause)
    finally:
        connection.close()
    return tally


FAILED_LINE = re.compile(r"^(?P<name>\S+\.txt): (?P<reason>.*)$")


def trial(url: str, files: int, preload: int, folder: Path, seed: int) -> dict:
    import django
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    subprocess.run(["dropdb", "--if-exists", "--force", *_pg_args(url)], check=True)
    subprocess.run(["createdb", *_pg_args(url)], check=True)
    connection.close()
    call_command("migrate", verbosity=0)
    django.db.connections.close_all()
    first = write_files(folder / "first", range(preload))
    write_files(folder / "rest", range(preload, preload + files))
    call_command("import_articles", str(folder / "first"), verbosity=0)
    assert Article.objects.count() == len(first)
    from django.contrib.auth.models import User

    user = User.objects.create_user(f"bench-editor-{seed}", is_staff=True)
    stop = threading.Event()
    started = time.monotonic()
    command = [sys.executable, "manage.py", "import_articles", str(folder / "rest"), "-v0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    result: dict = {}
    holder = {}

    def edit():
        holder["tally"] = editor_loop(stop, user, seed=seed)

    editor = threading.Thread(target=edit)
    editor.start()
    out, err = process.communicate()
    stop.set()
    editor.join()
    elapsed = time.monotonic() - started
    failed = collections.Counter()
    retried = next((line for line in err.splitlines() if line.startswith("tried again: ")), "")
    for line in err.splitlines():
        match = FAILED_LINE.match(line)
        if match and "warning:" not in line:
            failed[reason(Exception(match["reason"]))] += 1
    result.update(
        seconds=round(elapsed, 1),
        started=started,
        summary=out.strip().splitlines()[-1] if out.strip() else "",
        failed_files=dict(failed),
        retried=retried,
        tally=holder["tally"],
    )
    return result


def _pg_args(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("ties_bench"):
        raise SystemExit(f"the database name must start with ties_bench (it is recreated), not {name!r}")
    return [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        name,
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrent", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000, help="files imported during the editing (3000)")
    parser.add_argument("--preload", type=int, default=300, help="files imported first (300)")
    parser.add_argument("--trials", type=int, default=1)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database named ties_bench…", file=sys.stderr)
        return 2
    _pg_args(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ties_cms.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()
    bad = 0
    for number in range(args.trials):
        with tempfile.TemporaryDirectory(prefix="ties-concurrent-") as folder:
            result = trial(url, args.files, args.preload, Path(folder), seed=number + 1)
        tally = result["tally"]
        failed_files = sum(result["failed_files"].values())
        bad += failed_files + sum(tally.failed.values())
        print(f"trial {number + 1}: {result['seconds']} s; import: {result['summary']}")
        print(f"  failed files: {failed_files} {result['failed_files'] or ''}")
        if result["retried"]:
            print(f"  batches {result['retried']}")
        print(f"  {tally.line()}")
        if tally.times:
            first, last = (moment - result["started"] for moment in (tally.times[0], tally.times[-1]))
            print(f"  editor actions from {first:.1f} s to {last:.1f} s")
        for error in tally.errors[:3]:
            print(f"    {error.strip().splitlines()[0][:160]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
