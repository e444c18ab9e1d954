"""Write a deterministic synthetic archive of news files, for benchmarks and scale tests.

The files follow the seed format and go through the real importer like any other news, so an archive of
10,000 or 100,000 stories measures the whole path an editor's import takes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.synthetic import write_archive


class Command(BaseCommand):
    help = "Write N synthetic news files (seed format, 400-700 words) into FOLDER; existing files are kept."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--count", type=int, default=10_000)

    def handle(self, *args, folder: Path, count: int, **options):
        if count < 1:
            raise CommandError("--count must be at least 1", returncode=2)
        written = sum(1 for _ in write_archive(folder, count))
        self.stdout.write(self.style.SUCCESS(f"{written} stories in {folder}"))
