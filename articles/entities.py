"""Find the countries, officials and agreements a story is about.

Plain functions over plain data: the importer builds a `Vocabulary` once per run from the database and
calls `find_entities` for each text. Nothing here touches the database.

The rules, in the order they run:
1. Known officials and agreements by name or alias, case- and accent-insensitively.
2. Other runs of capitalised words that look like a person's name are compared with known officials:
   a close spelling ("Abdellatif" / "Abdeltif") or initials ("S. Jaishankar") of the same given name
   and surname resolve to that person, and the spelling is reported as a new alias. Surnames alone never
   merge two people: "Rajnath Singh" and "Rajesh Kumar Singh" have different given names.
3. A bare surname ("Singh") is the person of that surname already named in the story, or the only known
   official who carries it; otherwise it is left alone.
4. An unknown person introduced with a title ("US Secretary of Defense Pete Hegseth") is a new official
   with that role and, when the title names one, that country.
5. A reported signing ("signed a Memorandum of Understanding (MoU) on defence cooperation") is matched to a
   known agreement of the same kind, parties and subject signed within a few weeks, or else proposed as new.
6. Countries by name, variant and demonym (articles.countries), plus the countries of the officials found.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import Indel

from .countries import all_countries, country_by_code, find_country_mentions
from .text import name_key

# Thresholds for a close spelling of a known name, as rapidfuzz ratios (0-100).
GIVEN_NAME_SIMILARITY = 80
SURNAME_SIMILARITY = 85
# How far apart two reports of one signing may be dated.
SAME_SIGNING_WINDOW = datetime.timedelta(days=45)

# Capitalised words that belong to titles, offices and institutions, never to a person's name.
# Data, not code: extend it when a new kind of title turns up in the news.
TITLE_HEADS = frozenset(
    """
    minister ministers secretary president vice prime premier chancellor ambassador envoy commissioner
    chairman chairperson chair chairwoman ceo director governor mayor senator king queen prince princess
    emir sheikh sultan general admiral marshal commander chief spokesperson spokesman spokeswoman
    speaker representative deputy counsellor adviser advisor minister-president head
    """.split()
)
NON_NAME_WORDS = TITLE_HEADS | frozenset(
    """
    mr mrs ms dr prof sir lady lord he his her excellency hon honourable honorable shri smt lt col maj
    gen brig capt cmdr res retd the a an of for in and on at to with by from state union federal
    national foreign external home interior defence defense trade commerce industry industries finance
    economy economic energy transition sustainable development cooperation co-operation affairs security
    justice health education agriculture culture tourism transport mines mining minerals oil gas
    petroleum environment climate digital technology technologies science research labour labor
    employment youth sports women family social water fisheries maritime ocean navy naval army air force
    forces staff junior senior general director administration ministry department office council
    committee group company corporation limited ltd inc bank summit conference forum joint working
    mission embassy consulate parliament assembly senate house republic kingdom royal government cabinet
    investment infrastructure planning budget treasury revenue customs intelligence police relations
    communications information broadcasting housing urban rural railways aviation civil shipping ports
    power renewable nuclear space electronics textiles pharmaceuticals chemicals fertilizers steel coal
    food public minority parliamentary legislative crown united states emirates nations supreme high
    court african european asian arab american international global regional south north east west
    central western eastern northern southern new visiting former acting incumbent strategic defence-
    industrial programme program january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday delegate delegation
    agency authority board institute university association federation society chamber alliance
    partnership platform plan agreement treaty memorandum understanding mou roadmap framework initiative
    project accord pact armed resources natural human rights welfare enterprises overseas diaspora
    veterans solidarity integration territorial local heavy small medium micro skill skills
    entrepreneurship commission secretariat bureau service services operations command islamic holy
    """.split()
)
NAME_PARTICLES = frozenset("al el bin ibn bint de da di du del della van von der den le la ben abu".split())
ROMAN_NUMERAL = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)$")

# A word as written, with its position; apostrophes and hyphens stay inside names (O'Brien, Al-Hassan).
WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?\.?|\d+|\(|\)|[,;:–—]")
# Words the person finder reads even in lower case: links inside titles and names.
CONNECTORS = (
    "of for in charge and the visiting former acting "
    "al el bin ibn bint de da di du del della van von der den le la ben abu"
)
# A run of other lower-case words (and numbers) is one token: it only separates names, so reading it word by
# word would cost most of the time and change nothing. Its words still reach the phrase index.
TOKEN = re.compile(
    rf"(?P<gap>(?:(?!(?:{'|'.join(CONNECTORS.split())})\b)[a-z0-9](?:[\w'’.-]*\w)?\.?[ \t]*)+)(?<![ \t])"
    rf"|{WORD.pattern}"
)
POSSESSIVE = re.compile(r"['’]s?$")

AGREEMENT_KINDS = {
    # pattern (as written) -> kind value; the longest forms first
    r"memorand(?:um|a) of understanding(?:\s*\((?:mou|mous)\))?": "mou",
    r"mous?": "mou",
    r"letters? of intent(?:\s*\(loi\))?": "letter_of_intent",
    r"(?:joint )?action plan": "action_plan",
    r"framework agreement": "framework",
    r"roadmap": "roadmap",
    r"treaty": "treaty",
    r"(?:joint )?declaration": "declaration",
    r"agreements?|pact|accord": "agreement",
}
KIND_LABELS = {
    "mou": "MoU",
    "letter_of_intent": "Letter of Intent",
    "action_plan": "Action Plan",
    "framework": "Framework Agreement",
    "roadmap": "Roadmap",
    "treaty": "Treaty",
    "declaration": "Declaration",
    "agreement": "Agreement",
}
_KIND = "|".join(f"(?:{pattern})" for pattern in AGREEMENT_KINDS)
SIGNING_VERB = re.compile(r"\b(?:sign|ink|conclud)", re.IGNORECASE)
SIGNING = re.compile(
    rf"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s|ing)?|conclud(?:ed|es|ing))\s+(?:of\s+)?(?:(?:a|an|the|two|three|several)\s+)?"
    rf"(?:(?:new|landmark|historic|bilateral|first-ever|key)\s+)*(?P<kind>{_KIND})\b(?P<rest>[^.;]*)"
    rf"|\b(?P<kind2>{_KIND})\b(?P<between>[^.;]*?)\s+(?:was|were|has been|have been|had been|is|are)\s+"
    rf"(?:also\s+)?(?:signed|inked|concluded)\b(?P<rest2>[^.;]*)",
    re.IGNORECASE,
)
# Subjects an agreement can cover, matched in the words that follow its kind. Data, easy to extend.
TOPICS = {
    "defence": r"defen[cs]e|military|armed forces",
    "security": r"security|counter-?terrorism",
    "trade": r"trade|commerce|commercial",
    "investment": r"investments?",
    "energy": r"energy|renewables?|solar|oil|gas|hydrogen",
    "critical minerals": r"critical minerals?|rare earths?|mining|minerals?",
    "agriculture": r"agricultur\w*|fertili[sz]ers?|phosphates?|food security",
    "health": r"health|pharmaceuticals?|medicine",
    "education": r"education|universit\w+|academic",
    "culture": r"cultur\w+|heritage",
    "tourism": r"tourism",
    "space": r"space|satellites?",
    "cyber": r"cyber\w*",
    "maritime": r"maritime|naval|shipping|ports?",
    "technology": r"technolog\w+|digital|artificial intelligence|innovation",
    "science": r"science|scientific|research",
    "nuclear": r"nuclear",
    "aviation": r"aviation|aerospace",
    "customs": r"customs",
}
_TOPIC_PATTERNS = {topic: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for topic, pattern in TOPICS.items()}
# The words after an agreement's kind that can hold its subject: up to a comma, at most twelve words.
FIRST_CLAUSE = re.compile(r"[^,;:()]*")
# Capitalised words written just before a capitalised kind: the agreement's own name.
PROPER_NAME_BEFORE = re.compile(r"(?:\b[A-Z][\w’'–-]*\s+|\b\d{4}(?:[–-]\d{2,4})?\s+){2,8}$")
# What may stand before a role ("'s the visiting ...") or after it ("... of the"), but is not part of it.
ROLE_LEAD = re.compile(r"^(?:['’]s\b|[\s,]+|the\b|visiting\b|[a-z]+\b)+")
ROLE_TAIL = re.compile(r"(?:[\s,]+|\b(?:of|for|in|and|the)\b)+$")
PARENTHESES = re.compile(r"\([^()]*\)")
LEADING_ARTICLE = re.compile(r"^(?:An?|The)\s+")
BETWEEN = re.compile(r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s*$", re.IGNORECASE)
ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")


@dataclass(frozen=True)
class KnownOfficial:
    id: int | None
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO alpha-2
    role: str = ""


@dataclass(frozen=True)
class KnownAgreement:
    id: int | None
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "agreement"
    parties: tuple[str, ...] = ()
    subject: str = ""
    signed_on: datetime.date | None = None

    @cached_property
    def topics(self) -> frozenset[str]:
        return topics_in(self.subject)

    @cached_property
    def party_keys(self) -> frozenset[str]:
        return frozenset(name_key(party) for party in self.parties)


@dataclass(frozen=True)
class OfficialFinding:
    official: KnownOfficial | None  # None: a new person, to be created for review
    name: str
    role: str = ""
    country: str | None = None
    new_alias: str = ""  # a spelling to record as an alias of `official`


@dataclass(frozen=True)
class AgreementFinding:
    agreement: KnownAgreement | None  # None: a newly reported signing
    name: str
    kind: str
    parties: tuple[str, ...] = ()
    subject: str = ""
    signed_on: datetime.date | None = None


@dataclass(frozen=True)
class Findings:
    countries: tuple[str, ...]
    officials: tuple[OfficialFinding, ...]
    agreements: tuple[AgreementFinding, ...]


@functools.lru_cache(maxsize=200_000)
def _word_facts(text: str) -> tuple[str, str, bool, bool]:
    """(bare, key, is_initial, is_capitalised) of a word; news repeats its words, so this is cached."""
    stripped = text.rstrip(".")
    is_initial = stripped.isupper() and stripped.isalpha() and len(stripped) <= 2
    bare = text if is_initial else POSSESSIVE.sub("", stripped)
    return bare, name_key(bare), is_initial, text[:1].isupper()


class Token:
    """A word of the text with its position and the facts the finders ask about it."""

    __slots__ = ("text", "start", "end", "bare", "key", "is_initial", "is_capitalised")

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self.bare, self.key, self.is_initial, self.is_capitalised = _word_facts(text)

    def __repr__(self):
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokenise(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def word_stream(tokens: Sequence[Token]) -> tuple[list[str], list[int]]:
    """The folded words of the tokens and the token each came from ("India-Italy" is two words)."""
    keys = [token.key for token in tokens]
    if not any(" " in key for key in keys):
        return keys, list(range(len(keys)))  # the common case: one word per token
    words, owners = [], []
    for n, key in enumerate(keys):
        for word in key.split():
            words.append(word)
            owners.append(n)
    return words, owners


def topics_in(text: str) -> frozenset[str]:
    return frozenset(topic for topic, pattern in _TOPIC_PATTERNS.items() if pattern.search(text))


def _name_parts(key: str) -> list[str]:
    return [part for part in key.split() if part not in NAME_PARTICLES] or key.split()


def similar(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100


class PhraseIndex:
    """Finds known phrases (folded, whole words) in a token stream, longest first."""

    def __init__(self, phrases: Iterable[tuple[str, object]] = ()):
        self.by_key: dict[tuple[str, ...], object] = {}
        self.longest = 0
        self.first_words: set[str] = set()
        for phrase, value in phrases:
            self.add(phrase, value)

    def add(self, phrase: str, value: object, *, replace: bool = False):
        words = tuple(name_key(phrase).split())
        if not words:
            return
        if replace:
            self.by_key[words] = value
        else:
            self.by_key.setdefault(words, value)
        self.longest = max(self.longest, len(words))
        self.first_words.add(words[0])

    def find(self, stream: tuple[list[str], list[int]]) -> list[tuple[int, int, object]]:
        """(first token, end token, value) for each non-overlapping match in a `word_stream`."""
        words, owners = stream
        found, i = [], 0
        while i < len(words):
            match = None
            if words[i] in self.first_words:
                for n in range(min(self.longest, len(words) - i), 0, -1):
                    value = self.by_key.get(tuple(words[i : i + n]))
                    if value is not None:
                        match = (i, i + n, value)
                        break
            if match:
                first, end, value = match
                found.append((owners[first], owners[end - 1] + 1, value))
                i = end
            else:
                i += 1
        return found


@dataclass
class Vocabulary:
    """What the newsroom already knows; built once per import run and grown as it goes."""

    officials: list[KnownOfficial] = field(default_factory=list)
    agreements: list[KnownAgreement] = field(default_factory=list)
    country_aliases: dict[str, str] = field(default_factory=dict)  # alias as written -> ISO code

    def __post_init__(self):
        self.official_index = PhraseIndex()
        self.agreement_index = PhraseIndex()
        self.by_surname: dict[str, list[KnownOfficial]] = {}
        self.by_initial: dict[str, list[KnownOfficial]] = {}
        for official in self.officials:
            self._index_official(official)
        for agreement in self.agreements:
            self._index_agreement(agreement)

    def _index_official(self, official: KnownOfficial):
        for spelling in (official.name, *official.aliases):
            self.official_index.add(spelling, official, replace=True)
            parts = _name_parts(name_key(spelling))
            if len(parts) >= 2 and not ROMAN_NUMERAL.match(parts[-1].upper()):
                self.by_surname.setdefault(parts[-1], []).append(official)
                self.by_initial.setdefault(parts[-1][0], []).append(official)

    def _index_agreement(self, agreement: KnownAgreement):
        for spelling in (agreement.name, *agreement.aliases):
            self.agreement_index.add(spelling, agreement, replace=True)

    def add_official(self, official: KnownOfficial):
        """Learn a new official, or a known one's new aliases, without rebuilding the indexes."""
        if official.id is not None:
            for index in (self.by_surname, self.by_initial):
                for key, holders in index.items():
                    if any(o.id == official.id for o in holders):
                        index[key] = [o for o in holders if o.id != official.id]
        self._index_official(official)

    def add_agreement(self, agreement: KnownAgreement):
        self.agreements = [a for a in self.agreements if a.id is None or a.id != agreement.id] + [agreement]
        self._index_agreement(agreement)

    def surname_holders(self, surname_key: str) -> list[KnownOfficial]:
        return list({o.name: o for o in self.by_surname.get(surname_key, [])}.values())

    def closest_official(self, written: str) -> KnownOfficial | None:
        """The one known official that a multi-word name is a close spelling or initials of."""
        parts = _name_parts(name_key(written))
        if len(parts) < 2:
            return None
        surname, given = parts[-1], parts[0]
        scored: dict[str, tuple[float, KnownOfficial]] = {}
        for official in self.by_initial.get(surname[0], []):
            for spelling in (official.name, *official.aliases):
                known = _name_parts(name_key(spelling))
                if len(known) < 2 or similar(surname, known[-1]) < SURNAME_SIMILARITY:
                    continue
                if len(given) == 1 or len(known[0]) == 1:
                    # Initials stand for a given name only with the surname spelt the same.
                    if given[0] != known[0][0] or surname != known[-1]:
                        continue
                    score = 90.0
                else:
                    given_score = similar(given, known[0])
                    if given_score < GIVEN_NAME_SIMILARITY:
                        continue
                    score = (given_score + similar(surname, known[-1])) / 2
                if score > scored.get(official.name, (0, None))[0]:
                    scored[official.name] = (score, official)
        if not scored:
            return None
        ranked = sorted(scored.values(), key=lambda pair: pair[0], reverse=True)
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < 5:
            return None  # two people fit about as well: leave it to an editor
        return ranked[0][1]


def _is_name_word(token: Token) -> bool:
    return token.is_capitalised and _is_name_key(token.text, token.key, token.is_initial)


@functools.lru_cache(maxsize=200_000)
def _is_name_key(text: str, key: str, is_initial: bool) -> bool:
    if is_initial or ROMAN_NUMERAL.match(text):
        return True
    bare = text.rstrip(".")
    if bare.isupper() and len(bare) > 2:
        return False  # acronyms: OCP, DRDO, SIDM
    return key not in NON_NAME_WORDS and key.split()[0] not in NON_NAME_WORDS


@functools.cache
def _country_words() -> frozenset[str]:
    """Single words that name a country or its people ("Morocco", "Moroccan"); "Costa" alone does not."""
    words = set()
    for country in all_countries():
        for form in (country.name, *country.variants, *country.demonyms):
            key = name_key(form)
            if " " not in key:
                words.add(key)
    return frozenset(words)


def _is_country_word(token: Token) -> bool:
    key = token.key.removesuffix(" s")
    words = _country_words()
    return key in words or key.rstrip("s") in words


@dataclass(frozen=True)
class NameRun:
    """Capitalised words that may name a person, with the title words written just before them."""

    tokens: tuple[Token, ...]
    title: tuple[Token, ...]
    title_after: tuple[Token, ...] = ()

    @property
    def written(self) -> str:
        return " ".join(token.bare for token in self.tokens)

    @property
    def span(self) -> tuple[int, int]:
        return self.tokens[0].start, self.tokens[-1].end


def _name_runs(tokens: Sequence[Token], claimed: set[int], text: str) -> list[NameRun]:
    """Runs of name-like words not already claimed by a known entity."""

    def is_part(n: int) -> bool:
        if n >= len(tokens) or n in claimed:
            return False
        token = tokens[n]
        if token.is_initial:
            # "S. Jaishankar", "JD Vance"; but "US" before "Secretary" is a country, not an initial.
            return (
                is_part(n + 1)
                and not tokens[n + 1].is_initial
                or (n + 1 < len(tokens) and tokens[n + 1].is_initial and is_part(n + 2))
            )
        if token.key in NAME_PARTICLES:
            return n + 1 < len(tokens) and _is_name_word(tokens[n + 1])
        return _is_name_word(token) and not _is_country_word(token)

    runs, i = [], 0
    while i < len(tokens):
        if tokens[i].key in NAME_PARTICLES or not is_part(i):
            i += 1
            continue
        j = i
        while is_part(j):
            # Stop at a sentence end ("... Singh. Mezzour said") but not after an initial ("S. Jaishankar").
            if j > i and tokens[j - 1].text.endswith(".") and not tokens[j - 1].is_initial:
                break
            j += 1
        # Words of the title written before the name: "US Secretary of Defense", "Morocco's Defence Minister".
        k = i
        while k > 0 and (k - 1) not in claimed and _is_title_word(tokens[k - 1]):
            k -= 1
        title = tuple(tokens[k:i])
        # "Pete Hegseth, the US Secretary of Defense," or "Amir Baram, Director General of Israel's Ministry"
        after: tuple[Token, ...] = ()
        if j < len(tokens) and tokens[j].text == ",":
            m = j + 1
            while m < len(tokens) and (tokens[m].key in {"the", "visiting"} or _is_title_word(tokens[m])):
                m += 1
            after = tuple(tokens[j + 1 : m])
        runs.append(NameRun(tuple(tokens[i:j]), title, after))
        i = j
    return runs


def _is_title_word(token: Token) -> bool:
    if token.text in {"(", ")", ",", "’s", "'s"}:
        return token.text != ","
    if token.key in {"of", "for", "in", "charge", "and", "the", "visiting", "former", "acting"}:
        return True
    if not token.is_capitalised:
        return False
    return (
        token.key in NON_NAME_WORDS
        or _is_country_word(token)
        or token.key.endswith(" s")
        or (token.text.rstrip(".").isupper() and len(token.text) <= 6)
    )


def _title_parts(words: Sequence[Token]) -> tuple[str, str | None]:
    """Split title words into (role, country code): "US Secretary of Defense" -> ("Secretary of Defense", "US")."""
    head = next((n for n, token in enumerate(words) if token.key in TITLE_HEADS), None)
    if head is None:
        return "", None
    # Rebuild the title as written, remembering where each word starts.
    text, starts = "", []
    for token in words:
        if text and token.text not in {",", ")"} and not text.endswith("("):
            text += " "
        starts.append(len(text))
        text += token.text
    mentions = find_country_mentions(text)
    country = mentions[0].code if mentions else None
    # The role begins after the last country named before its head: "Morocco's Defence Minister".
    start = max((m.end for m in mentions if m.end <= starts[head]), default=0)
    role = ROLE_LEAD.sub("", text[start:])
    role = ROLE_TAIL.sub("", role)
    return role, country


def _looks_like_person(run: NameRun) -> bool:
    words = [token for token in run.tokens if token.key not in NAME_PARTICLES]
    if not 2 <= len(words) <= 4 or words[-1].is_initial:
        return False
    return all(len(token.key) > 1 or token.is_initial for token in words)


def find_officials(
    text: str, tokens: Sequence[Token], vocabulary: Vocabulary, stream: tuple[list[str], list[int]] | None = None
) -> tuple[list[OfficialFinding], set[int], list[tuple[int, int]]]:
    """Officials in the text, the token positions they claim, and their character spans."""
    stream = stream or word_stream(tokens)
    findings: dict[str, OfficialFinding] = {}
    claimed: set[int] = set()
    spans: list[tuple[int, int]] = []

    for first, end, official in vocabulary.official_index.find(stream):
        findings.setdefault(official.name, OfficialFinding(official, official.name))
        claimed.update(range(first, end))
        spans.append((tokens[first].start, tokens[end - 1].end))

    for run in _name_runs(tokens, claimed, text):
        words = [token for token in run.tokens if token.key not in NAME_PARTICLES]
        if len(words) == 1:
            official = _bare_surname(words[0], findings, vocabulary)
            if official is not None:
                findings.setdefault(official.name, OfficialFinding(official, official.name))
                spans.append(run.span)
            continue
        if not _looks_like_person(run):
            continue
        official = vocabulary.closest_official(run.written)
        if official is not None:
            alias = run.written if name_key(run.written) != name_key(official.name) else ""
            if official.name not in findings or alias:
                previous = findings.get(official.name)
                findings[official.name] = OfficialFinding(
                    official, official.name, new_alias=alias or (previous.new_alias if previous else "")
                )
            spans.append(run.span)
            continue
        role, country = _title_parts(run.title)
        if not role:
            role, country_after = _title_parts(run.title_after)
            country = country or country_after
        if role and len(words) >= 3 and run.title and run.title[-1].key not in TITLE_HEADS:
            # "Minister for Ocean Affairs Aino Kalle Tamm": where the portfolio ends and the name begins is a
            # guess; a wrong person is worse than a missed one.
            continue
        if role:
            name = run.written
            if name not in findings:
                findings[name] = OfficialFinding(None, name, role=role, country=country)
                spans.append(run.span)
    return list(findings.values()), claimed, spans


def _bare_surname(token: Token, found: dict[str, OfficialFinding], vocabulary: Vocabulary) -> KnownOfficial | None:
    if token.is_initial or ROMAN_NUMERAL.match(token.text) or len(token.key) < 3:
        return None
    in_story = [
        f.official for f in found.values() if f.official and _name_parts(name_key(f.name))[-1] == token.key
    ]
    if in_story:
        return in_story[0]
    holders = vocabulary.surname_holders(token.key)
    return holders[0] if len(holders) == 1 else None


def find_agreements(
    text: str,
    tokens: Sequence[Token],
    vocabulary: Vocabulary,
    story_countries: Sequence[str],
    published_on: datetime.date | None,
    stream: tuple[list[str], list[int]] | None = None,
) -> list[AgreementFinding]:
    stream = stream or word_stream(tokens)
    findings: dict[str, AgreementFinding] = {}
    for _first, _end, agreement in vocabulary.agreement_index.find(stream):
        findings.setdefault(agreement.name, _known(agreement))

    signings = []
    # Most stories report no signing: a cheap look for the verbs spares them the full pattern.
    matches = SIGNING.finditer(text) if SIGNING_VERB.search(text) else ()
    for match in matches:
        active = match.group("kind") is not None
        kind_group = "kind" if active else "kind2"
        kind_text = match.group(kind_group)
        kind = next(v for p, v in AGREEMENT_KINDS.items() if re.fullmatch(p, kind_text, re.IGNORECASE))
        rest = (match.group("rest") if active else match.group("rest2")) or ""
        between = "" if active else (match.group("between") or "")
        parties_text = ""
        if between_match := BETWEEN.search(between) or BETWEEN.search(rest):
            parties_text = between_match.group(0)
            rest = rest.replace(parties_text, " ")
        # The subject is in the words right after the kind, up to the end of the clause.
        clause = " ".join(FIRST_CLAUSE.match(PARENTHESES.sub(" ", rest)).group().split()[:12])
        proper_name = _proper_name(text, match.start(kind_group), match.end(kind_group))
        topics = topics_in(proper_name or clause)
        parties = _parties(
            parties_text, story_countries, proper_name or text[max(0, match.start() - 300) : match.end()]
        )
        signings.append((kind, topics, parties, proper_name))

    # A later "the signing of this MoU" without subject repeats an earlier one of the same kind.
    described = {kind for kind, topics, _parties, _name in signings if topics}
    for kind, topics, parties, proper_name in signings:
        if not topics and not proper_name and kind in described:
            continue
        known = _same_signing(vocabulary, kind, topics, parties, published_on)
        if known is not None:
            findings.setdefault(known.name, _known(known))
            continue
        if kind == "agreement" and not topics and not proper_name:
            continue  # "signed an agreement" alone says too little to file
        name = proper_name or _agreement_name(kind, topics, parties)
        if not any(f.agreement is None and f.name == name for f in findings.values()):
            findings[name] = AgreementFinding(
                None,
                name,
                kind,
                parties=parties,
                subject=", ".join(sorted(topics)),
                signed_on=published_on,
            )
    return list(findings.values())


def _proper_name(text: str, kind_start: int, kind_end: int) -> str:
    """ "An India-Israel Bilateral Investment Treaty was signed" -> "India-Israel Bilateral Investment Treaty"."""
    if not text[kind_start].isupper():
        return ""
    words = PROPER_NAME_BEFORE.search(text[max(0, kind_start - 120) : kind_start])
    if words is None:
        return ""
    name = f"{LEADING_ARTICLE.sub('', words.group().strip())} {text[kind_start:kind_end]}"
    return name if len(name.split()) >= 3 else ""


def _known(agreement: KnownAgreement) -> AgreementFinding:
    return AgreementFinding(
        agreement,
        agreement.name,
        agreement.kind,
        parties=agreement.parties,
        subject=agreement.subject,
        signed_on=agreement.signed_on,
    )


def _parties(between: str, story_countries: Sequence[str], context: str) -> tuple[str, ...]:
    if between:
        match = BETWEEN.search(between)
        sides = []
        for side in (match.group("a"), match.group("b")):
            abbreviation = ABBREVIATION.search(side)
            codes = [m.code for m in find_country_mentions(side)]
            if abbreviation:
                sides.append(abbreviation.group(1))
            elif codes and len(side.split()) <= 3:
                sides.append(country_by_code(codes[0]).name)
            else:
                sides.append(re.sub(r"^(?:the)\s+", "", side.strip(" ,"), flags=re.IGNORECASE))
        return tuple(sides)
    nearby = []
    for mention in find_country_mentions(context):
        if mention.code in story_countries and mention.code not in nearby:
            nearby.append(mention.code)
    codes = nearby if len(nearby) >= 2 else list(story_countries)
    if len(codes) != 2:
        return ()
    return tuple(country_by_code(code).name for code in codes)


def _same_signing(
    vocabulary: Vocabulary,
    kind: str,
    topics: frozenset[str],
    parties: tuple[str, ...],
    signed_on: datetime.date | None,
) -> KnownAgreement | None:
    party_keys = frozenset(name_key(party) for party in parties)
    for agreement in vocabulary.agreements:
        if agreement.kind != kind or not party_keys or agreement.party_keys != party_keys:
            continue
        if topics and agreement.topics and not topics & agreement.topics:
            continue
        if signed_on and agreement.signed_on and abs(signed_on - agreement.signed_on) > SAME_SIGNING_WINDOW:
            continue
        return agreement
    return None


def _agreement_name(kind: str, topics: frozenset[str], parties: tuple[str, ...]) -> str:
    subject = " and ".join(topic.title() for topic in sorted(topics))
    words = ["–".join(parties), subject, KIND_LABELS[kind]]
    return " ".join(word for word in words if word) or KIND_LABELS[kind]


def find_entities(text: str, vocabulary: Vocabulary, published_on: datetime.date | None = None) -> Findings:
    """Everything the story is about, from its body text."""
    tokens = tokenise(text)
    stream = word_stream(tokens)
    officials, _claimed, spans = find_officials(text, tokens, vocabulary, stream)
    countries: list[str] = []
    for mention in find_country_mentions(text, skip_spans=spans, extra_names=vocabulary.country_aliases):
        if mention.code not in countries:
            countries.append(mention.code)
    for finding in officials:
        country = finding.official.country if finding.official else finding.country
        if country and country not in countries:
            countries.append(country)
    agreements = find_agreements(text, tokens, vocabulary, countries, published_on, stream)
    return Findings(tuple(countries), tuple(officials), tuple(agreements))
