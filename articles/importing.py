"""Turn one news file into one article, in one transaction, using the newsroom's vocabulary.

The rule for files seen before (also in the README):
- the same text again (whatever its line endings or file name) is `unchanged` and writes nothing;
- a changed text under a known file name updates that story's body, raw text and content key only:
  headline, standfirst, status and tags stay as the editors left them;
- anything else is a new story, tagged automatically.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from dataclasses import dataclass, field

from django.db import transaction

from . import parsing
from .entities import Findings, KnownAgreement, KnownOfficial, Vocabulary, find_entities
from .models import (
    Agreement,
    Article,
    Country,
    CountryAlias,
    Official,
    OfficialAlias,
    Status,
    TaggedAgreement,
    TaggedCountry,
    TaggedOfficial,
)
from .text import ascii_slug, name_key

STDIN_NAME = "<stdin>"


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
    agreements = [_known_agreement(a) for a in Agreement.objects.prefetch_related("aliases")]
    country_aliases = dict(CountryAlias.objects.values_list("name", "entry__iso_code"))
    return Vocabulary(officials, agreements, country_aliases)


def _known_agreement(agreement: Agreement) -> KnownAgreement:
    return KnownAgreement(
        agreement.pk,
        agreement.name,
        tuple(a.name for a in agreement.aliases.all()),
        agreement.kind,
        tuple(agreement.party_list),
        agreement.subject,
        agreement.signed_on,
    )


class Importer:
    """Imports texts one at a time; each call is atomic and leaves nothing behind when it fails."""

    def __init__(self, *, status: str = Status.PUBLISHED, dry_run: bool = False):
        self.status = status
        self.dry_run = dry_run
        self.vocabulary = load_vocabulary()
        self.country_ids = dict(Country.objects.values_list("iso_code", "pk"))
        self.country_codes = {pk: code for code, pk in self.country_ids.items()}

    def import_bytes(self, data: bytes, filename: str) -> ImportResult:
        parsed = parsing.parse_article(data)
        key = parsed.content_key
        pending: list[KnownOfficial | KnownAgreement] = []
        with transaction.atomic():
            result = self._import(parsed, key, filename, pending)
            if self.dry_run:
                transaction.set_rollback(True)
        # Only now that the story is safely written does the run's vocabulary learn the new entries.
        for entry in pending:
            if isinstance(entry, KnownOfficial):
                self.vocabulary.add_official(entry)
            else:
                self.vocabulary.add_agreement(entry)
        result.warnings = parsed.warnings
        return result

    def _import(self, parsed, key, filename, pending) -> ImportResult:
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
        article = Article(
            headline=parsed.headline,
            slug=unique_slug(parsed.headline, parsed.published_on),
            body=parsed.body,
            dateline=parsed.dateline,
            published_on=parsed.published_on,
            source=parsed.source,
            status=self.status,
            raw_text=parsed.raw_text,
            source_file="" if filename == STDIN_NAME else filename,
            content_key=key,
        )
        article._change_reason = f"imported from {filename}"
        article.save()
        findings = find_entities(parsed.body, self.vocabulary, parsed.published_on)
        result = ImportResult(Outcome.CREATED, article)
        self.tag(article, findings, pending, result.new_entries, new=True)
        return result

    def tag(
        self,
        article: Article,
        findings: Findings,
        pending: list,
        new_entries: list[str] | None = None,
        *,
        new: bool = False,
    ):
        """Add what was found to the story, creating entries for review; never removes a tag.

        `new` says the story was just created, so it has no tags to read first.
        """
        new_entries = [] if new_entries is None else new_entries
        official_ids = []
        for finding in findings.officials:
            if finding.official is not None:
                official_ids.append(finding.official.id)
                if finding.new_alias and self._add_alias(OfficialAlias, finding.official.id, finding.new_alias):
                    official = finding.official
                    pending.append(
                        KnownOfficial(
                            official.id,
                            official.name,
                            (*official.aliases, finding.new_alias),
                            official.country,
                            official.role,
                        )
                    )
                    new_entries.append(f"alias {finding.new_alias!r} of {official.name}")
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
            official_ids.append(official.pk)
            pending.append(
                KnownOfficial(
                    official.pk, official.name, (), self.country_codes.get(official.country_id), official.role
                )
            )
            if created:
                new_entries.append(f"official {official.name} ({official.role})")

        agreement_ids = []
        for finding in findings.agreements:
            if finding.agreement is not None:
                agreement_ids.append(finding.agreement.id)
                continue
            agreement = self._new_agreement(finding)
            agreement_ids.append(agreement.pk)
            pending.append(_known_agreement(agreement))
            new_entries.append(f"agreement {agreement.name}")

        country_ids = [self.country_ids[code] for code in findings.countries if code in self.country_ids]
        self._link(TaggedCountry, article, country_ids, new)
        self._link(TaggedOfficial, article, official_ids, new)
        self._link(TaggedAgreement, article, agreement_ids, new)

    @staticmethod
    def _link(through, article: Article, tag_ids, new: bool):
        if not tag_ids:
            return
        have = (
            set() if new else set(through.objects.filter(content_object=article).values_list("tag_id", flat=True))
        )
        wanted = list(dict.fromkeys(pk for pk in tag_ids if pk not in have))
        through.objects.bulk_create([through(content_object=article, tag_id=pk) for pk in wanted])

    @staticmethod
    def _add_alias(alias_model, entry_id: int, name: str) -> bool:
        key = name_key(name)
        if not key or alias_model.objects.filter(key=key).exists():
            return False
        alias_model.objects.create(entry_id=entry_id, name=name)
        return True

    @staticmethod
    def _new_agreement(finding) -> Agreement:
        """A new agreement for review; a name already taken by another signing gets its year, then its date."""
        names = [finding.name]
        if finding.signed_on:
            names += [
                f"{finding.name} ({finding.signed_on.year})",
                f"{finding.name} ({finding.signed_on.isoformat()})",
            ]
        names += [f"{finding.name} ({n})" for n in range(2, 100)]
        taken = {
            name.lower()
            for name in Agreement.objects.filter(name__istartswith=finding.name).values_list("name", flat=True)
        }
        return Agreement.objects.create(
            name=next(name for name in names if name.lower() not in taken),
            kind=finding.kind,
            signed_on=finding.signed_on,
            parties="; ".join(finding.parties)[:255],
            subject=finding.subject[:200],
            needs_review=True,
        )


def unique_slug(headline: str, published_on: datetime.date | None = None) -> str:
    """A slug from the headline; a clash gets the date, then a number."""
    base = ascii_slug(headline, max_length=80)
    candidates = [base]
    if published_on:
        candidates.append(f"{base}-{published_on:%Y-%m-%d}")
    candidates += [f"{base}-{n}" for n in range(2, 12)]
    # Exact candidates keep to the unique index; a LIKE 'base%' would read the whole table.
    taken = set(Article.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    free = [slug for slug in candidates if slug not in taken]
    if free:
        return free[0]
    return f"{base}-{uuid.uuid4().hex[:8]}"
