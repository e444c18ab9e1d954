"""The tags in a story's versions: simple-history copies a story's fields, each version also keeps its tags.

A version's `tags` holds the story's entries as they were after that change, each vocabulary sorted by name:
    {"countries": [{"id": 3, "slug": "india", "name": "India"}, …], "officials": […], "agreements": […]}
The id says which entry; the slug lets a restore follow an entry merged since (its slug lives on as the
`former_slug` of an alias of the survivor); the name shows what the tag was called, even once the entry is
gone. `None` marks a version saved before versions kept tags: it restores no tags.

Every way of writing a version fills it (`tag_snapshots` is the one place that reads them):
- a save (the admin's form and revert, the API, the importer's one-file path) writes a version whose tags
  are read as it is written (`fill_tags`, on simple-history's pre_create_historical_record); where the tags
  change after that save, in the same operation (the admin's inlines, the API's tag lists, the importer
  tagging a new story), `record_tags` puts the new tags on that version;
- tags changed without a save (admin actions, re-tagging, merges) and bulk writes (publishing, the importer's
  batches) get new versions from `write_versions`.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.apps import apps
from django.db.models import CharField, Value
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.signals import pre_create_historical_record

from .models import VOCABULARIES, AgreementEvent, Article, Entry

# Stories whose versions are written together: bounds memory and the size of each query's id list.
CHUNK = 500

Snapshot = dict[str, list[dict]]


def tag_snapshots(article_ids: Iterable[int]) -> dict[int, Snapshot]:
    """Each story's tags as its versions keep them, read in one query for any number of stories."""
    ids = list(article_ids)
    snapshots: dict[int, Snapshot] = {pk: empty_snapshot() for pk in ids}
    if not ids:
        return snapshots
    parts = [
        vocabulary.through.objects.filter(content_object_id__in=ids)
        .annotate(kind=Value(vocabulary.field, output_field=CharField()))
        .values_list("content_object_id", "kind", "tag_id", "tag__slug", "tag__name")
        .order_by()
        for vocabulary in VOCABULARIES
    ]
    for article_id, kind, pk, slug, name in parts[0].union(*parts[1:], all=True):
        snapshots[article_id][kind].append({"id": pk, "slug": slug, "name": name})
    for snapshot in snapshots.values():
        for entries in snapshot.values():
            entries.sort(key=lambda entry: (entry["name"], entry["id"]))
    return snapshots


def empty_snapshot() -> Snapshot:
    return {vocabulary.field: [] for vocabulary in VOCABULARIES}


def fill_tags(sender, history_instance, **kwargs):
    """A version about to be saved gets its tags: none for a new story, else the story's tags now."""
    if history_instance.tags is not None:
        return
    if history_instance.history_type == "+":
        history_instance.tags = empty_snapshot()
    else:
        history_instance.tags = tag_snapshots([history_instance.id])[history_instance.id]


def connect():
    pre_create_historical_record.connect(
        fill_tags, sender=Article.history.model, dispatch_uid="articles.versions.fill_tags"
    )


def record_tags(article: Article):
    """Put the story's tags on its newest version, when they changed after the save that wrote it."""
    versions = Article.history.filter(id=article.pk)
    newest = versions.order_by("-history_date", "-history_id").values("history_id")[:1]
    versions.filter(history_id__in=newest).update(tags=tag_snapshots([article.pk])[article.pk])


def write_versions(articles: Iterable[Article], *, user=None, reason: str = "", history_type: str = "~"):
    """A new version of each story, with its tags as they are now: for writes that did not save the story.

    Two queries per 500 stories (their tags, the insert); pass a queryset's `.iterator()` for many stories.
    """
    version = _versioner(Article, user, reason)
    articles = iter(articles)
    while chunk := list(islice(articles, CHUNK)):
        snapshots = tag_snapshots(article.pk for article in chunk)
        Article.history.model.objects.bulk_create(
            version(article, history_type, tags=snapshots[article.pk]) for article in chunk
        )


def _versioner(model, user, reason: str):
    """What builds a simple-history version row of `model`'s instances, for writes that bypass its signals."""
    history = model.history.model
    reason = reason[: history._meta.get_field("history_change_reason").max_length]
    now = timezone.now()

    def version(instance, history_type: str, **extra):
        return history(
            history_date=now,
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **extra,
            **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
        )

    return version


def write_event_versions(events: list[tuple[AgreementEvent, str]], *, user=None, reason: str = ""):
    """A version of each agreement event (with its history type, "+" or "~"), its sources as they are now.

    What simple-history records for each save and each change of sources, written for many events at once: one
    query for their sources and two inserts, instead of a version and a copy of the sources for every story
    added. The rows are shaped as simple-history shapes its own (tests/test_agreement_life.py compares them).
    """
    if not events:
        return
    version = _versioner(AgreementEvent, user, reason)
    versions = AgreementEvent.history.model.objects.bulk_create(
        version(event, history_type) for event, history_type in events
    )
    sources = collections.defaultdict(list)
    for row in AgreementEvent.sources.through.objects.filter(agreementevent__in=[event.pk for event, _ in events]):
        sources[row.agreementevent_id].append(row)
    # The model simple-history makes for the sources' versions: the through table's columns and the version.
    source_version = apps.get_model("articles", "HistoricalAgreementEvent_sources")
    source_version.objects.bulk_create(
        source_version(
            history=version, id=row.id, agreementevent_id=row.agreementevent_id, article_id=row.article_id
        )
        for version in versions
        for row in sources[version.id]
    )


def tag_changes(newer: Snapshot | None, older: Snapshot | None) -> list[dict[str, str]]:
    """The vocabularies whose entries differ between two versions, shaped like simple-history's field changes."""
    if newer is None or older is None:
        return []
    changes = []
    for kind in (vocabulary.field for vocabulary in VOCABULARIES):
        before, after = older.get(kind, []), newer.get(kind, [])
        if {entry["id"] for entry in before} != {entry["id"] for entry in after}:
            changes.append({"field": _label(kind), "old": _names(before), "new": _names(after)})
    return changes


@dataclass
class TagRestore:
    """A version's tags resolved to today's entries: what a revert tags the story with, and what it cannot."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)  # vocabulary -> entries to tag with
    merged: list[tuple[str, str, Entry]] = field(default_factory=list)  # (vocabulary, old name, survivor)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (vocabulary, name): deleted, not merged

    @property
    def merged_notes(self) -> list[str]:
        return [
            f"{capfirst(kind)} “{name}” has been merged into “{survivor}” since: the story gets “{survivor}”."
            for kind, name, survivor in self.merged
        ]

    @property
    def missing_notes(self) -> list[str]:
        return [
            f"{capfirst(kind)} “{name}” no longer exists and cannot be restored." for kind, name in self.missing
        ]


def plan_restore(snapshot: Snapshot) -> TagRestore:
    """Resolve a version's tags to entries: merged ones to their survivor, deleted ones left out and named."""
    plan = TagRestore()
    for vocabulary in VOCABULARIES:
        kind, model = vocabulary.field, vocabulary.entry
        label = str(model._meta.verbose_name)
        kept = snapshot.get(kind, [])
        found = model.objects.in_bulk([entry["id"] for entry in kept])
        gone = [entry for entry in kept if entry["id"] not in found]
        survivors = {}
        if gone:
            aliases = vocabulary.alias.objects.filter(former_slug__in=[e["slug"] for e in gone])
            survivors = {alias.former_slug: alias.entry for alias in aliases.select_related("entry")}
        entries = {}
        for entry in kept:
            if entry["id"] in found:
                entries[entry["id"]] = found[entry["id"]]
            elif entry["slug"] in survivors:
                survivor = survivors[entry["slug"]]
                entries[survivor.pk] = survivor
                plan.merged.append((label, entry["name"], survivor))
            else:
                plan.missing.append((label, entry["name"]))
        plan.entries[kind] = list(entries.values())
    return plan


def restore_tags(article: Article, snapshot: Snapshot) -> TagRestore:
    """Tag the story as in a version, as far as its entries still exist; call it in the revert's transaction."""
    plan = plan_restore(snapshot)
    for vocabulary in VOCABULARIES:
        through = vocabulary.through
        wanted = {entry.pk for entry in plan.entries[vocabulary.field]}
        tagged = through.objects.filter(content_object=article)
        tagged.exclude(tag_id__in=wanted).delete()
        have = set(tagged.values_list("tag_id", flat=True))
        through.objects.bulk_create([through(content_object=article, tag_id=pk) for pk in sorted(wanted - have)])
    record_tags(article)
    return plan


def _label(kind: str) -> str:
    return capfirst(Article._meta.get_field(kind).verbose_name)


def _names(entries: list[dict]) -> str:
    return ", ".join(entry["name"] for entry in entries) or "—"
