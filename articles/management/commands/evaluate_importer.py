"""Score the importer's reading on real pages against the facts an editor expects from them.

The pages themselves are other sites' text, kept out of the repository in a git-ignored folder; what is
committed is each page's address, the query that finds it and the facts (articles/evaluation.py says how they
are matched). Run it before and after a change to the reading to see what it gained and what it broke.
Nothing is written to the database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.evaluation import VOCABULARIES, evaluate, load_pages, totals
from articles.importing import load_vocabulary


class Command(BaseCommand):
    help = "Print precision, recall and F1 per vocabulary and dates right, with each page's misses and false tags."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            type=Path,
            help="Holds facts/*.json (the expected facts) and pages/<id>.txt (the fetched texts).",
        )
        parser.add_argument("--only", default="", help="Score only the pages whose id starts with this.")
        parser.add_argument("--quiet", action="store_true", help="Print the totals only, not each page.")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print the totals as JSON.")

    def handle(self, *args, directory: Path, only: str, quiet: bool, as_json: bool, **options):
        facts_files = sorted((directory / "facts").glob("*.json"))
        if not facts_files:
            raise CommandError(f"{directory}: no facts/*.json in it")
        try:
            pages = [page for page in load_pages(facts_files) if page.id.startswith(only)]
        except (ValueError, KeyError) as error:
            raise CommandError(f"{directory}: a facts file is not valid: {error}") from error
        texts, missing = {}, []
        for page in pages:
            path = directory / "pages" / f"{page.id}.txt"
            if path.is_file():
                texts[page.id] = path.read_bytes()
            else:
                missing.append(page.id)
        if missing:
            self.stderr.write(f"{len(missing)} pages have no text in {directory / 'pages'}: {', '.join(missing)}")
        pages = [page for page in pages if page.id in texts]
        if not pages:
            raise CommandError("no page to score")

        results = evaluate(pages, texts, load_vocabulary())
        total = totals(results)
        dates_right = sum(result.date_right for result in results)
        if as_json:
            self.stdout.write(self._json(total, dates_right, len(results)))
            return
        if not quiet:
            for result in results:
                self._page(result)
        self.stdout.write(self.style.MIGRATE_HEADING(f"{len(results)} pages"))
        for name in VOCABULARIES:
            tally = total[name]
            self.stdout.write(
                f"{name:<11} precision {tally.precision:.2f}  recall {tally.recall:.2f}  F1 {tally.f1:.2f}  "
                f"({tally.true} right, {tally.false} false, {tally.missed} missed)"
            )
        self.stdout.write(f"dates right {dates_right} / {len(results)} ({dates_right / len(results):.0%})")

    def _page(self, result):
        lines = []
        if result.error:
            lines.append(f"  refused: {result.error}")
        if not result.date_right:
            lines.append(f"  date: read {result.date or 'none'}, expected {result.page.date or 'none'}")
        for name in VOCABULARIES:
            if result.misses[name]:
                lines.append(f"  {name} missed: {'; '.join(result.misses[name])}")
            if result.false_tags[name]:
                lines.append(f"  {name} false: {'; '.join(result.false_tags[name])}")
        heading = f"{result.page.id}" + ("" if lines else "  all right")
        self.stdout.write(heading if lines else self.style.SUCCESS(heading))
        for line in lines:
            self.stdout.write(line)

    @staticmethod
    def _json(total, dates_right, pages) -> str:
        figures = {
            name: {
                "precision": round(tally.precision, 3),
                "recall": round(tally.recall, 3),
                "f1": round(tally.f1, 3),
                "right": tally.true,
                "false": tally.false,
                "missed": tally.missed,
            }
            for name, tally in total.items()
        }
        return json.dumps({"pages": pages, "dates_right": dates_right, **figures}, indent=2)
