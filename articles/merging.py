"""Merge vocabulary entries into one survivor: a plain service used by the admin action (and open to the API).

A merge, in one transaction:
- moves every story's tag to the survivor; a story that had both keeps one tag;
- moves the merged entries' aliases (with the old addresses they keep) to the survivor;
- records each merged name as an alias of the survivor whose `former_slug` is the merged entry's slug, so the
  next import maps the name and the old public URL redirects (`Entry.by_slug_or_former_slug`), also along
  chains: A merged into B, then B into C, leaves A's alias and old slug on C;
- points anything else that referred to a merged entry (an official's country) at the survivor;
- writes the admin history (LogEntry) of the survivor, of each merged entry and of each story it touched, and
  a new version of each story it touched, carrying its tags (articles/versions.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import models, transaction

from .models import Article, Entry
from .text import name_key
from .versions import CHUNK, write_versions


class MergeError(ValueError):
    """A merge that must not happen; the message is written for the editor."""


@dataclass(frozen=True)
class MergedEntry:
    """What one merged entry hands over to the survivor."""

    entry: Entry
    stories: int  # stories tagged with it
    shared_stories: int  # of those, stories already tagged with the survivor: they keep one tag
    aliases: tuple[str, ...]  # its own aliases, which move with it
    references: tuple[str, ...] = ()  # other records pointing at it, e.g. "2 officials"


@dataclass(frozen=True)
class MergePlan:
    survivor: Entry
    merged: tuple[MergedEntry, ...]
    affected_story_ids: tuple[int, ...] = field(default=(), repr=False)

    @property
    def new_aliases(self) -> list[str]:
        """Every name the survivor answers to after the merge, besides its own."""
        return [name for item in self.merged for name in (item.entry.name, *item.aliases)]

    @property
    def stories_moving(self) -> int:
        return sum(item.stories - item.shared_stories for item in self.merged)


def plan_merge(survivor: Entry, merged: Iterable[Entry]) -> MergePlan:
    """What merging `merged` into `survivor` would do; raises MergeError when it must not happen."""
    merged = _distinct(merged)
    _check(survivor, merged)
    model = type(survivor)
    through = _through(model)
    survivor_stories = through.objects.filter(tag=survivor).values("content_object_id")
    items = []
    affected: set[int] = set()
    for entry in merged:
        story_ids = set(through.objects.filter(tag=entry).values_list("content_object_id", flat=True))
        shared = through.objects.filter(tag=entry, content_object_id__in=survivor_stories).count()
        affected |= story_ids
        items.append(
            MergedEntry(
                entry=entry,
                stories=len(story_ids),
                shared_stories=shared,
                aliases=tuple(entry.aliases.values_list("name", flat=True)),
                references=tuple(_references(model, entry)),
            )
        )
    return MergePlan(survivor, tuple(items), tuple(sorted(affected)))


def merge_entries(survivor: Entry, merged: Iterable[Entry], *, user) -> MergePlan:
    """Merge `merged` into `survivor` in one transaction, recorded in the admin history as done by `user`."""
    model = type(survivor)
    merged = _distinct(merged)
    with transaction.atomic():
        # Lock the entries so that two editors merging at once cannot interleave; in id order, as the importer
        # locks the entries it tags (articles/importing.py), so that neither waits for the other in a circle.
        ids = {survivor.pk, *(entry.pk for entry in merged)}
        rows = model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        locked = {entry.pk: entry for entry in rows}
        missing = [entry for entry in (survivor, *merged) if entry.pk not in locked]
        if missing:
            raise MergeError(f"“{missing[0]}” no longer exists; it may have been merged meanwhile.")
        survivor = locked[survivor.pk]
        plan = plan_merge(survivor, [locked[entry.pk] for entry in merged])
        through, alias_model = _through(model), _alias_model(model)
        for item in plan.merged:
            old = item.entry
            # Stories tagged with both keep one tag; the rest move. One entry at a time, so a story tagged
            # with two merged entries ends up with one tag too.
            through.objects.filter(
                tag=old, content_object_id__in=through.objects.filter(tag=survivor).values("content_object_id")
            ).delete()
            through.objects.filter(tag=old).update(tag=survivor)
            alias_model.objects.filter(entry=old).update(entry=survivor)
            _keep_name_and_address(alias_model, survivor, old)
            for relation in _other_references(model):
                relation.related_model._base_manager.filter(**{relation.field.name: old}).update(
                    **{relation.field.name: survivor}
                )
            _merge_many_to_many(model, survivor, old)
        _log(plan, user)
        write_versions(
            Article.objects.filter(pk__in=plan.affected_story_ids).iterator(chunk_size=CHUNK),
            user=user,
            reason=_story_note(plan),
        )
        model.objects.filter(pk__in=[item.entry.pk for item in plan.merged]).delete()
        survivor.save(update_fields=["updated_at"])
    return plan


def _distinct(entries: Iterable[Entry]) -> list[Entry]:
    return list({entry.pk: entry for entry in entries}.values())


def _check(survivor: Entry, merged: Sequence[Entry]):
    model = type(survivor)
    if any(entry.pk == survivor.pk for entry in merged):
        raise MergeError(f"“{survivor}” cannot be merged into itself.")
    if not merged:
        raise MergeError(f"Choose at least one other entry to merge into “{survivor}”.")
    if any(type(entry) is not model for entry in merged):
        raise MergeError("Only entries of the same vocabulary can be merged.")
    involved = [survivor.pk, *(entry.pk for entry in merged)]
    keys = {name_key(entry.name): entry for entry in merged}
    alias = _alias_model(model).objects.filter(key__in=keys).exclude(entry__in=involved).select_related("entry")
    alias = alias.first()
    if alias is not None:
        raise MergeError(
            f"“{keys[alias.key].name}” cannot become an alias of “{survivor}”: “{alias.name}” is already an "
            f"alias of “{alias.entry}”, and an alias belongs to one entry only. Remove it there, or merge "
            f"“{alias.entry}” too."
        )
    for name in model.objects.exclude(pk__in=involved).values_list("name", flat=True).iterator():
        if name_key(name) in keys:
            raise MergeError(
                f"“{keys[name_key(name)].name}” cannot become an alias of “{survivor}”: another "
                f"{model._meta.verbose_name} is called “{name}”. Merge it too, or rename it first."
            )


def _keep_name_and_address(alias_model, survivor: Entry, old: Entry):
    """Make the old name an alias of the survivor that keeps the old slug for the redirect."""
    alias = alias_model.objects.filter(key=name_key(old.name)).first()
    if alias is None:
        alias_model.objects.create(entry=survivor, name=old.name, former_slug=old.slug)
    elif alias.former_slug in ("", old.slug):
        # The name was already an alias (of the survivor, or moved over from the old entry).
        alias.former_slug = old.slug
        alias.save(update_fields=["former_slug"])
    else:
        # Two merged entries whose names fold alike ("Sébastien"/"Sebastien"): one alias row holds one old
        # address, so the second keeps its address on a row named after it.
        alias_model.objects.create(entry=survivor, name=f"{old.name} ({old.slug})", former_slug=old.slug)


def _through(model: type[Entry]) -> type[models.Model]:
    return model.vocabulary().through


def _alias_model(model: type[Entry]) -> type[models.Model]:
    return model.vocabulary().alias


def _other_references(model: type[Entry]) -> list[models.ForeignObjectRel]:
    """Foreign keys to the entry besides tags and aliases (an official's country): they follow the survivor."""
    skip = {_through(model), _alias_model(model)}
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many and relation.related_model not in skip
    ]


def _merge_many_to_many(model: type[Entry], survivor: Entry, old: Entry):
    """The old entry's many-to-many links (an agreement's parties, a country's agreements) join the survivor's."""
    links = [
        (field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name())
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    links += [
        (relation.through, relation.field.m2m_reverse_field_name(), relation.field.m2m_field_name())
        for relation in model._meta.related_objects
        if relation.many_to_many and relation.through._meta.auto_created
    ]
    for through, own, other in links:
        rows = through._base_manager
        kept = rows.filter(**{own: survivor}).values(other)
        rows.filter(**{own: old, f"{other}__in": kept}).delete()
        rows.filter(**{own: old}).update(**{own: survivor})


def _references(model: type[Entry], entry: Entry) -> list[str]:
    found = []
    for relation in _other_references(model):
        count = relation.related_model._base_manager.filter(**{relation.field.name: entry}).count()
        if count:
            opts = relation.related_model._meta
            found.append(f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}")
    return found


def _stories(count: int) -> str:
    return f"{count} story" if count == 1 else f"{count} stories"


def _log(plan: MergePlan, user):
    survivor = plan.survivor
    names = ", ".join(f"“{item.entry.name}”" for item in plan.merged)
    label = survivor._meta.verbose_name
    LogEntry.objects.log_actions(
        user.pk,
        [survivor],
        CHANGE,
        f"Merged {names} into this {label}: {_stories(plan.stories_moving)} moved, "
        f"{_stories(sum(item.shared_stories for item in plan.merged))} already had it.",
        single_object=True,
    )
    LogEntry.objects.log_actions(
        user.pk, [item.entry for item in plan.merged], DELETION, f"Merged into “{survivor}”."
    )
    if plan.affected_story_ids:
        LogEntry.objects.log_actions(
            user.pk,
            Article.objects.filter(pk__in=plan.affected_story_ids),
            CHANGE,
            _story_note(plan),
        )


def _story_note(plan: MergePlan) -> str:
    """What the merge did to each story it touched."""
    names = ", ".join(f"“{item.entry.name}”" for item in plan.merged)
    return f"{plan.survivor._meta.verbose_name.capitalize()} {names} merged into “{plan.survivor}”."
