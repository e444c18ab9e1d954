"""What waits for an editor: the queries behind the admin's review queue and the counts on its index.

Each part of the queue is a bounded query (QUEUE_LIMIT rows, its related rows joined or prefetched in one more
query), so the page costs the same for ten waiting items or ten thousand; its count says how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import VOCABULARIES, Article, TagOrigin

# Below this the importer's reading of a tag is shown for review even when it did not mark it.
LOW_CONFIDENCE = 0.6
# Rows shown per part of the queue; the count says how many more wait.
QUEUE_LIMIT = 50
# Stories shown under each entry needing review, with the sentence each was read from.
SOURCES_PER_ENTRY = 3


def entry_models() -> list[type]:
    return [vocabulary.entry for vocabulary in VOCABULARIES]


def alias_model(entry_model: type) -> type:
    return entry_model.vocabulary().alias


def tags_to_review(through: type) -> QuerySet:
    """The importer's tags an editor should confirm: marked for review, or read with low confidence."""
    return through.objects.filter(
        Q(needs_review=True) | Q(confidence__lt=LOW_CONFIDENCE), origin=TagOrigin.IMPORTER
    )


def entries_to_review(entry_model: type) -> QuerySet:
    return entry_model.objects.filter(needs_review=True)


def aliases_to_review(entry_model: type) -> QuerySet:
    return alias_model(entry_model).objects.filter(needs_review=True)


def stories_to_review() -> QuerySet:
    """Stories whose headline the importer made up from the first sentence, or that have no date."""
    return Article.objects.filter(Q(headline_derived=True) | Q(published_on=None))


@dataclass
class Part:
    """One part of the queue: its rows (at most QUEUE_LIMIT) and how many wait in all."""

    kind: str  # country, official, agreement, or story
    rows: list
    total: int
    plural: str = ""  # the vocabulary's verbose name plural: "countries"

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


_STORY_FIELDS = ("content_object__headline", "content_object__slug", "content_object__status")


def queue() -> dict[str, list[Part]]:
    """Every part of the review queue, newest first within each."""
    tags, entries, aliases = [], [], []
    for vocabulary in VOCABULARIES:
        kind = vocabulary.parameter
        waiting = tags_to_review(vocabulary.through)
        rows = list(
            waiting.select_related("tag", "content_object")
            .only("origin", "confidence", "evidence", "needs_review", "tag__name", "tag__slug", *_STORY_FIELDS)
            .order_by("-content_object_id", "pk")[:QUEUE_LIMIT]
        )
        tags.append(Part(kind, rows, _total(waiting, rows)))
    for model in entry_models():
        kind = model._meta.model_name
        through = model.vocabulary().through
        # Sliced prefetch: Django limits each entry's stories with a window function, in one query.
        sources = (
            through.objects.select_related("content_object")
            .only("evidence", "confidence", "tag_id", *_STORY_FIELDS)
            .order_by("-content_object_id")[:SOURCES_PER_ENTRY]
        )
        waiting = entries_to_review(model)
        rows = list(
            waiting.annotate(tag_count=Count("tagged_articles"))
            .prefetch_related(Prefetch("tagged_articles", queryset=sources, to_attr="sources"))
            .order_by("-created_at", "-pk")[:QUEUE_LIMIT]
        )
        plural = str(model._meta.verbose_name_plural)
        entries.append(Part(kind, rows, _total(waiting, rows), plural))
        waiting_aliases = aliases_to_review(model)
        alias_rows = list(waiting_aliases.select_related("entry").order_by("-created_at", "-pk")[:QUEUE_LIMIT])
        aliases.append(Part(kind, alias_rows, _total(waiting_aliases, alias_rows), plural))
    waiting_stories = stories_to_review()
    story_rows = list(
        waiting_stories.only(
            "headline", "slug", "status", "published_on", "headline_derived", "source_file"
        ).order_by("-pk")[:QUEUE_LIMIT]
    )
    return {
        "tags": tags,
        "entries": entries,
        "aliases": aliases,
        "stories": [Part("story", story_rows, _total(waiting_stories, story_rows))],
    }


def _total(queryset: QuerySet, rows: list) -> int:
    # A short part is counted by its rows; only a full one asks the database how many more there are.
    return len(rows) if len(rows) < QUEUE_LIMIT else queryset.count()


def counts() -> dict[str, int]:
    """How much waits in each part of the queue, for the admin index: one query per part."""
    return {
        "entries": sum(entries_to_review(model).count() for model in entry_models()),
        "aliases": sum(aliases_to_review(model).count() for model in entry_models()),
        "tags": sum(tags_to_review(vocabulary.through).count() for vocabulary in VOCABULARIES),
        "stories": stories_to_review().count(),
    }
