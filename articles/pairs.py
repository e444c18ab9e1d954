"""Ties: every pair of countries that share a published story, with its stories, agreements and officials.

A pair's address is its two country slugs in alphabetical order, joined by a hyphen (/ties/india-morocco/).
Country slugs hold hyphens themselves (united-states), so an address is read by trying each hyphen as the
joint; no two country slugs in the vocabulary make the same pair address two ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from . import caching
from .lists import page_url
from .models import Agreement, Article, Country, Official, Status, TaggedCountry

# The officials a pair page lists on each side, at most; counted over its latest stories.
OFFICIALS_PER_SIDE = 12
OFFICIALS_WINDOW = 1000


@dataclass(frozen=True)
class Pair:
    """Two countries, in the order of their slugs, and what the desk holds on them together."""

    first: Country
    second: Country
    story_count: int = 0
    agreement_count: int = 0

    @property
    def slug(self) -> str:
        return pair_slug(self.first, self.second)

    @property
    def name(self) -> str:
        return f"{self.first.name}–{self.second.name}"

    def get_absolute_url(self) -> str:
        return page_url("articles:pair", self.slug)

    def get_feed_url(self) -> str:
        return page_url("articles:pair_feed", self.slug)

    def other(self, country: Country) -> Country:
        return self.second if country.pk == self.first.pk else self.first


@dataclass(frozen=True)
class PairDetail(Pair):
    """A pair with what its page and the API's detail show besides its numbers."""

    agreements: tuple = ()
    officials: tuple = ()  # ({"country": Country, "officials": [Official]}, …), one per side


def pair_slug(a: Country, b: Country) -> str:
    return "-".join(sorted((a.slug, b.slug)))


def ordered(a: Country, b: Country) -> tuple[Country, Country]:
    return (a, b) if a.slug <= b.slug else (b, a)


def split_slug(slug: str) -> list[tuple[str, str]]:
    """Each way to read `slug` as two slugs joined by a hyphen."""
    return [(slug[:at], slug[at + 1 :]) for at, char in enumerate(slug) if char == "-" and 0 < at < len(slug) - 1]


def countries_of(slug: str) -> tuple[Country, Country, bool] | None:
    """(first, second, moved) for a pair address: moved when it is not the pair's own address (reversed, or a
    merged country's old slug). None when no reading names two public countries."""
    for left, right in split_slug(slug):
        try:
            a, a_moved = Country.by_slug_or_former_slug(left)
            b, b_moved = Country.by_slug_or_former_slug(right)
        except Country.DoesNotExist:
            continue
        if a.pk == b.pk or not (a.is_public and b.is_public):
            continue
        first, second = ordered(a, b)
        return first, second, a_moved or b_moved or pair_slug(first, second) != slug
    return None


def find(slug: str) -> tuple[Country, Country, bool] | None:
    """countries_of(slug), kept until a write: every pair page, feed and filter reads its address."""
    return caching.remember("pair", lambda: countries_of(slug), slug)


def officials(first: Country, second: Country) -> dict[int, list[Official]]:
    """pair_officials, kept until a write."""
    return caching.remember("pair officials", lambda: pair_officials(first, second), first.pk, second.pk)


def story_counts() -> dict[tuple[int, int], int]:
    """{(country id, country id): published stories tagged with both}, lower id first, kept until a write.

    One pass over the country tags joined to themselves: every pair at once, which every pair page and
    country page then reads. Written out, as the ORM cannot join a through table to itself on the story.
    """

    def compute():
        connection = connections["default"]
        quote = connection.ops.quote_name
        tagged = quote(TaggedCountry._meta.db_table)
        stories = quote(Article._meta.db_table)
        sql = (
            f"SELECT a.tag_id, b.tag_id, COUNT(*) FROM {tagged} a "
            f"JOIN {tagged} b ON b.content_object_id = a.content_object_id AND b.tag_id > a.tag_id "
            f"JOIN {stories} story ON story.id = a.content_object_id "
            "WHERE story.status = %s GROUP BY a.tag_id, b.tag_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [Status.PUBLISHED])
            return {(a, b): count for a, b, count in cursor.fetchall()}

    return caching.remember("pair story counts", compute)


def agreement_counts() -> dict[tuple[int, int], int]:
    """{(country id, country id): public agreements both are parties to}, lower id first, kept until a write."""

    def compute():
        rows = Agreement.parties.through.objects.filter(agreement__in=Agreement.objects.public())
        parties: dict[int, list[int]] = {}
        for agreement_id, country_id in rows.values_list("agreement_id", "country_id"):
            parties.setdefault(agreement_id, []).append(country_id)
        counts: dict[tuple[int, int], int] = {}
        for ids in parties.values():
            ids.sort()
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    counts[(a, b)] = counts.get((a, b), 0) + 1
        return counts

    return caching.remember("pair agreement counts", compute)


def _key(a: Country, b: Country) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def story_count(a: Country, b: Country) -> int:
    return story_counts().get(_key(a, b), 0)


def agreement_count(a: Country, b: Country) -> int:
    return agreement_counts().get(_key(a, b), 0)


def pairs(country: Country | None = None) -> list[Pair]:
    """The pairs with published stories (of `country`, when given), most covered first, kept until a write."""

    def compute():
        counts = story_counts()
        if country is not None:
            counts = {key: n for key, n in counts.items() if country.pk in key}
        countries = Country.objects.in_bulk({pk for key in counts for pk in key})
        agreements = agreement_counts()
        found = []
        for (a, b), n in counts.items():
            first, second = ordered(countries[a], countries[b])
            found.append(Pair(first, second, n, agreements.get((a, b), 0)))
        found.sort(key=lambda pair: (-pair.story_count, pair.name))
        return found

    return caching.remember("pairs", compute, country.pk if country else None)


def pair_agreements(first: Country, second: Country) -> QuerySet:
    """Public agreements both countries are parties to, with their status, newest signing first."""
    return (
        Agreement.objects.public()
        .between(first, second)
        .with_status()
        .prefetch_related("signatories")
        .newest_signing_first()
    )


def pair_officials(first: Country, second: Country) -> dict[int, list[Official]]:
    """{country id: its officials on the pair's latest stories, most often first}, each with `shared`."""
    latest = Article.objects.published().tagged_with(first, second).newest_ids(OFFICIALS_WINDOW)
    sides: dict[int, list[Official]] = {first.pk: [], second.pk: []}
    if not latest:
        return sides
    officials = Official.objects.public().filter(country__in=[first, second]).mentioned_on(latest)
    for official in officials:
        side = sides[official.country_id]
        if len(side) < OFFICIALS_PER_SIDE:
            side.append(official)
    return sides


def story_pairs(article: Article) -> list[Pair]:
    """The pairs a story is about: each two of its countries (prefetched), with their counts."""
    countries = sorted(article.countries.all(), key=lambda country: country.slug)
    counts = story_counts()
    agreements = agreement_counts()
    return [
        Pair(a, b, counts.get(_key(a, b), 0), agreements.get(_key(a, b), 0))
        for i, a in enumerate(countries)
        for b in countries[i + 1 :]
    ]
