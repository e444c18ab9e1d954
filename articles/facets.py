"""The story list's facets (entries with how many of the shown stories mention them) and its heading."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, QuerySet
from django.utils.dateformat import format as format_date

from . import caching
from .models import VOCABULARIES, Entry

# Entries offered per vocabulary; entry index pages list the rest.
FACET_SIZE = 12


@dataclass(frozen=True)
class Facet:
    slug: str
    name: str
    count: int


def facets(model: type[Entry], stories: QuerySet | None, chosen: list[Entry], total: int) -> list[Facet]:
    """The entries of `model` most mentioned in `stories` (None: the whole archive), chosen ones first.

    One grouped query over the stories' tag rows, kept until the next write like the list's count; over the
    whole archive the counts kept in each entry's row serve (articles/counting.py) and no query is made.
    """
    chosen_facets = [Facet(entry.slug, entry.name, total) for entry in chosen]
    chosen_ids = {entry.pk for entry in chosen}
    if stories is None:
        top = caching.remember(
            "facets",
            lambda: [
                Facet(e.slug, e.name, e.story_count) for e in model.objects.covered()[: FACET_SIZE + len(chosen)]
            ],
            model._meta.label,
            FACET_SIZE + len(chosen),
        )
    else:
        through = model.vocabulary().through
        rows = (
            through.objects.filter(content_object__in=stories.order_by().values("pk"))
            .values("tag_id", "tag__slug", "tag__name")
            .annotate(stories=Count("pk"))
            .order_by("-stories", "tag__name")[: FACET_SIZE + len(chosen)]
        )
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:
            return chosen_facets
        top = caching.remember(
            "facets",
            lambda: [
                Facet(row["tag__slug"], row["tag__name"], row["stories"])
                for row in rows
                if row["tag_id"] not in chosen_ids
            ],
            stories.db,
            sql,
            params,
        )
    chosen_slugs = {facet.slug for facet in chosen_facets}
    return chosen_facets + [facet for facet in top if facet.slug not in chosen_slugs][:FACET_SIZE]


def join_and(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _day(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def describe(chosen: dict) -> str:
    """What a filtered list shows, in words: "Stories mentioning Morocco and Rajnath Singh, since 1 May 2025"."""
    names = [entry.name for vocabulary in VOCABULARIES for entry in chosen.get(vocabulary.parameter) or ()]
    if chosen.get("pair"):
        names.insert(0, f"{chosen['pair'].first.name} and {chosen['pair'].second.name} together")
    query = (chosen.get("q") or "").strip()
    words = ([f"matching “{query}”"] if query else []) + ([f"mentioning {join_and(names)}"] if names else [])
    after, before = chosen.get("published_after"), chosen.get("published_before")
    text = f"Stories {', '.join(words)}" if words else "All stories"
    if after and before:
        text += f", from {_day(after)} to {_day(before)}"
    elif after:
        text += f", since {_day(after)}"
    elif before:
        text += f", until {_day(before)}"
    return text
