"""Import plain-text news files as articles.

Editors receive stories as text files from agencies and websites. This command reads them (files,
folders searched for *.txt, or "-" for standard input), imports each file in its own transaction, and tags
each new story with the countries, officials and agreements it finds. A bad file is reported on one line
and leaves nothing behind; the others still import. Running it twice is safe: unchanged texts are skipped.

Exit status: 0 when every file was imported or unchanged, 1 when any failed, 2 for usage errors.
"""

import itertools
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.importing import BATCH_SIZE, REFRESH_AFTER, STDIN_NAME, Importer, Outcome, refresh_statistics
from articles.ingest import parsing
from articles.models import Status


def describe(error: Exception) -> str:
    """One line for a file that could not be imported."""
    if isinstance(error, parsing.ParseError):
        return str(error)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, DatabaseError):
        return f"the database refused it: {first_line}"
    return f"unexpected {type(error).__name__}: {first_line}"


RETRY_REASONS = {"40P01": "a deadlock", "40001": "a serialization failure", "55P03": "a lock held by an editor"}

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 500


class Command(BaseCommand):
    help = "Import plain-text news files (files, folders of *.txt, or - for stdin) as tagged articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .txt file, a folder, or - for stdin.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen without writing anything."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=f"Processes that read and parse files on runs of {PARALLEL_FROM} files or more (default 1: "
            "this one). Worth it with idle cores: each file then also costs pickling between processes.",
        )
        parser.add_argument(
            "--status",
            choices=Status.values,
            default=Status.PUBLISHED,
            help="Status of new stories (default: published).",
        )

    def handle(self, *args, paths: list[str], dry_run: bool, status: str, jobs: int, **options):
        sources = self.collect(paths)
        importer = Importer(status=status, dry_run=dry_run)
        counts = dict.fromkeys(Outcome, 0) | {"failed": 0}
        verbose = options["verbosity"] >= 1
        show_progress = len(sources) > 20 and sys.stderr.isatty()
        started = time.monotonic()

        def fail(name: str, reason: str):
            counts["failed"] += 1
            self.stderr.write(f"{name}: {reason}")

        parsed_sources = self.parse_all(sources, jobs)
        for start in range(0, len(sources), BATCH_SIZE):
            batch = []
            for name, parsed in itertools.islice(parsed_sources, BATCH_SIZE):
                if isinstance(parsed, str):
                    fail(name, parsed)
                else:
                    batch.append((name, parsed))
            for (name, _parsed), result in zip(batch, importer.import_batch(batch), strict=True):
                if isinstance(result, Exception):
                    fail(name, describe(result))
                    continue
                counts[result.outcome] += 1
                for warning in result.warnings:
                    self.stderr.write(self.style.WARNING(f"{name}: warning: {warning}"))
                if verbose and not show_progress:
                    self.report(name, result)
            done = min(start + BATCH_SIZE, len(sources))
            if show_progress:
                self.stderr.write(f"\r{done}/{len(sources)} files", ending="")
        if show_progress:
            self.stderr.write("")
        if not dry_run and counts[Outcome.CREATED] + counts[Outcome.UPDATED] >= REFRESH_AFTER:
            refresh_statistics()
        elapsed = time.monotonic() - started
        prefix = "Dry run, nothing written: would have " if dry_run else ""
        summary = (
            f"{prefix}{counts[Outcome.CREATED]} created, {counts[Outcome.UPDATED]} updated, "
            f"{counts[Outcome.UNCHANGED]} unchanged, {counts['failed']} failed ({elapsed:.2f}s)"
        )
        self.stdout.write(self.style.ERROR(summary) if counts["failed"] else self.style.SUCCESS(summary))
        if importer.retries:
            # Editors' transactions the import met (PostgreSQL): worth knowing, not a failure.
            again = ", ".join(
                f"{n} for {RETRY_REASONS.get(state, state)}" for state, n in importer.retries.items()
            )
            self.stderr.write(f"tried again: {again}")
        if counts["failed"]:
            sys.exit(1)

    def report(self, name, result):
        article = result.article
        line = f"{result.outcome}: {name} -> {article.headline}"
        if result.outcome == Outcome.CREATED:
            tags = [
                t.name for t in (*article.countries.all(), *article.officials.all(), *article.agreements.all())
            ]
            line += f" [{', '.join(tags)}]" if tags else " [no tags]"
        self.stdout.write(line)
        for entry in result.new_entries:
            self.stdout.write(f"  new {entry} (needs review)")

    def collect(self, paths) -> list[tuple[str, Path | None]]:
        """(display name, path, or None for stdin) for every input, checked before anything is imported."""
        sources = []
        for raw in paths:
            if raw == "-":
                sources.append((STDIN_NAME, None))
                continue
            path = Path(raw)
            if path.is_dir():
                files = sorted(p for p in path.rglob("*.txt") if p.is_file())
                if not files:
                    self.stderr.write(self.style.WARNING(f"{raw}: no .txt files in this folder"))
                sources += [(p.name, p) for p in files]
            elif path.is_file():
                sources.append((path.name, path))
            else:
                raise CommandError(f"{raw}: no such file or folder", returncode=2)
        return sources

    def parse_all(self, sources, jobs: int) -> Iterator[tuple[str, parsing.ParsedArticle | str]]:
        """(name, parsed article or the reason it was refused), in order.

        Parsing needs no database, so a long run hands it to worker processes while this one writes.
        """
        names = [name for name, _path in sources]
        if jobs > 1 and len(sources) >= PARALLEL_FROM and all(path for _name, path in sources):
            # "spawn": a forked child would share this process's database connection.
            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                parsed = pool.imap(parsing.parse_file_or_reason, [path for _name, path in sources], 16)
                yield from zip(names, parsed, strict=True)
            return
        for name, path in sources:
            if path is not None:
                yield name, parsing.parse_file_or_reason(path)
                continue
            try:
                yield name, parsing.parse_article(parsing.read_limited(sys.stdin.buffer))
            except parsing.ParseError as error:
                yield name, str(error)
