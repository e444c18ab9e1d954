"""Articles and the three editor-managed vocabularies (countries, officials, agreements): the schema, the one
registry of the vocabularies (VOCABULARIES), and the querysets every page, feed, sitemap and API answer composes.

How lists are drawn fast lives in articles/lists.py, the private Django and taggit APIs in articles/internals.py,
a version's tags in articles/versions.py.
"""

import datetime
import uuid
from typing import NamedTuple

from django.db import models
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Substr
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from . import search
from .ingest import parsing
from .internals import TagManager, with_iterable
from .lists import ListIterable, page_url
from .text import ascii_slug, name_key


def remember(name: str, compute, *parts):
    """compute(), kept by caching.remember until the next write; imported here, when called, because caching.py
    reads these models."""
    from .caching import remember as cached

    return cached(name, compute, *parts)


# What makes an entry public: reviewed by an editor, or named by a published story. The importer creates entries
# from drafts too; until one of those holds, only editors see them (the admin, the API with view rights).
PUBLIC_ENTRY = Q(needs_review=False) | Q(story_count__gt=0)


class EntryQuerySet(models.QuerySet):
    def public(self):
        """The only way public code reaches vocabulary entries (pages, feeds, sitemaps, the API for readers)."""
        return self.filter(PUBLIC_ENTRY)

    def covered(self):
        """Entries on published stories, most covered first (the database keeps `story_count`)."""
        return self.filter(story_count__gt=0).order_by("-story_count", "name")

    def mentioned_on(self, story_ids: list[int]):
        """Entries tagged on these stories, most often first, each with `shared`: on how many of them."""
        # Filtering the through rows and counting them in one query: the count uses the filtered join.
        return (
            self.filter(tagged_articles__content_object__in=story_ids)
            .annotate(shared=Count("tagged_articles"))
            .order_by("-shared", "name")
        )


class Entry(TagBase):
    """A vocabulary entry: a taggit tag with ASCII slugs, aliases and a review mark."""

    needs_review = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Created by the importer on its own; an editor should check it.",
    )
    story_count = models.IntegerField(
        "published stories",
        default=0,
        editable=False,
        help_text="Published stories tagged with it, kept by database triggers (articles/counting.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    @property
    def is_public(self) -> bool:
        """PUBLIC_ENTRY for one loaded entry."""
        return not self.needs_review or self.story_count > 0

    def slugify(self, tag, i=None):
        slug = ascii_slug(tag, max_length=90)
        return f"{slug}-{i}" if i is not None else slug

    # The name of the Article tag manager that holds this vocabulary.
    article_field = ""

    @classmethod
    def vocabulary(cls) -> "Vocabulary":
        return next(vocabulary for vocabulary in VOCABULARIES if vocabulary.entry is cls)

    @property
    def articles(self) -> "ArticleQuerySet":
        """Every story tagged with this entry; public code narrows it with .published()."""
        return Article.objects.filter(**{self.article_field: self})

    @classmethod
    def by_slug_or_former_slug(cls, slug: str):
        """(entry, moved): the entry with this slug, or the survivor of a merge that retired it."""
        entry = cls.objects.filter(slug=slug).first()
        if entry is not None:
            return entry, False
        alias = cls.vocabulary().alias.objects.filter(former_slug=slug).select_related("entry").first()
        if alias is None:
            raise cls.DoesNotExist(slug)
        return alias.entry, True

    @classmethod
    def public_by_slug(cls, slug: str):
        """by_slug_or_former_slug for readers: an entry that is not public does not exist."""
        entry, moved = cls.by_slug_or_former_slug(slug)
        if not entry.is_public:
            raise cls.DoesNotExist(slug)
        return entry, moved

    def get_absolute_url(self):
        return page_url(f"articles:{self._meta.model_name}", self.slug)

    def get_feed_url(self):
        return page_url(f"articles:{self._meta.model_name}_feed", self.slug)

    def alias_names(self) -> list[str]:
        """Alias names; reads the prefetched aliases when there are any."""
        return [alias.name for alias in self.aliases.all()]


class Alias(models.Model):
    """An alternative spelling that maps to one entry; its folded key is unique per vocabulary."""

    name = models.CharField(max_length=255)
    key = models.CharField(max_length=255, unique=True, editable=False)
    former_slug = models.SlugField(
        max_length=255,
        blank=True,
        db_index=True,
        help_text="Set when a merged entry left this name behind; its old URL redirects to the survivor.",
    )
    needs_review = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Learned by the importer from a close spelling; an editor should check it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class Country(Entry):
    article_field = "countries"
    iso_code = models.CharField("ISO 3166 code", max_length=2, unique=True)

    class Meta(Entry.Meta):
        verbose_name_plural = "countries"
        permissions = [("merge_country", "Can merge countries")]


class Official(Entry):
    article_field = "officials"
    role = models.CharField(max_length=200, blank=True, help_text="Role or title, e.g. Defence Minister.")
    country = models.ForeignKey(
        Country, on_delete=models.SET_NULL, null=True, blank=True, related_name="officials"
    )

    class Meta(Entry.Meta):
        permissions = [("merge_official", "Can merge officials")]


class AgreementKind(models.TextChoices):
    """What an instrument is; the values are the importer's (agreements.KIND_LABELS) where it reads the kind."""

    MOU = "mou", "Memorandum of Understanding"
    MOC = "moc", "Memorandum of Cooperation"
    AGREEMENT = "agreement", "Agreement"
    TREATY = "treaty", "Treaty"
    PROTOCOL = "protocol", "Protocol"
    FTA = "fta", "Free trade agreement"
    CEPA = "cepa", "Economic partnership agreement"
    BIT = "bit", "Investment treaty"
    LETTER_OF_INTENT = "letter_of_intent", "Letter of intent"
    DECLARATION = "declaration", "Joint declaration"
    ROADMAP = "roadmap", "Roadmap"
    FRAMEWORK = "framework", "Framework"
    ACTION_PLAN = "action_plan", "Action plan"
    PROGRAMME = "programme", "Programme"
    OTHER = "other", "Other"


class AgreementQuerySet(EntryQuerySet):
    def with_status(self):
        """Each agreement's `status` and `status_on`: the kind and date of its latest event, not a stored copy.

        Read from the events each time (one index lookup per row, agreement_event_latest_idx), so that no edit
        of an event, in the admin, the API or the importer, can leave a status behind. Suggestions awaiting
        review do not count.
        """
        latest = AgreementEvent.objects.filter(agreement=models.OuterRef("pk"), needs_review=False).order_by(
            "-date", "-pk"
        )
        return self.annotate(
            status=models.Subquery(latest.values("kind")[:1]),
            status_on=models.Subquery(latest.values("date")[:1]),
        )

    def between(self, first: "Country", second: "Country"):
        """Agreements both countries are parties to."""
        return self.filter(parties=first).filter(parties=second)

    def newest_signing_first(self):
        return self.order_by(F("signed_on").desc(nulls_last=True), "name", "pk")


class Agreement(Entry):
    article_field = "agreements"
    name = models.CharField(verbose_name="name", unique=True, max_length=255)
    slug = models.SlugField(verbose_name="slug", unique=True, max_length=255, allow_unicode=False)
    kind = models.CharField(max_length=20, choices=AgreementKind, default=AgreementKind.AGREEMENT)
    signed_on = models.DateField(null=True, blank=True, help_text="The date it was signed, when known.")
    parties = models.ManyToManyField(
        Country, blank=True, related_name="agreements", help_text="The countries that are parties to it."
    )
    other_parties = models.CharField(
        max_length=255,
        blank=True,
        help_text="Parties that are not countries (companies, associations), separated by semicolons: SIDM; AIAD.",
    )
    signatories = models.ManyToManyField(
        Official, blank=True, related_name="signed_agreements", help_text="The officials who signed it."
    )
    subject = models.CharField(max_length=200, blank=True, help_text="What it covers, e.g. defence cooperation.")

    objects = AgreementQuerySet.as_manager()

    class Meta(Entry.Meta):
        permissions = [("merge_agreement", "Can merge agreements")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"),
        ]

    @property
    def party_list(self) -> list[str]:
        """The parties' names: the countries (prefetched, when they are), then the others as written."""
        countries = [country.name for country in self.parties.all()] if self.pk else []
        return countries + self.other_party_names

    @property
    def status_label(self) -> str:
        """The `status` annotation (AgreementQuerySet.with_status) as readers read it."""
        status = getattr(self, "status", None)
        return EventKind(status).label if status else ""

    @property
    def other_party_names(self) -> list[str]:
        return [party.strip() for party in self.other_parties.split(";") if party.strip()]

    def set_parties(self, names) -> None:
        """Parties from names: a country's name or alias makes a party country; other names are kept as written."""
        countries, others = countries_by_name(names)
        self.other_parties = self.join_parties(others)
        self.save(update_fields=["other_parties", "updated_at"])
        self.parties.set(countries)

    @staticmethod
    def join_parties(names: list[str]) -> str:
        """The parties that are no country, as `other_parties` keeps them."""
        return "; ".join(names)[: Agreement._meta.get_field("other_parties").max_length]


def countries_by_name(names, known: dict | None = None) -> tuple[list, list[str]]:
    """(the countries named, the names that are no country's), each name matched by its folded key.

    `known` maps the folded names and aliases of every country to the country (or its id), for a caller that
    holds them already (the importer); without it the database is asked.
    """
    wanted = {name_key(name): name.strip() for name in names if name.strip()}
    found = known if known is not None else _countries_by_key(wanted)
    countries, others = [], []
    for key, name in wanted.items():
        if key in found:
            if found[key] not in countries:
                countries.append(found[key])
        else:
            others.append(name)
    return countries, others


def _countries_by_key(wanted: dict[str, str]) -> dict:
    found = {name_key(country.name): country for country in Country.objects.filter(name__in=wanted.values())}
    missing = [key for key in wanted if key not in found]
    if missing:
        for alias in CountryAlias.objects.filter(key__in=missing).select_related("entry"):
            found[alias.key] = alias.entry
    return found


class CountryAlias(Alias):
    entry = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name_plural = "country aliases"


class OfficialAlias(Alias):
    entry = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name_plural = "official aliases"


class AgreementAlias(Alias):
    entry = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name_plural = "agreement aliases"


class TagOrigin(models.TextChoices):
    IMPORTER = "importer", "Importer"
    EDITOR = "editor", "Editor"


class EvidencedTag(TaggedItemBase):
    """A story's tag with where it came from: the importer (with the sentence it read and how sure it was) or an
    editor."""

    origin = models.CharField(max_length=10, choices=TagOrigin, default=TagOrigin.EDITOR)
    confidence = models.FloatField(
        null=True, blank=True, help_text="How sure the importer was, from 0 to 1; empty for an editor's tag."
    )
    evidence = models.TextField(blank=True, help_text="The sentence the importer read it from.")
    needs_review = models.BooleanField(
        default=False, help_text="The importer was unsure: a suggestion for an editor to accept or remove."
    )

    class Meta:
        abstract = True

    def __str__(self):
        # The story form lists a story's tags: each row is the entry, not "<whole headline> tagged with <entry>".
        return str(self.tag)


class TaggedCountry(EvidencedTag):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "story country"
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_country")]
        # An entry's stories, newest first, from the index alone (entry pages, related stories, counts).
        indexes = [models.Index(fields=["tag", "-content_object"], name="tagged_country_story_idx")]


class TaggedOfficial(EvidencedTag):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "story official"
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_official")]
        # An entry's stories, newest first, from the index alone (entry pages, related stories, counts).
        indexes = [models.Index(fields=["tag", "-content_object"], name="tagged_official_story_idx")]


class TaggedAgreement(EvidencedTag):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "story agreement"
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_agreement")]
        # An entry's stories, newest first, from the index alone (entry pages, related stories, counts).
        indexes = [models.Index(fields=["tag", "-content_object"], name="tagged_agreement_story_idx")]


class Vocabulary(NamedTuple):
    """One of the three vocabularies: the entries, their tags on stories, their aliases."""

    entry: type[Entry]
    through: type[EvidencedTag]
    alias: type[Alias]

    @property
    def field(self) -> str:
        """Article's tag manager, and the key of a story's tags in the API and in versions: "countries"."""
        return self.entry.article_field

    @property
    def parameter(self) -> str:
        """The story list's filter parameter, and a tag's kind on lists: "country"."""
        return self.entry._meta.model_name


# The one list of the three vocabularies, in the order pages show tags; everything else reads it.
VOCABULARIES = (
    Vocabulary(Country, TaggedCountry, CountryAlias),
    Vocabulary(Official, TaggedOfficial, OfficialAlias),
    Vocabulary(Agreement, TaggedAgreement, AgreementAlias),
)


class EventKind(models.TextChoices):
    """What happened to an agreement; the values the importer reads are agreements.Status's."""

    ANNOUNCED = "announced", "Announced"
    NEGOTIATING = "negotiating", "Under negotiation"
    SIGNED = "signed", "Signed"
    RATIFIED = "ratified", "Ratified"
    IN_FORCE = "in_force", "In force"
    EXTENDED = "extended", "Extended"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"
    EXPIRED = "expired", "Expired"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class AgreementEventQuerySet(models.QuerySet):
    def public(self):
        """Events readers see: an editor's, or the importer's once reviewed or read from a published story."""
        published = Article.objects.published().filter(agreement_events=models.OuterRef("pk"))
        return self.filter(Q(needs_review=False) | models.Exists(published))

    def latest_first(self):
        return self.order_by("-date", "-pk")


class AgreementEvent(models.Model):
    """One dated event in an agreement's life, with the stories that report it; the latest is its status.

    One signing reported by twenty stories is one event with twenty sources (see importing.record_events).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind)
    party = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_events",
        help_text="The party it concerns, when only one (a ratification).",
    )
    date = models.DateField(help_text="The day; with a coarser precision, the first day of its month or year.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    sources = models.ManyToManyField(
        "Article", blank=True, related_name="agreement_events", help_text="The stories that report it."
    )
    origin = models.CharField(max_length=10, choices=TagOrigin, default=TagOrigin.EDITOR)
    evidence = models.TextField(blank=True, help_text="The sentence the importer read it from.")
    needs_review = models.BooleanField(
        default=False, db_index=True, help_text="The importer was unsure: an editor should check it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementEventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="agreement_event_kind_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values), name="agreement_event_precision_valid"
            ),
        ]
        # An agreement's latest event (its status) from the end of the index.
        indexes = [models.Index(fields=["agreement", "-date", "-id"], name="agreement_event_latest_idx")]

    def __str__(self):
        return f"{self.agreement}: {self.get_kind_display().lower()} {self.date_text}"

    @property
    def date_text(self) -> str:
        if self.date_precision == DatePrecision.YEAR:
            return f"{self.date:%Y}"
        if self.date_precision == DatePrecision.MONTH:
            return f"{self.date:%B %Y}"
        return f"{self.date.day} {self.date:%B %Y}"


class ArticleVersion(models.Model):
    """What each saved version of a story keeps besides the fields simple-history copies: its tags."""

    tags = models.JSONField(
        null=True,
        editable=False,
        help_text="The story's countries, officials and agreements after this change (see articles/versions.py); "
        "null in versions saved before versions kept tags.",
    )

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def slug_candidates(headline: str, published_on: datetime.date | None = None) -> list[str]:
    """Slugs to try for a headline, in order: the headline, then with the date, then numbered."""
    base = ascii_slug(headline, max_length=80)
    candidates = [base]
    if published_on:
        candidates.append(f"{base}-{published_on:%Y-%m-%d}")
    return candidates + [f"{base}-{n}" for n in range(2, 12)]


def random_slug(headline: str) -> str:
    return f"{ascii_slug(headline, max_length=80)}-{uuid.uuid4().hex[:8]}"


# Up to this many stories, an entry's stories are found from its tag rows; beyond, from the newest stories.
FEW_STORIES = 1000
# A story's related stories are chosen among this many of the latest on each of its entries.
RELATED_CANDIDATES = 100
# A timeline (stories per month) shows at most this many months.
TIMELINE_MONTHS = 36


def latest_tagged(through: type, tag_id: int) -> list[int]:
    """The RELATED_CANDIDATES stories most recently tagged with an entry (from the end of its index)."""
    latest = through.objects.filter(tag_id=tag_id).order_by("-content_object_id")
    return remember(
        "latest tagged",
        lambda: list(latest.values_list("content_object_id", flat=True)[:RELATED_CANDIDATES]),
        through._meta.label,
        tag_id,
    )


class ArticleQuerySet(models.QuerySet):
    vocabularies = VOCABULARIES

    def free_slug(self, headline: str, published_on: datetime.date | None = None) -> str:
        """A slug for a headline that no story has."""
        candidates = slug_candidates(headline, published_on)
        # Exact candidates keep to the unique index; a LIKE 'base%' would read the whole table.
        taken = set(self.filter(slug__in=candidates).values_list("slug", flat=True))
        return next((slug for slug in candidates if slug not in taken), None) or random_slug(headline)

    def published(self):
        """The only way public code reaches articles."""
        return self.filter(status=Status.PUBLISHED)

    def search(self, query: str):
        """Stories matching `query`, annotated with `rank` and best first (see articles/search.py)."""
        return search.search(self, query)

    def with_vocabularies(self):
        """Prefetch the three vocabularies so a list costs the same queries for any number of rows."""
        return self.prefetch_related(*(vocabulary.field for vocabulary in self.vocabularies))

    def for_lists(self):
        """What a list of stories shows: no body, and each story's `tag_links` (one query for all rows)."""
        return with_iterable(self.defer("body", "raw_text"), ListIterable)

    def tagged_with(self, *entries: Entry):
        """The stories tagged with every one of `entries`, each found the way that stays fast for its stories.

        An entry on a few stories (most agreements) is fastest found from its tag rows: their story ids, kept
        until the next write, go into the query as a list. An entry on thousands (the home country) is fastest
        found by walking the list's date index and checking each story for the tag, which stops after one page;
        starting from its tag rows would read them all. SQLite, without statistics, picks neither plan reliably.
        """
        stories = self
        for entry in entries:
            through = entry.vocabulary().through

            def story_ids(through=through, entry_id=entry.pk):
                ids = through.objects.filter(tag_id=entry_id).values_list("content_object_id", flat=True)
                ids = list(ids[: FEW_STORIES + 1])
                return ids if len(ids) <= FEW_STORIES else None

            ids = remember("tagged ids", story_ids, through._meta.label, entry.pk)
            if ids is not None:
                stories = stories.filter(pk__in=ids)
            else:
                stories = stories.filter(
                    Exists(through.objects.filter(tag_id=entry.pk, content_object_id=OuterRef("pk")))
                )
        return stories

    def newest_ids(self, limit: int) -> list[int]:
        """The ids of the newest `limit` stories, in the lists' order."""
        return list(self.order_by(*Article._meta.ordering).values_list("pk", flat=True)[:limit])

    def related_to(self, article: "Article"):
        """Stories sharing the most entries with `article`, newest first among equals, each with `shared`.

        The candidates are the stories most recently tagged with each of its entries (its tags prefetched),
        RELATED_CANDIDATES per entry: an entry on every story (the home country) would otherwise make the whole
        archive a candidate. Each entry's candidates are kept until the next write and serve every story that
        mentions it.
        """
        shared = Value(0)
        candidates = set()
        for vocabulary in self.vocabularies:
            field = vocabulary.field
            ids = [tag.pk for tag in getattr(article, field).all()]
            if not ids:
                continue
            for tag_id in ids:
                candidates.update(latest_tagged(vocabulary.through, tag_id))
            shared += Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        candidates.discard(article.pk)
        if not candidates:
            return self.none()
        return (
            # A list of ids, so that the counts join only the candidates' tags, on either database.
            self.filter(pk__in=sorted(candidates))
            .annotate(shared=shared)
            .order_by("-shared", *Article._meta.ordering)
        )

    def per_month(self, months: int = TIMELINE_MONTHS) -> list[tuple[datetime.date, int]]:
        """(first day of month, stories) for each month up to the latest story's, gaps included.

        At most the latest `months` months, and only their stories are counted.
        """
        dated = self.exclude(published_on=None).values_list("published_on", flat=True)
        latest = dated.order_by("-published_on").first()
        if latest is None:
            return []
        first = dated.order_by("published_on").first().replace(day=1)
        shown = [latest.replace(day=1)]
        while shown[-1] > first and len(shown) < months:
            shown.append((shown[-1] - datetime.timedelta(days=1)).replace(day=1))
        rows = (
            dated.filter(published_on__gte=shown[-1])
            # "YYYY-MM" of the ISO date: built-in string functions on both databases, where SQLite's TruncMonth
            # calls back into Python for every row.
            .annotate(month=Substr(Cast("published_on", CharField()), 1, 7))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by()
        )
        counts = {datetime.date.fromisoformat(f"{row['month']}-01"): row["count"] for row in rows}
        return [(month, counts.get(month, 0)) for month in reversed(shown)]


class Article(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=255, unique=True)
    standfirst = models.TextField(blank=True, help_text="Optional summary shown under the headline.")
    body = models.TextField()
    dateline = models.CharField(max_length=100, blank=True, help_text='The place as written, e.g. "Rabat".')
    published_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text='Outlet or agency, e.g. "ANI".')
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    headline_derived = models.BooleanField(
        "headline made by the importer",
        default=False,
        help_text="The file had no headline line: the importer cut one from the first sentence.",
    )
    raw_text = models.TextField(editable=False, help_text="The text exactly as received (decoded).")
    source_file = models.CharField(max_length=255, blank=True, editable=False)
    content_key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    countries = TaggableManager(
        through=TaggedCountry,
        related_name="articles",
        blank=True,
        ordering=["name"],
        manager=TagManager,
        verbose_name="countries",
    )
    officials = TaggableManager(
        through=TaggedOfficial,
        related_name="articles",
        blank=True,
        ordering=["name"],
        manager=TagManager,
        verbose_name="officials",
    )
    agreements = TaggableManager(
        through=TaggedAgreement,
        related_name="articles",
        blank=True,
        ordering=["name"],
        manager=TagManager,
        verbose_name="agreements",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(bases=[ArticleVersion], excluded_fields=["raw_text"])

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        permissions = [("publish_article", "Can publish and unpublish stories")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="article_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on", "-id"], name="article_status_date_idx"),
            models.Index(fields=["source_file"], name="article_source_file_idx"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return page_url("articles:detail", self.slug)

    @classmethod
    def new_story(
        cls, *, headline: str, body: str, reason: str, raw_text: str | None = None, content_key: str = "", **fields
    ) -> "Article":
        """A story not yet saved, set up alike by the importer and the API.

        It gets a free slug unless one is given, its raw text (the body, when it came as no file), the content
        key by which the importer knows it has it, and the reason its first version gives.
        """
        raw_text = body if raw_text is None else raw_text
        if not fields.get("slug"):
            fields["slug"] = cls.objects.free_slug(headline, fields.get("published_on"))
        story = cls(
            headline=headline,
            body=body,
            raw_text=raw_text,
            content_key=content_key or parsing.content_key(raw_text),
            **fields,
        )
        story._change_reason = reason
        return story

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


class CacheGeneration(models.Model):
    """One row whose number moves on with every write to stories, tags or vocabularies (see articles/caching.py).

    Database triggers (articles/caching.py) move it as the writing transaction commits, so every way of writing
    counts: the admin's bulk actions, the importer's bulk inserts, merges, QuerySet.update(), raw SQL.
    """

    number = models.BigIntegerField()

    def __str__(self):
        return str(self.number)
