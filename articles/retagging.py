"""Re-run the importer's automatic tagging on stories already in the database.

The importer's own `Importer.tag` does the work, so the rules are the import rules: it only adds (an editor's
tag is never removed), it records new spellings as aliases and creates unknown people and signings for review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from .importing import Importer
from .ingest.entities import find_entities
from .models import VOCABULARIES, Article
from .versions import write_versions


@dataclass
class RetagResult:
    added: dict[Article, list[str]] = field(default_factory=dict)  # story -> "official Rajnath Singh", …
    new_entries: list[str] = field(default_factory=list)

    @property
    def tags_added(self) -> int:
        return sum(len(names) for names in self.added.values())


def retag(articles: Iterable[Article], *, user=None) -> RetagResult:
    """Add to each story what the importer would find in its body now; one transaction per story.

    A story that gains tags gets a new version, by `user`, carrying them.
    """
    articles = list(articles)
    # The vocabulary is read once (Importer loads it) and grows with the entries created along the way.
    importer = Importer()
    before = _tags(articles)
    result = RetagResult()
    for article in articles:
        headline = "" if article.headline_derived else article.headline
        findings = find_entities(article.body, importer.vocabulary, article.published_on, headline)
        with transaction.atomic():
            resolution = importer.tag(article, findings)
            if resolution.added:
                write_versions([article], user=user, reason="automatic tagging re-run")
        result.new_entries += resolution.new_entries
        importer.learn(resolution.learned)
    after = _tags(articles)
    for article in articles:
        added = sorted(after[article.pk] - before[article.pk])
        if added:
            result.added[article] = [f"{kind} {name}" for kind, name in added]
    return result


def _tags(articles: list[Article]) -> dict[int, set[tuple[str, str]]]:
    """(kind, name) of every tag on the stories: one query per vocabulary."""
    tags: dict[int, set[tuple[str, str]]] = {article.pk: set() for article in articles}
    for vocabulary in VOCABULARIES:
        kind = vocabulary.parameter
        rows = vocabulary.through.objects.filter(content_object__in=[a.pk for a in articles]).values_list(
            "content_object_id", "tag__name"
        )
        for article_id, name in rows:
            tags[article_id].add((kind, name))
    return tags
