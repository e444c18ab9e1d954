"""Turn one news file into one article, in one transaction, using the newsroom's vocabulary.

The rule for files seen before (also in the README):
- the same text again (whatever its line endings or file name) is `unchanged` and writes nothing;
- a changed text under a known file name updates that story's body, raw text and content key only:
  headline, standfirst, status and tags stay as the editors left them;
- anything else is a new story, tagged automatically.
"""

from __future__ import annotations

import collections
import datetime
import enum
import functools
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import connections, transaction
from django.utils import timezone

from .ingest import parsing
from .ingest.entities import Findings, KnownAgreement, KnownOfficial, Vocabulary, find_entities
from .models import (
    VOCABULARIES,
    Agreement,
    AgreementAlias,
    AgreementEvent,
    AgreementKind,
    Article,
    Country,
    CountryAlias,
    EventKind,
    Official,
    OfficialAlias,
    Status,
    TagOrigin,
    countries_by_name,
    random_slug,
    slug_candidates,
)
from .text import name_key
from .versions import record_tags, write_event_versions, write_versions

STDIN_NAME = "<stdin>"
# Files imported together in one transaction (see Importer.import_batch).
BATCH_SIZE = 100
# After writing this many stories in one run, the importer refreshes PostgreSQL's statistics.
REFRESH_AFTER = 1000
# A reading less sure than this is tagged as a suggestion for an editor to accept or remove.
REVIEW_BELOW = 0.75
# The sentence a tag keeps as its evidence, at most.
EVIDENCE_MAX_CHARS = 1000
# A batch (or file) that PostgreSQL refuses for a deadlock or a serialization failure is tried again this many
# times, after RETRY_PAUSE seconds, doubling each time up to RETRY_PAUSE_MAX (with some jitter).
RETRIES = 5
RETRY_PAUSE = 0.1
RETRY_PAUSE_MAX = 2.0
# How long a batch waits for the entries it tags, which an editor's transaction may hold; past this, it lets
# go of everything and is tried again. Shorter than PostgreSQL's deadlock_timeout (1 s by default), so that in a
# deadlock with an editor, the batch gives up first and the editor's action goes through.
ENTRY_LOCK_TIMEOUT = "500ms"
# A batch that meets such a lock keeps trying for this long (a merge of an entry on thousands of stories may
# hold it for a while) before it gives up.
LOCK_PATIENCE = 120.0
LOCK_NOT_AVAILABLE = "55P03"
# SQLSTATEs worth trying again: deadlock_detected, serialization_failure, and lock_not_available.
CONFLICTS = {"40P01", "40001"}
RETRYABLE = {*CONFLICTS, LOCK_NOT_AVAILABLE}
# Two stories report the same event of an agreement when they date it in the same month or this close.
SAME_EVENT_WITHIN = datetime.timedelta(days=7)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportResult:
    outcome: Outcome
    article: Article
    warnings: tuple[str, ...] = ()
    new_entries: list[str] = field(default_factory=list)
    # The entries and spellings the run's vocabulary learns from this story, once it is written.
    learned: list = field(default_factory=list, repr=False)


def load_vocabulary() -> Vocabulary:
    """Read the editors' vocabulary once; the importer grows it as it creates entries."""
    officials = [
        KnownOfficial(
            o.pk,
            o.name,
            tuple(a.name for a in o.aliases.all()),
            o.country.iso_code if o.country else None,
            o.role,
        )
        for o in Official.objects.select_related("country").prefetch_related("aliases")
    ]
    agreements = [
        _known_agreement(a, tuple(alias.name for alias in a.aliases.all()))
        for a in Agreement.objects.prefetch_related("aliases", "parties")
    ]
    country_aliases = dict(CountryAlias.objects.values_list("name", "entry__iso_code"))
    return Vocabulary(officials, agreements, country_aliases)


def _known_agreement(agreement: Agreement, aliases: tuple[str, ...], parties=None) -> KnownAgreement:
    """What the reading knows of an agreement; `parties` are its party names when the caller has them."""
    return KnownAgreement(
        agreement.pk,
        agreement.name,
        aliases,
        agreement.kind,
        tuple(agreement.party_list if parties is None else parties),
        agreement.subject,
        agreement.signed_on,
    )


class Importer:
    """Imports texts one at a time; each call is atomic and leaves nothing behind when it fails."""

    def __init__(self, *, status: str = Status.PUBLISHED, dry_run: bool = False):
        self.status = status
        self.dry_run = dry_run
        # Transactions tried again, by the SQLSTATE that refused them.
        self.retries: collections.Counter[str] = collections.Counter()
        self.reload()

    def learn(self, learned: list):
        """Add to the run's vocabulary what a story, now written, created or spelled anew."""
        for entry in learned:
            if isinstance(entry, KnownOfficial):
                self.vocabulary.add_official(entry)
                self.names[Official][entry.id] = entry.name
            else:
                self.vocabulary.add_agreement(entry)
                self.names[Agreement][entry.id] = entry.name

    def import_batch(self, items: list[tuple[str, parsing.ParsedArticle]]) -> list[ImportResult | Exception]:
        """Import parsed files together: one transaction and a few bulk writes for the lot.

        The batch is all or nothing. If anything in it fails, it is rolled back and every file is imported
        again on its own, so a bad file still fails alone and each file stays atomic.
        """
        names = [name for name, _parsed in items if name != STDIN_NAME]
        if len(set(names)) < len(names):
            # A name twice in one batch: the second is an update of the first, which only the one-by-one
            # path sees.
            return self._one_by_one(items)
        try:
            results = self._retrying(self._import_batch, items)
        except Exception:  # noqa: BLE001 - any failure: redo one by one so that only the bad file fails
            return self._one_by_one(items)
        for (_name, parsed), result in zip(items, results, strict=True):
            result.warnings = parsed.warnings
        return results

    def _one_by_one(self, items) -> list[ImportResult | Exception]:
        results: list[ImportResult | Exception] = []
        for name, parsed in items:
            try:
                results.append(self.import_parsed(parsed, name))
            except Exception as error:  # noqa: BLE001 - reported per file by the caller
                results.append(error)
        return results

    def _retrying(self, write, *args):
        """write(*args) in a transaction of its own, tried again when PostgreSQL refuses it for a conflict.

        Whatever failed is rolled back, and with it the entries the vocabulary learned meanwhile, so the
        vocabulary is read afresh before each new try (and after any failure, for the caller's next step).
        """
        conflicts, attempt, deadline = 0, 0, time.monotonic() + LOCK_PATIENCE
        while True:
            try:
                self.retrying = True
                with transaction.atomic():
                    result = write(*args)
                    if self.dry_run:
                        transaction.set_rollback(True)
            except Exception as error:
                self.retrying = False
                self.reload()
                state = _sqlstate(error)
                if state == LOCK_NOT_AVAILABLE:
                    if time.monotonic() > deadline:
                        raise
                elif state in CONFLICTS:
                    conflicts += 1
                    if conflicts > RETRIES:
                        raise
                else:
                    raise
                self.retries[state] += 1
                pause = min(RETRY_PAUSE * 2**attempt, RETRY_PAUSE_MAX)
                time.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not secrets
                attempt += 1
                continue
            self.retrying = False
            if self.renamed:
                # An entry was merged away since the vocabulary was read: learn where its names went.
                self.reload()
            return result

    def reload(self):
        self.vocabulary = load_vocabulary()
        self.names = _entry_names(self.vocabulary)
        self.country_ids = dict(Country.objects.values_list("iso_code", "pk"))
        self.country_codes = {pk: code for code, pk in self.country_ids.items()}
        self.country_keys = _country_keys(self.names[Country], self.vocabulary.country_aliases, self.country_ids)
        self.renamed = False
        self.retrying = False

    def _import_batch(self, items) -> list[ImportResult]:
        keys = [parsed.content_key for _name, parsed in items]
        names = {name for name, _parsed in items if name != STDIN_NAME}
        known = {
            a.content_key: a
            for a in Article.objects.filter(content_key__in=keys).only("headline", "slug", "content_key")
        }
        renamed = set(Article.objects.filter(source_file__in=names).values_list("source_file", flat=True))
        wanted = {}
        for _name, parsed in items:
            wanted[parsed.content_key] = slug_candidates(parsed.headline, parsed.published_on)
        taken = set(
            Article.objects.filter(slug__in=[slug for slugs in wanted.values() for slug in slugs]).values_list(
                "slug", flat=True
            )
        )
        results: list[ImportResult | None] = []
        new_articles, new_tags, new_findings = [], [], []
        for name, parsed in items:
            key = parsed.content_key
            if key in known:
                results.append(ImportResult(Outcome.UNCHANGED, known[key]))
                continue
            if name in renamed:
                result = self._import(parsed, key, name)
                results.append(result)
                self.learn(result.learned)
                continue
            slug = next((slug for slug in wanted[key] if slug not in taken), None) or random_slug(parsed.headline)
            taken.add(slug)
            article = self._new_article(parsed, key, name, slug)
            known[key] = article
            findings = find_entities(parsed.body, self.vocabulary, parsed.published_on, parsed.written_headline)
            resolution = self.resolve(findings)
            result = ImportResult(Outcome.CREATED, article, new_entries=resolution.new_entries)
            new_tags.append(resolution.tags)
            new_findings.append(event_readings(findings, resolution.tags, parsed.published_on))
            self.learn(resolution.learned)
            new_articles.append(article)
            results.append(result)
        held = [
            self.hold(through, [reading.id for readings in new_tags for reading in readings[position]])
            for position, through in enumerate(vocabulary.through for vocabulary in VOCABULARIES)
        ]
        Article.objects.bulk_create(new_articles)
        for position, through in enumerate(vocabulary.through for vocabulary in VOCABULARIES):
            through.objects.bulk_create(
                [
                    reading.row(through, article)
                    for article, tag_readings in zip(new_articles, new_tags, strict=True)
                    for reading in _first_of_each(_survivors(tag_readings[position], held[position]))
                ]
            )
        record_events(zip(new_articles, new_findings, strict=True), self.country_keys)
        # After the tags, so that each story's first version carries them.
        write_versions(new_articles, reason="imported", history_type="+")
        return results

    def import_parsed(self, parsed: parsing.ParsedArticle, filename: str) -> ImportResult:
        """Import one parsed file in its own transaction."""
        result = self._retrying(self._import, parsed, parsed.content_key, filename)
        # Only now that the story is safely written does the run's vocabulary learn the new entries.
        self.learn(result.learned)
        result.warnings = parsed.warnings
        return result

    def _new_article(self, parsed, key, filename, slug="") -> Article:
        return Article.new_story(
            headline=parsed.headline,
            body=parsed.body,
            raw_text=parsed.raw_text,
            content_key=key,
            reason=f"imported from {filename}",
            slug=slug,
            headline_derived=parsed.headline_derived,
            dateline=parsed.dateline,
            published_on=parsed.published_on,
            source=parsed.source,
            status=self.status,
            source_file="" if filename == STDIN_NAME else filename,
        )

    def _import(self, parsed, key, filename) -> ImportResult:
        existing = Article.objects.filter(content_key=key).first()
        if existing is not None:
            return ImportResult(Outcome.UNCHANGED, existing)
        if filename != STDIN_NAME:
            previous = Article.objects.filter(source_file=filename).order_by("-pk").first()
            if previous is not None:
                previous.body = parsed.body
                previous.raw_text = parsed.raw_text
                previous.content_key = key
                previous._change_reason = f"re-imported from {filename}"
                previous.save(update_fields=["body", "raw_text", "content_key", "updated_at"])
                return ImportResult(Outcome.UPDATED, previous)
        article = self._new_article(parsed, key, filename)
        article.save()
        findings = find_entities(parsed.body, self.vocabulary, parsed.published_on, parsed.written_headline)
        resolution = self.resolve(findings)
        if self.link(article, resolution.tags, new=True):
            # The version the save wrote was taken before the story had tags.
            record_tags(article)
        record_events(
            [(article, event_readings(findings, resolution.tags, parsed.published_on))], self.country_keys
        )
        return ImportResult(
            Outcome.CREATED, article, new_entries=resolution.new_entries, learned=resolution.learned
        )

    def tag(self, article: Article, findings: Findings, *, new: bool = False) -> Resolution:
        """Add what was found to the story, creating entries for review; never removes a tag.

        `new` says the story was just created, so it has no tags to read first. The resolution says how many
        tags the story gained (`added`) and what the run learns once the story is written.
        """
        resolution = self.resolve(findings)
        resolution.added = self.link(article, resolution.tags, new=new)
        return resolution

    def link(self, article: Article, tag_ids: tuple[list, list, list], *, new: bool = False) -> int:
        """Add the resolved tags to the story; returns how many it did not have."""
        return sum(
            self._link(through, article, _survivors(ids, self.hold(through, [r.id for r in ids])), new)
            for through, ids in zip((vocabulary.through for vocabulary in VOCABULARIES), tag_ids, strict=True)
        )

    def hold(self, through, ids: list[int]) -> dict[int, int | None]:
        """Lock the entries about to be tagged until the transaction ends; each id, mapped to the one to tag.

        An editor may have merged an entry away since the vocabulary was read: its id maps to the survivor
        (found by the merged name, which the merge made the survivor's alias), or to None if it is gone.
        Locked, an entry cannot be merged away before the tags are committed (a merge locks its entries
        first, and waits). Locks are taken in id order, for at most ENTRY_LOCK_TIMEOUT (then the transaction
        is tried again, see _retrying), and after them the transaction waits for nothing an editor holds.
        """
        model = through.tag_model()
        wanted = set(ids)
        if not wanted:
            return {}
        connection = connections[model.objects.db]
        # Only where a refusal is tried again (the importer's own transactions, not a re-tagging).
        timeout = connection.vendor == "postgresql" and self.retrying
        mapping: dict[int, int | None] = {}
        for _round in range(10):
            if timeout:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{ENTRY_LOCK_TIMEOUT}'")
            # FOR NO KEY UPDATE, the lock the story-count triggers take: stronger than the tag rows' foreign
            # keys need, but then those triggers need no further lock, and a merge (FOR UPDATE) waits.
            rows = model.objects.filter(pk__in=wanted).order_by("pk").select_for_update(no_key=True)
            present = set(rows.values_list("pk", flat=True))
            if timeout:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
            for pk in present:
                mapping.setdefault(pk, pk)
            missing = wanted - present
            if not missing:
                break
            self.renamed = True
            names = self.names.get(model, {})
            keys = {pk: name_key(names[pk]) for pk in missing if pk in names}
            holders = dict(
                model.aliases.rel.related_model.objects.filter(key__in=set(keys.values())).values_list(
                    "key", "entry_id"
                )
            )
            wanted = set()
            for pk in missing:
                survivor = holders.get(keys.get(pk))
                for old, new in mapping.items():
                    if new == pk:
                        mapping[old] = survivor
                mapping[pk] = survivor
                if survivor is not None and survivor not in present:
                    wanted.add(survivor)
            if not wanted:
                break
        return mapping

    def resolve(self, findings: Findings) -> Resolution:
        """The tags (TagReading) of each vocabulary for what was found, creating entries for review."""
        learned: list[KnownOfficial | KnownAgreement] = []
        new_entries: list[str] = []
        official_ids = []
        for finding in findings.officials:
            reading = functools.partial(TagReading, evidence=finding.evidence, confidence=finding.confidence)
            if finding.official is not None:
                official_ids.append(reading(finding.official.id))
                if finding.new_alias and self._add_alias(OfficialAlias, finding.official.id, finding.new_alias):
                    learned.append(finding.official.with_alias(finding.new_alias))
                    new_entries.append(f"alias {finding.new_alias!r} of {finding.official.name}")
                continue
            official, created = Official.objects.get_or_create(
                name__iexact=finding.name,
                defaults={
                    "name": finding.name,
                    "role": finding.role[:200],
                    "country_id": self.country_ids.get(finding.country),
                    "needs_review": True,
                },
            )
            official_ids.append(reading(official.pk))
            learned.append(
                KnownOfficial(
                    official.pk, official.name, (), self.country_codes.get(official.country_id), official.role
                )
            )
            if created:
                new_entries.append(f"official {official.name} ({official.role})")

        agreement_ids = []
        for finding in findings.agreements:
            reading = functools.partial(TagReading, evidence=finding.evidence, confidence=finding.confidence)
            if finding.agreement is not None:
                agreement_ids.append(reading(finding.agreement.id))
                continue
            agreement, parties = self._new_agreement(finding)
            agreement_ids.append(reading(agreement.pk))
            acronym = (finding.acronym,) if finding.acronym else ()
            if acronym and not self._add_alias(AgreementAlias, agreement.pk, finding.acronym):
                acronym = ()  # another agreement's short form already
            learned.append(_known_agreement(agreement, aliases=acronym, parties=parties))
            new_entries.append(f"agreement {agreement.name}")

        country_ids = [
            TagReading(self.country_ids[code], findings.country_evidence.get(code, ""), 1.0)
            for code in findings.countries
            if code in self.country_ids
        ]
        return Resolution((country_ids, official_ids, agreement_ids), new_entries, learned)

    @staticmethod
    def _link(through, article: Article, readings: list[TagReading], new: bool) -> int:
        if not readings:
            return 0
        have = (
            set() if new else set(through.objects.filter(content_object=article).values_list("tag_id", flat=True))
        )
        wanted = [reading for reading in _first_of_each(readings) if reading.id not in have]
        through.objects.bulk_create([reading.row(through, article) for reading in wanted])
        return len(wanted)

    @staticmethod
    def _add_alias(alias_model, entry_id: int, name: str) -> bool:
        key = name_key(name)
        if not key or alias_model.objects.filter(key=key).exists():
            return False
        alias_model.objects.create(entry_id=entry_id, name=name, needs_review=True)
        return True

    def _new_agreement(self, finding) -> tuple[Agreement, list[str]]:
        """A new agreement for review, and its parties' names; a name already taken by another signing gets its
        year, then its date.

        The names taken are the vocabulary's, which holds every agreement: asking the database would scan the
        table for each new agreement (names are compared in lower case, which no index serves). One written
        meanwhile by someone else under the same name fails the batch, which is then imported again one file
        at a time with the vocabulary read afresh.
        """
        names = [finding.name]
        if finding.signed_on:
            names += [
                f"{finding.name} ({finding.signed_on.year})",
                f"{finding.name} ({finding.signed_on.isoformat()})",
            ]
        names += [f"{finding.name} ({n})" for n in range(2, 100)]
        taken = self.vocabulary.agreement_names
        countries, others = countries_by_name(finding.parties, self.country_keys)
        agreement = Agreement.objects.create(
            name=next(name for name in names if name.lower() not in taken),
            kind=model_kind(finding.kind),
            signed_on=finding.signed_on,
            subject=finding.subject[:200],
            other_parties=Agreement.join_parties(others),
            needs_review=True,
        )
        agreement.parties.add(*countries)
        # As Agreement.party_list gives them: the countries by name, then the others as written.
        return agreement, sorted(self.names[Country][pk] for pk in countries) + others


# The reading's kinds the model does not list, as the nearest kind it does.
COARSER_KINDS = {
    "iga": "agreement",
    "currency_swap": "agreement",
    "arrangement": "agreement",
    "contract": "agreement",
}


def model_kind(kind: str) -> str:
    if kind in AgreementKind.values:
        return kind
    return COARSER_KINDS.get(kind, AgreementKind.OTHER)


def _sqlstate(error: BaseException | None) -> str | None:
    """The SQLSTATE of a database error (Django's keeps the driver's as its cause)."""
    while error is not None:
        if getattr(error, "sqlstate", None):
            return error.sqlstate
        error = error.__cause__
    return None


def _entry_names(vocabulary: Vocabulary) -> dict:
    """Each vocabulary's names by id, to find where an entry went when it is merged away during an import."""
    return {
        Official: {o.id: o.name for o in vocabulary.officials},
        Agreement: {a.id: a.name for a in vocabulary.agreements},
        Country: dict(Country.objects.values_list("pk", "name")),
    }


def _country_keys(names: dict[int, str], aliases: dict[str, str], ids: dict[str, int]) -> dict[str, int]:
    """Each country's id by its folded name and by each alias (models.countries_by_name's `known`); a name wins."""
    keys = {name_key(alias): ids[code] for alias, code in aliases.items() if code in ids}
    keys.update({name_key(name): pk for pk, name in names.items()})
    return keys


def _survivors(readings: list[TagReading], mapping: dict[int, int | None]) -> list[TagReading]:
    """The readings with each merged entry replaced by its survivor; those of entries gone, left out."""
    return [
        reading if mapping.get(reading.id, reading.id) == reading.id else replace(reading, id=mapping[reading.id])
        for reading in readings
        if mapping.get(reading.id, reading.id) is not None
    ]


@dataclass
class Resolution:
    """What a story's findings come to: its tags, the entries created for review, and what the run learns."""

    tags: tuple[list[TagReading], list[TagReading], list[TagReading]]  # countries, officials, agreements
    new_entries: list[str]  # "official Pete Hegseth (US Secretary of Defense)", for the command to say
    learned: list[KnownOfficial | KnownAgreement]
    added: int = 0  # tags the story did not have, once linked


@dataclass(frozen=True)
class EventReading:
    """An event of an agreement's life as one story reports it."""

    agreement_id: int
    kind: str  # EventKind
    date: datetime.date
    evidence: str
    needs_review: bool
    party_names: tuple[str, ...] = ()  # the reading's parties, for an agreement that has none
    story_country_ids: tuple[int, ...] = ()
    signatory_ids: tuple[int, ...] = ()


def event_readings(findings: Findings, tags: tuple[list, list, list], published_on) -> list[EventReading]:
    """The events the story reports: each agreement read with what happened to it, dated by the story.

    Only a dated story dates an event. Signatories are the officials named in the sentence that reports the
    signing (the reader does not say who signed; who is named there almost always did).
    """
    if published_on is None:
        return []
    country_ids, official_ids, agreement_ids = tags
    officials = list(zip(findings.officials, official_ids, strict=True))
    readings = []
    for finding, tag in zip(findings.agreements, agreement_ids, strict=True):
        if finding.status not in EventKind.values:
            continue  # named, with nothing said to happen to it
        signatories = ()
        if finding.status == EventKind.SIGNED and finding.evidence:
            signatories = tuple(
                dict.fromkeys(
                    official_tag.id
                    for official, official_tag in officials
                    if official.evidence == finding.evidence
                    or any(spelling in finding.evidence for spelling in _spellings(official))
                )
            )
        readings.append(
            EventReading(
                tag.id,
                finding.status,
                published_on,
                finding.evidence[:EVIDENCE_MAX_CHARS],
                tag.needs_review,
                finding.parties,
                tuple(reading.id for reading in country_ids),
                signatories,
            )
        )
    return readings


def _spellings(official) -> list[str]:
    if official.official is None:
        return [official.name]
    return [
        official.official.name,
        *official.official.aliases,
        *([official.new_alias] if official.new_alias else []),
    ]


def record_events(reports: Iterable[tuple[Article, list[EventReading]]], country_keys: dict[str, int]) -> None:
    """Record each reported event, or add the story to the same event reported before: one event, many sources.

    The same event is the agreement's event of the same kind dated in the same month or within SAME_EVENT_WITHIN
    (a signing reported the next day, across a month's end). It keeps the earliest date, and stops needing
    review once a sure reading reports it. An agreement with no parties takes the reading's, or else the
    story's two countries (a story on more is about more than the agreement).

    `reports` are the stories of a batch with what each reports, in order. The batch costs the same few queries
    whatever its size: the events it may add to, its agreements' parties, the writes in bulk, and one version of
    each event it touched (versions.write_event_versions). `country_keys` are the countries' ids by folded name
    and alias (Importer.country_keys).
    """
    readings = [(article, reading) for article, story_readings in reports for reading in story_readings]
    if not readings:
        return
    events = _EventsOf(readings)
    agreements = _AgreementsOf(readings, country_keys)
    now = timezone.now()
    sources, touched, created, changed = {}, {}, [], {}
    for article, reading in readings:
        event = events.same(reading)
        if event is None:
            event = AgreementEvent(
                agreement_id=reading.agreement_id,
                kind=reading.kind,
                date=reading.date,
                origin=TagOrigin.IMPORTER,
                evidence=reading.evidence,
                needs_review=reading.needs_review,
            )
            events.add(event)
            created.append(event)
        elif event.date > reading.date or (event.needs_review and not reading.needs_review):
            event.date = min(event.date, reading.date)
            event.needs_review = event.needs_review and reading.needs_review
            event.updated_at = now
            events.moved(event)
            if event.pk is not None:
                changed[id(event)] = event
        touched[id(event)] = event
        sources.setdefault(id(event), set()).add(article.pk)
        agreements.complete(reading)
    AgreementEvent.objects.bulk_create(created)
    AgreementEvent.objects.bulk_update(list(changed.values()), ["date", "needs_review", "updated_at"])
    through = AgreementEvent.sources.through
    through.objects.bulk_create(
        [
            through(agreementevent_id=touched[key].pk, article_id=article_pk)
            for key, stories in sources.items()
            for article_pk in stories
        ],
        ignore_conflicts=True,
    )
    agreements.save(now)
    new = {id(event) for event in created}
    write_event_versions(
        [(event, "+" if key in new else "~") for key, event in touched.items()], reason="imported"
    )


class _EventsOf:
    """The events a batch's readings may be, read in one query, and those the batch adds, by agreement and kind."""

    def __init__(self, readings):
        wanted = [reading for _article, reading in readings]
        found = AgreementEvent.objects.filter(
            agreement_id__in={reading.agreement_id for reading in wanted},
            kind__in={reading.kind for reading in wanted},
            date__gte=min(min(r.date.replace(day=1), r.date - SAME_EVENT_WITHIN) for r in wanted),
            date__lte=max(r.date + max(SAME_EVENT_WITHIN, datetime.timedelta(days=31)) for r in wanted),
        ).order_by("date", "pk")
        self.by_key = collections.defaultdict(list)
        self.order = {}
        for event in found:
            self.add(event)

    def add(self, event):
        # Found events first, by date then id, as a query would give them; new ones after, in the order made.
        self.order[id(event)] = len(self.order)
        self.by_key[event.agreement_id, event.kind].append(event)
        self.moved(event)

    def moved(self, event):
        self.by_key[event.agreement_id, event.kind].sort(key=lambda e: (e.date, self.order[id(e)]))

    def same(self, reading) -> AgreementEvent | None:
        return next(
            (
                event
                for event in self.by_key[reading.agreement_id, reading.kind]
                if (event.date.year, event.date.month) == (reading.date.year, reading.date.month)
                or abs(event.date - reading.date) <= SAME_EVENT_WITHIN
            ),
            None,
        )


class _AgreementsOf:
    """What a batch's sure readings tell of their agreements that they do not yet say, written all at once."""

    def __init__(self, readings, country_keys: dict[str, int]):
        self.country_keys = country_keys
        ids = {reading.agreement_id for _article, reading in readings}
        self.agreements = {
            a.pk: a for a in Agreement.objects.filter(pk__in=ids).only("pk", "signed_on", "other_parties")
        }
        self.with_parties = set(
            Agreement.parties.through.objects.filter(agreement_id__in=ids).values_list("agreement_id", flat=True)
        )
        self.parties, self.signatories, self.changed = set(), set(), set()

    def complete(self, reading):
        agreement = self.agreements[reading.agreement_id]
        if agreement.pk not in self.with_parties:
            if reading.party_names:
                party_ids, others = countries_by_name(reading.party_names, self.country_keys)
                agreement.other_parties = Agreement.join_parties(others)
                self.changed.add(agreement.pk)
            else:
                party_ids = list(reading.story_country_ids) if len(reading.story_country_ids) == 2 else []
            self.parties.update((agreement.pk, country_id) for country_id in party_ids)
            if party_ids:
                self.with_parties.add(agreement.pk)
        if reading.signatory_ids and not reading.needs_review:
            self.signatories.update((agreement.pk, official_id) for official_id in reading.signatory_ids)
        if reading.kind == EventKind.SIGNED and agreement.signed_on is None and not reading.needs_review:
            agreement.signed_on = reading.date
            self.changed.add(agreement.pk)

    def save(self, now):
        changed = [self.agreements[pk] for pk in sorted(self.changed)]
        for agreement in changed:
            agreement.updated_at = now
        Agreement.objects.bulk_update(changed, ["other_parties", "signed_on", "updated_at"])
        parties = Agreement.parties.through
        parties.objects.bulk_create(
            [parties(agreement_id=a, country_id=c) for a, c in sorted(self.parties)], ignore_conflicts=True
        )
        signatories = Agreement.signatories.through
        signatories.objects.bulk_create(
            [signatories(agreement_id=a, official_id=o) for a, o in sorted(self.signatories)],
            ignore_conflicts=True,
        )


@dataclass(frozen=True)
class TagReading:
    """A tag the importer adds: the entry, the sentence it was read from and how sure the reading was."""

    id: int
    evidence: str = ""
    confidence: float = 1.0

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW

    def row(self, through, article: Article):
        return through(
            content_object=article,
            tag_id=self.id,
            origin=TagOrigin.IMPORTER,
            evidence=self.evidence[:EVIDENCE_MAX_CHARS],
            confidence=self.confidence,
            needs_review=self.needs_review,
        )


def _first_of_each(readings: list[TagReading]) -> list[TagReading]:
    """One reading per entry, the first, in their order."""
    seen: set[int] = set()
    first = []
    for reading in readings:
        if reading.id not in seen:
            seen.add(reading.id)
            first.append(reading)
    return first


def refresh_statistics(using: str = "default") -> None:
    """Bring PostgreSQL's planner statistics and the search index up to date after a large import.

    Autovacuum gets there eventually; until it does, the planner works from the tables' old statistics (after a
    first import, none: searches then read every story's search document, 150 ms at 10,000 stories instead of
    a few) and every search scans the full-text index's list of entries not yet merged. SQLite keeps no
    statistics unless asked, and its plans are chosen without them (articles/caching.py).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = [Article, *(vocabulary.through for vocabulary in VOCABULARIES), Country, Official, Agreement]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(m._meta.db_table) for m in tables)}")
        cursor.execute("SELECT gin_clean_pending_list('article_search_idx'::regclass)")
