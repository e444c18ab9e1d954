"""Score the importer's reading against facts an editor wrote down for real pages (manage.py evaluate_importer).

A page's facts (evaluation/facts/*.json) name its date, its countries, the officials it names and the
agreements it reports. The reading is run exactly as an import run would run it, one page after the other with
the vocabulary growing as it goes, and each finding is matched to at most one expected fact:
- a country by its ISO code;
- an official when one of the names read for it (its name, the spelling the text used) and one of the
  expected spellings are the same person: the same words in any order ("SATO Kenji", "Kenji Sato"), or the
  same surname with the same or no given name. A second finding for a person already matched is a duplicate,
  and counts as a false tag;
- an agreement when one of the expected keys ("reciprocal access") is in its name or subject, its last word
  singular or plural ("foreign service institute" is in "Foreign Service Institutes MoU").
Nothing here touches the database: the command hands in the vocabulary.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .ingest.entities import Findings, KnownAgreement, KnownOfficial, Vocabulary, find_entities
from .ingest.parsing import ParseError, parse_article
from .text import name_key

VOCABULARIES = ("countries", "officials", "agreements")
# What the kinds written as acronyms stand for.
KIND_WORDS = {
    "mou": "memorandum of understanding",
    "moc": "memorandum of cooperation",
    "fta": "free trade agreement",
    "cepa": "comprehensive economic partnership agreement",
    "bit": "bilateral investment treaty",
    "iga": "inter-governmental agreement",
    "letter_of_intent": "letter of intent declaration of intent",
}


@dataclass
class Page:
    """One page's expected facts, as written in a facts file."""

    id: str
    date: datetime.date | None
    countries: frozenset[str]
    officials: tuple[tuple[str, ...], ...]  # each person's spellings, fullest first
    agreements: tuple[tuple[str, tuple[str, ...]], ...]  # (name, keys)
    url: str = ""

    @classmethod
    def from_facts(cls, facts: dict) -> Page:
        date = facts.get("date")
        return cls(
            id=facts["id"],
            date=_date(date) if date else None,
            countries=frozenset(code.upper() for code in facts.get("countries", ())),
            officials=tuple((person["name"], *person.get("written", ())) for person in facts.get("officials", ())),
            agreements=tuple(
                (
                    agreement["name"],
                    tuple(key.lower() for key in agreement.get("keys", ()) or (agreement["name"],)),
                )
                for agreement in facts.get("agreements", ())
            ),
            url=facts.get("url", ""),
        )


def _date(value: str) -> datetime.date | None:
    """A full date; a month or a year alone says the page shows no day, so no date can be right."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def load_pages(facts_files: Iterable[Path]) -> list[Page]:
    pages = []
    for path in facts_files:
        pages.extend(Page.from_facts(facts) for facts in json.loads(path.read_text(encoding="utf-8")))
    return pages


@dataclass
class Tally:
    true: int = 0
    false: int = 0
    missed: int = 0

    def add(self, other: Tally):
        self.true += other.true
        self.false += other.false
        self.missed += other.missed

    @property
    def precision(self) -> float:
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        return self.true / (self.true + self.missed) if self.true + self.missed else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class PageResult:
    page: Page
    date: datetime.date | None = None
    error: str = ""
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in VOCABULARIES})
    misses: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in VOCABULARIES})
    false_tags: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in VOCABULARIES})

    @property
    def date_right(self) -> bool:
        return self.date == self.page.date


def _words(name: str) -> list[str]:
    return [word for word in name_key(name).split() if word not in _PARTICLES]


_PARTICLES = frozenset("al el bin ibn de da di du del van von der le la jr sr".split())


def same_person(a: str, b: str) -> bool:
    """Whether two spellings name one person, by the rule in the module's docstring."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if sorted(wa) == sorted(wb):
        return True
    if wa[-1] != wb[-1]:
        # Family name first ("SATO Kenji"), or a long form ending in more names ("Abdullah bin Zayed Al Nahyan").
        return len(wa) >= 2 and len(wb) >= 2 and (set(wa) <= set(wb) or set(wb) <= set(wa)) and wa[0] == wb[0]
    if len(wa) == 1 or len(wb) == 1:
        return True
    return wa[0] == wb[0] or (min(len(wa[0]), len(wb[0])) == 1 and wa[0][0] == wb[0][0])


def _score(expected: Sequence, found: Sequence, matches) -> tuple[Tally, list[str], list[str]]:
    """Match each finding to at most one expected fact; the rest are false tags and misses."""
    taken: set[int] = set()
    false_tags = []
    for label, finding in found:
        matching = [i for i, fact in enumerate(expected) if matches(fact, finding)]
        # The first fact it matches that no finding has claimed: two FTAs a story reports are two facts.
        index = next((i for i in matching if i not in taken), None)
        if not matching:
            false_tags.append(label)
        elif index is None:
            false_tags.append(f"{label} (duplicate)")
        else:
            taken.add(index)
    missed = [_label(fact) for i, fact in enumerate(expected) if i not in taken]
    return Tally(len(taken), len(false_tags), len(missed)), missed, false_tags


def _holds_key(text: str, key: str) -> bool:
    return f" {name_key(key)} " in f" {text} " or any(
        f" {name_key(key)}{end} " in f" {text} " for end in ("s", "es")
    )


def _label(fact) -> str:
    return fact if isinstance(fact, str) else fact[0]


def score_page(page: Page, findings: Findings, date: datetime.date | None) -> PageResult:
    result = PageResult(page, date=date)
    countries = [(code, code) for code in dict.fromkeys(findings.countries)]
    people = []
    for finding in findings.officials:
        spellings = [finding.name]
        if finding.official is not None:
            spellings += list(finding.official.aliases)
        if finding.new_alias:
            spellings.append(finding.new_alias)
        people.append((finding.name, spellings))
    agreements = []
    for finding in findings.agreements:
        known = finding.agreement
        # A kind written short in a name ("Interim FTA") matches a key written long ("free trade").
        spelled = KIND_WORDS.get(finding.kind, "")
        text = " ".join([finding.name, finding.subject, spelled, *(known.aliases if known else ())])
        agreements.append((finding.name, name_key(text)))

    for vocabulary, expected, found, matches in (
        ("countries", sorted(page.countries), countries, lambda fact, code: fact == code),
        (
            "officials",
            page.officials,
            people,
            lambda fact, spellings: any(same_person(a, b) for a in fact for b in spellings),
        ),
        (
            "agreements",
            page.agreements,
            agreements,
            lambda fact, text: any(_holds_key(text, key) for key in fact[1]),
        ),
    ):
        tally, missed, false_tags = _score(expected, found, matches)
        result.tallies[vocabulary] = tally
        result.misses[vocabulary] = missed
        result.false_tags[vocabulary] = false_tags
    return result


def evaluate(pages: Sequence[Page], texts: dict[str, bytes], vocabulary: Vocabulary) -> list[PageResult]:
    """Read each page as an import run would, the vocabulary learning each new entry, and score it."""
    results = []
    for page in pages:
        try:
            parsed = parse_article(texts[page.id])
        except ParseError as error:
            result = PageResult(page, error=str(error))
            for vocabulary_name, expected in (
                ("countries", sorted(page.countries)),
                ("officials", page.officials),
                ("agreements", page.agreements),
            ):
                result.tallies[vocabulary_name].missed = len(expected)
                result.misses[vocabulary_name] = [_label(fact) for fact in expected]
            results.append(result)
            continue
        findings = find_entities(parsed.body, vocabulary, parsed.published_on, parsed.written_headline)
        results.append(score_page(page, findings, parsed.published_on))
        learn(vocabulary, findings)
    return results


def learn(vocabulary: Vocabulary, findings: Findings) -> None:
    """What an import run would add to its vocabulary after this story, without a database."""
    for finding in findings.officials:
        if finding.official is None:
            vocabulary.add_official(KnownOfficial(None, finding.name, (), finding.country, finding.role))
        elif finding.new_alias:
            vocabulary.add_official(finding.official.with_alias(finding.new_alias))
    for finding in findings.agreements:
        if finding.agreement is None:
            vocabulary.add_agreement(
                KnownAgreement(
                    None, finding.name, (), finding.kind, finding.parties, finding.subject, finding.signed_on
                )
            )


def totals(results: Sequence[PageResult]) -> dict[str, Tally]:
    total = {name: Tally() for name in VOCABULARIES}
    for result in results:
        for name in VOCABULARIES:
            total[name].add(result.tallies[name])
    return total
