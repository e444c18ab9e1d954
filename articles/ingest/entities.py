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
5. Each agreement a sentence reports (articles/ingest/agreements.py: "signed a Memorandum of Understanding (MoU) on
   defence cooperation", "the Reciprocal Access Agreement came into force") is matched to a known agreement of
   the same kind, parties and subject signed within a few weeks, or else proposed as new.
6. Countries by name, variant and demonym (articles.countries), plus the countries of the officials found.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from rapidfuzz.distance import Indel

from ..text import name_key
from . import agreements
from .countries import all_countries, country_by_code, find_country_mentions
from .dates import MONTH_NAMES, WEEKDAY_NAMES
from .parsing import ODD_CASE_LETTERS, _ends_with_abbreviation

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
    speaker representative deputy counsellor adviser advisor minister-president head leader manager
    """.split()
)
# The same in the other languages of the desk's sources, and the endings of German compound titles
# ("Bundeskanzlerin", "Wirtschaftsminister", "Staatssekretär").
TITLE_HEADS |= frozenset(
    """
    ministre president presidente ministro ministra secretaire secretario secretaria canciller chanceler
    kanzler kanzlerin ambassadeur embajador embaixador roi rey rei menteri presiden premierminister
    duta bakan bakani cumhurbaskani basbakan
    """.split()
)
FOREIGN_TITLE_ENDINGS = ("minister", "ministerin", "kanzler", "kanzlerin", "prasident", "prasidentin", "sekretar",
                         "sekretarin", "botschafter", "botschafterin")  # fmt: skip


def is_title_head(key: str) -> bool:
    return key in TITLE_HEADS or (len(key) > 9 and " " not in key and key.endswith(FOREIGN_TITLE_ENDINGS))


NON_NAME_WORDS = (
    TITLE_HEADS
    | frozenset(
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
    industrial programme program delegate delegation
    agency authority board institute university association federation society chamber alliance
    partnership platform plan agreement treaty memorandum understanding mou roadmap framework initiative
    project accord pact armed resources natural human rights welfare enterprises overseas diaspora
    veterans solidarity integration territorial local heavy small medium micro skill skills
    entrepreneurship commission secretariat bureau service services operations command islamic holy
    majesty highness war live
    """.split()
    )
    # Portfolios in the desk's other languages, so that "Menteri Luar Negeri Retno Marsudi" and "Dışişleri
    # Bakanı Ceyhun Bayramov" give the name after the title, not a name that begins with the portfolio.
    | frozenset(
        """
    luar negeri dalam perdagangan pertahanan keuangan perindustrian pertanian kesehatan pendidikan investasi
    koordinator bidang perekonomian kemaritiman besar wakil kementerian disisleri ticaret savunma enerji
    hazine maliye sanayi tarim ekonomi yardimcisi relacoes exteriores estrangeiros negocios defesa comercio
    fazenda asuntos relaciones defensa hacienda affaires etrangeres europeennes armees
    """.split()
    )
    | frozenset(name.lower() for name in MONTH_NAMES + WEEKDAY_NAMES)
)
# Words in capitals that are never a family name, whatever stands beside them.
_CAPS_NOT_NAMES = frozenset("ani pti ians afp reuters wam spa xinhua tass nato asean brics saarc bimstec".split())
NAME_PARTICLES = frozenset("al el bin ibn bint de da di du del della van von der den le la ben abu".split())
NAME_SUFFIXES = frozenset({"jr", "sr"})
# Words of address that end a title exactly where the name begins ("Hon. Gilberto C. Teodoro").
HONORIFICS = frozenset(
    """
    mr mrs ms dr prof sir hon honourable honorable excellency h e he shri smt eng lic his her majesty highness
    """.split()
)
# A title in lower case written just before a name, maybe with its portfolio, a comma and a word of address:
# "Norway's trade minister Lars Holm", "his Spanish counterpart José Manuel Albares", "minister for Defence,
# Richard Marles", "his Moroccan counterpart, Mr. Aziz Akhannouch".
LOWER_CASE_TITLE = re.compile(
    r"(?P<title>(?:(?<![\w'’-])[a-z][\w-]*\s+){0,3}"
    r"(?:minister|president(?:-elect)?|vice-president|secretary|ambassador|envoy|premier|chancellor|counterpart"
    r"|spokes(?:person|man|woman)|governor|commander|chief|director-general|foreign secretary|defence secretary"
    r"|leader)"
    r"(?:\s+(?:of|for)\s+[A-Z][\w&’'-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w&’'-]*){0,5})?)\s*,?\s*"
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Hon|Sir)\.?\s+)?$"
)
ROMAN_NUMERAL = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)$")

# The rest of a word after its first letter: apostrophes, hyphens and dots stay inside names (O'Brien,
# Al-Hassan) when a letter follows them, and one dot may end it ("S."). The possessive quantifiers never give
# back what they took, which spares the engine backing up a letter at a time.
_WORD_REST = r"\w*+(?:['’.-]++\w++)*+\.?"
WORD = re.compile(rf"[^\W\d_]{_WORD_REST}|\d+|\(|\)|[,;:–—]")
# Words the person finder reads even in lower case: links inside titles and names.
CONNECTORS = (
    "of for in charge and the visiting former acting "
    "al el bin ibn bint de da di du del della van von der den le la ben abu"
)
_GAP_WORD = rf"(?!(?:{'|'.join(CONNECTORS.split())})\b)[a-z0-9]{_WORD_REST}"
# A run of other lower-case words (and numbers) is one token: it only separates names, so reading it word by
# word would cost most of the time and change nothing. Its words still reach the phrase index.
TOKEN = re.compile(rf"{_GAP_WORD}(?:[ \t]++{_GAP_WORD})*+|{WORD.pattern}")
# What an apostrophe joins to the end of a name: the English possessive, and Turkish case endings
# ("Erdoğan’la", "Aliyev'in", "Bayramov’un"), which are no part of the name.
POSSESSIVE = re.compile(
    r"['’](?:s|la|le|yla|yle|in|ın|un|ün|nin|nın|nun|nün|ya|ye|yi|yı|yu|yü|de|da|te|ta|den|dan|ten|tan)?$"
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
# What may stand before a role ("'s the visiting ...") or after it ("... of the"), but is not part of it.
ROLE_LEAD = re.compile(r"^(?:['’]s\b|[\s,]+|the\b|visiting\b|[a-z]+\b)+")
ROLE_TAIL = re.compile(r"(?:[\s,]+|\b(?:of|for|in|and|the)\b)+$")
PARENTHESES = re.compile(r"\([^()]*\)")
LEADING_ARTICLE = re.compile(r"^(?:An?|The)\s+")
# The "and" between the two sides, not one inside a name ("the Institute for Training, Research, and …").
BETWEEN = re.compile(r"\bbetween\s+(?P<a>.+?)(?<!,)\s+and\s+(?P<b>.+?)\s*$", re.IGNORECASE)
ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")


@dataclass(frozen=True)
class KnownOfficial:
    id: int | None
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO alpha-2
    role: str = ""

    def with_alias(self, alias: str) -> KnownOfficial:
        return replace(self, aliases=(*self.aliases, alias))


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
    evidence: str = ""  # the sentence it was read from
    confidence: float = 1.0


@dataclass(frozen=True)
class AgreementFinding:
    agreement: KnownAgreement | None  # None: a newly reported signing
    name: str
    kind: str
    parties: tuple[str, ...] = ()
    subject: str = ""
    signed_on: datetime.date | None = None
    status: str = "signed"  # what the story says happened to it (agreements.Status)
    evidence: str = ""
    confidence: float = 1.0
    acronym: str = ""  # the short form the story defines for a new one: "RAA"
    subject_by_kind: bool = False  # "the FTA", whose subject is only what its kind says


@dataclass(frozen=True)
class Findings:
    countries: tuple[str, ...]
    officials: tuple[OfficialFinding, ...]
    agreements: tuple[AgreementFinding, ...]
    # The sentence each country was first read from, by ISO code.
    country_evidence: dict[str, str] = field(default_factory=dict)


class Word:
    """A token's text and the facts the finders ask about it.

    News repeats its words, so each spelling is read once and its Word is shared by every place it is written
    (see `words_of`); where a token stands is kept by `Tokens`.
    """

    __slots__ = (
        "text",
        "bare",
        "key",
        "parts",
        "size",
        "is_initial",
        "is_capitalised",
        "is_particle",
        "is_name",
        "may_start_name",
        "is_title",
        "is_caps_name",
    )

    def __init__(self, text: str):
        self.text = text
        stripped = text.rstrip(".")
        self.is_initial = stripped.isupper() and stripped.isalpha() and len(stripped) <= 2
        self.bare = text if self.is_initial else POSSESSIVE.sub("", stripped)
        self.key = name_key(self.bare)
        self.parts = tuple(self.key.split())  # its words in a `WordStream` ("India-Italy" is two)
        self.size = len(self.parts)
        self.is_capitalised = text[:1].isupper()
        self.is_particle = self.key in NAME_PARTICLES
        self.is_name = self.is_capitalised and _is_name_key(text, self.key, self.is_initial)
        is_country = _is_country_key(self.key)
        # "KIHARA", "AKHANNOUCH": a family name in capitals, as ministries write it beside a given name; a name
        # word only next to one (see _name_runs), since alone it is as likely an acronym.
        bare = stripped.replace("-", "")
        self.is_caps_name = (
            len(bare) >= 3
            and bare.isupper()
            and bare.isalpha()
            and self.key not in NON_NAME_WORDS
            and not is_country
            and self.key not in _CAPS_NOT_NAMES
        )
        # Where a run of name words may begin (see _name_runs).
        self.may_start_name = not self.is_particle and (
            self.is_initial or (self.is_name and not is_country) or self.is_caps_name
        )
        self.is_title = _is_title_word(text, self.key, self.is_capitalised, is_country)

    def __repr__(self):
        return f"Word({self.text!r})"


# Spellings read so far, shared across stories; emptied when full, which keeps a long import's memory flat.
_WORDS: dict[str, Word] = {}
WORDS_KEPT = 50_000


def words_of(texts: Iterable[str]) -> list[Word]:
    """The Word of each token text, read once per spelling."""
    known = _WORDS.get
    words = []
    for text in texts:
        word = known(text)
        if word is None:
            if len(_WORDS) >= WORDS_KEPT:
                _WORDS.clear()
            word = _WORDS[text] = Word(text)
        words.append(word)
    return words


class Tokens:
    """The tokens of a text: their words, and where each is written (found when asked for)."""

    def __init__(self, text: str):
        self.text = text
        self.texts = TOKEN.findall(text)
        self.words = words_of(self.texts)
        self._starts: list[int] = []

    def __len__(self):
        return len(self.words)

    def start(self, n: int) -> int:
        """Where token n begins.

        Found by looking for each token's text from where the one before it ends: what TOKEN skips between two
        tokens holds no character a token can begin with, so each is found where it stands. Most stories need
        the positions of a few names near their start only, which costs less than a match object per token.
        """
        starts, texts = self._starts, self.texts
        while len(starts) <= n:
            after = starts[-1] + len(texts[len(starts) - 1]) if starts else 0
            starts.append(self.text.find(texts[len(starts)], after))
        return starts[n]

    def span(self, first: int, end: int) -> tuple[int, int]:
        """Where tokens first to end (exclusive) are written."""
        return self.start(first), self.start(end - 1) + len(self.texts[end - 1])


class WordStream:
    """The folded words of a text's tokens, one after the other, and which token each came from."""

    def __init__(self, words: Sequence[Word]):
        self.keys = list(itertools.chain.from_iterable(map(_PARTS, words)))
        self._ends = list(itertools.accumulate(map(_SIZE, words)))  # after each token, the words so far

    def owner(self, position: int) -> int:
        return bisect.bisect_right(self._ends, position)


_PARTS = operator.attrgetter("parts")
_SIZE = operator.attrgetter("size")


def topics_in(text: str) -> frozenset[str]:
    return frozenset(topic for topic, pattern in _TOPIC_PATTERNS.items() if pattern.search(text))


def _name_parts(key: str) -> list[str]:
    return [part for part in key.split() if part not in NAME_PARTICLES] or key.split()


def similar(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100


class PhraseIndex:
    """Finds known phrases (folded, whole words) in a word stream, longest first."""

    def __init__(self, phrases: Iterable[tuple[str, object]] = ()):
        self.by_key: dict[tuple[str, ...], object] = {}
        self.longest: dict[str, int] = {}  # first word -> words in the longest phrase it begins
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
        self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))

    def find(self, stream: WordStream) -> list[tuple[int, int, object]]:
        """(first token, end token, value) for each non-overlapping match in the stream."""
        words, longest = stream.keys, self.longest
        found, end = [], 0
        for i in [i for i, word in enumerate(words) if word in longest]:
            if i < end:
                continue
            for n in range(min(longest[words[i]], len(words) - i), 0, -1):
                value = self.by_key.get(tuple(words[i : i + n]))
                if value is not None:
                    end = i + n
                    found.append((stream.owner(i), stream.owner(end - 1) + 1, value))
                    break
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
        # The agreements a reported signing may be, in the order of `agreements`.
        self.by_kind_and_parties: dict[tuple[str, frozenset[str]], list[KnownAgreement]] = {}
        self._agreement_ids: set[int] = set()
        self.agreement_names: set[str] = set()  # in lower case, to tell which names a new agreement may take
        for official in self.officials:
            self._index_official(official)
        self.agreements = list(self.agreements)
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
        self.by_kind_and_parties.setdefault((agreement.kind, agreement.party_keys), []).append(agreement)
        self.agreement_names.add(agreement.name.lower())
        if agreement.id is not None:
            self._agreement_ids.add(agreement.id)

    def add_official(self, official: KnownOfficial):
        """Learn a new official, or a known one's new aliases, without rebuilding the indexes."""
        if official.id is not None:
            for index in (self.by_surname, self.by_initial):
                for key, holders in index.items():
                    if any(o.id == official.id for o in holders):
                        index[key] = [o for o in holders if o.id != official.id]
        self._index_official(official)

    def add_agreement(self, agreement: KnownAgreement):
        """Learn a new agreement, or a known one anew, without rebuilding the indexes."""
        if agreement.id in self._agreement_ids:
            self.agreements = [a for a in self.agreements if a.id != agreement.id]
            for key, known in self.by_kind_and_parties.items():
                self.by_kind_and_parties[key] = [a for a in known if a.id != agreement.id]
        self.agreements.append(agreement)
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


def _is_name_key(text: str, key: str, is_initial: bool) -> bool:
    if is_initial or ROMAN_NUMERAL.match(text):
        return True
    bare = text.rstrip(".")
    if bare.isupper() and len(bare) > 2:
        return False  # acronyms: OCP, DRDO, SIDM
    if not key:
        return False  # nothing left once folded to ASCII ("Ъь"): no name can be compared with it
    return key not in NON_NAME_WORDS and key.split()[0] not in NON_NAME_WORDS and not is_title_head(key)


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


def _is_country_key(key: str) -> bool:
    key = key.removesuffix(" s")
    words = _country_words()
    return key in words or key.rstrip("s") in words


@dataclass(frozen=True)
class NameRun:
    """Capitalised words that may name a person, with the title words written just before them."""

    words: tuple[Word, ...]
    first: int  # its first token, and the token after its last
    end: int
    title: tuple[Word, ...]
    title_after: tuple[Word, ...] = ()
    # The title stands apart, behind a comma ("Indonesia's Defence Minister, Prabowo Subianto"): where the
    # name begins is then certain, however many words it has.
    set_off: bool = False

    @property
    def written(self) -> str:
        return " ".join(word.bare for word in self.words)

    @property
    def person_name(self) -> str:
        """The name given name first, capitals as a name is written: "KIHARA Minoru" -> "Minoru Kihara"."""
        words = [word.bare for word in self.words]
        if any(word.is_caps_name for word in self.words):
            lead = 0
            while lead < len(words) and self.words[lead].is_caps_name:
                lead += 1
            words = [_unshout(word) for word in (words[lead:] + words[:lead] if lead < len(words) else words)]
        return " ".join(words)


def _name_runs(tokens: Tokens, claimed: set[int]) -> list[NameRun]:
    """Runs of name-like words not already claimed by a known entity."""
    words = tokens.words
    count = len(words)
    # Whether an initial is part of a name, by position: the initials of one run share the answer of the word
    # their chain ends at, so each is worked out once and a long run of initials costs its length, not 2^length.
    initials: dict[int, bool] = {}

    def is_part(n: int) -> bool:
        if n >= count or n in claimed:
            return False
        word = words[n]
        if word.is_initial:
            # "S. Jaishankar", "JD Vance"; but "US" before "Secretary" is a country, not an initial.
            # An initial is part of a name when the word after it is, and is no initial; or when the word after
            # it is an initial and the one after that is part of a name. The chain is followed in a loop.
            chain = []
            while n not in initials:
                chain.append(n)
                if not (n + 1 < count and words[n + 1].is_initial):
                    answer = is_part(n + 1)  # no initial: answered at once
                    break
                n += 2
                if n >= count or n in claimed or not words[n].is_initial:
                    answer = is_part(n)
                    break
            else:
                answer = initials[n]
            initials.update(dict.fromkeys(chain, answer))
            return answer
        if word.is_particle:
            return n + 1 < count and words[n + 1].is_name
        if word.is_caps_name:
            return (
                _is_plain_name(n - 1)
                or _is_plain_name(n + 1)
                or (n + 1 < count and words[n + 1].is_caps_name and _is_plain_name(n + 2))
                or (n > 0 and words[n - 1].is_caps_name and _is_plain_name(n - 2))
            )
        return word.may_start_name

    def _is_plain_name(n: int) -> bool:
        return 0 <= n < count and n not in claimed and words[n].is_name and not words[n].is_caps_name

    runs, i = [], 0
    # Only a word that may start a name can start a run: the rest of the text is skipped unread.
    for start in [n for n, word in enumerate(words) if word.may_start_name]:
        if start < i or not is_part(start):
            continue
        i = j = start
        while is_part(j):
            # Stop at a sentence end ("... Singh. Mezzour said") but not after an initial ("S. Jaishankar").
            if j > i and words[j - 1].text.endswith(".") and not words[j - 1].is_initial:
                break
            j += 1
        # Words of the title written before the name: "US Secretary of Defense", "Morocco's Defence Minister".
        k = i
        while k > 0 and (k - 1) not in claimed and words[k - 1].is_title:
            k -= 1
        title = tuple(words[k:i])
        set_off = False
        if k > 1 and words[k - 1].text == "," and all(word.key in HONORIFICS for word in title):
            # "the Sultan of Oman, His Majesty Haitham bin Tarik", "the President of Mexico, Claudia Sheinbaum"
            m = k - 1
            while m > 0 and (m - 1) not in claimed and words[m - 1].is_title:
                m -= 1
            if any(is_title_head(word.key) for word in words[m : k - 1]):
                title, set_off = tuple(words[m : k - 1]), True  # the words of address are no part of it
        # "Gilberto C. Teodoro, Jr., Secretary of National Defense": the suffix belongs to the name.
        suffix: tuple[Word, ...] = ()
        if j + 1 < count and words[j].text == "," and words[j + 1].key in NAME_SUFFIXES:
            suffix = (words[j + 1],)
            j += 2
        # "Pete Hegseth, the US Secretary of Defense," or "Amir Baram, Director General of Israel's Ministry"
        after: tuple[Word, ...] = ()
        if j < count and words[j].text == ",":
            m = j + 1
            while m < count and (words[m].key in {"the", "visiting"} or words[m].is_title):
                m += 1
            after = tuple(words[j + 1 : m])
        name_words = tuple(words[i : j - 2]) + suffix if suffix else tuple(words[i:j])
        runs.append(NameRun(name_words, i, j, title, after, set_off or bool(after)))
        i = j
    return runs


_LOWER_TITLE_HEADS = (
    "minister", "president", "vice-president", "secretary", "ambassador", "envoy", "premier", "chancellor",
    "counterpart", "spokes", "governor", "commander", "chief", "director-general", "foreign", "defence", "leader",
)  # fmt: skip
_NOT_IN_TITLE = frozenset(
    "the a an by with to said signed met told from at for his her their its our was were is are as".split()
)


def _lower_case_title(text: str, at: int) -> tuple[str, str | None]:
    """The role and country a lower-case title just before position `at` gives, as _title_parts does."""
    before = text[max(0, at - 120) : at]
    match = LOWER_CASE_TITLE.search(before)
    if match is None:
        return "", None
    words = match["title"].split()
    # The title begins after the last word before its head that cannot be part of one ("signed by the").
    head = next((n for n, word in enumerate(words) if word.lower().startswith(_LOWER_TITLE_HEADS)), 0)
    cut = max((n + 1 for n, word in enumerate(words[:head]) if word.lower() in _NOT_IN_TITLE), default=0)
    role = " ".join(words[cut:]).strip(" ,.")
    # The country is named just before the title: "Norway's", "his Spanish", "Indonesian".
    context = before[max(0, match.start() - 40) : match.end()]
    mentions = find_country_mentions(context)
    country = mentions[-1].code if mentions else None
    # "North Korean leader Kim Jong-un" leads a country; "Azimio leader …" a party.
    if words[head].lower() == "leader" and not (
        mentions and context[mentions[-1].end : context.rfind("leader")].strip() in {"", "'s", "’s"}
    ):
        return "", None
    return role[:1].upper() + role[1:], country


LONGEST_SET_OFF_NAME = 6
# A title after a name and a comma, in lower case or not: "Maya Tissafi, Switzerland's ambassador to India",
# "Juan Angulo, ambassador of Chile", "Laura Flessel, ministre française des Sports".
LOWER_CASE_TITLE_AFTER = re.compile(
    r"\s*,\s*(?:the\s+|a\s+|an\s+|le\s+|la\s+|el\s+|o\s+)?"
    r"(?P<title>(?:[A-Z][\w.-]*(?:['’]s)?\s+){0,2}(?i:(?:joint|deputy|vice|chief|under|principal|senior|additional)[\s-])?"
    r"(?i:minist(?:er|re|ro|ra)|secr[ée]taire|secretar(?:y|io|ia)|ambassad(?:or|eur)|embajador|embaixador|envoy"
    r"|president[ea]?|président|governor|spokes(?:person|man|woman)|commissioner|chair(?:man|woman|person)?"
    r"|director|head)\b[^,.;()]{0,80})"
)


def _lower_case_title_after(text: str, at: int) -> tuple[str, str | None]:
    """The role and country a title written after a name and a comma gives."""
    match = LOWER_CASE_TITLE_AFTER.match(text, at, min(len(text), at + 160))
    if match is None:
        return "", None
    role = match["title"].strip()
    mentions = find_country_mentions(role)
    country = mentions[0].code if mentions else None
    if mentions and mentions[0].start == 0:
        role = role[mentions[0].end :].lstrip("'’s ")  # "Switzerland's ambassador to India"
    return role[:1].upper() + role[1:], country


def _unshout(word: str) -> str:
    return "-".join(part.capitalize() for part in word.split("-")) if word.isupper() else word


def _is_title_word(text: str, key: str, is_capitalised: bool, is_country: bool) -> bool:
    if text in {"(", ")", ",", "’s", "'s"}:
        return text != ","
    if key in {"of", "for", "in", "charge", "and", "the", "visiting", "former", "acting"}:
        return True
    if not is_capitalised:
        return False
    return (
        key in NON_NAME_WORDS
        or is_title_head(key)
        or is_country
        or key.endswith(" s")
        or (text.rstrip(".").isupper() and len(text) <= 6)
    )


def _title_parts(words: Sequence[Word]) -> tuple[str, str | None]:
    """Split title words into (role, country code): "US Secretary of Defense" -> ("Secretary of Defense", "US")."""
    head = next((n for n, token in enumerate(words) if is_title_head(token.key)), None)
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
    role = ROLE_TAIL.sub("", role).rstrip(" .,;:")
    return role, country


def _looks_like_person(run: NameRun) -> bool:
    words = [word for word in run.words if not word.is_particle]
    # "Suhail bin Mohammed Faraj Faris Al Mazrouei, Minister of Energy": a name set off by commas may be long.
    longest = LONGEST_SET_OFF_NAME if run.set_off else 4
    if not 2 <= len(words) <= longest or words[-1].is_initial:
        return False
    return all(len(word.key) > 1 or word.is_initial for word in words)


def find_officials(
    tokens: Tokens, vocabulary: Vocabulary, stream: WordStream
) -> tuple[list[OfficialFinding], set[int], list[tuple[int, int]]]:
    """Officials in the text, the token positions they claim, and their character spans."""
    findings: dict[str, OfficialFinding] = {}
    claimed: set[int] = set()
    spans: list[tuple[int, int]] = []

    for first, end, official in vocabulary.official_index.find(stream):
        findings.setdefault(official.name, OfficialFinding(official, official.name))
        claimed.update(range(first, end))
        spans.append(tokens.span(first, end))

    for run in _name_runs(tokens, claimed):
        words = [word for word in run.words if not word.is_particle]
        if len(words) == 1:
            official = _bare_surname(words[0], findings, vocabulary)
            if official is not None:
                findings.setdefault(official.name, OfficialFinding(official, official.name))
                spans.append(tokens.span(run.first, run.end))
            continue
        if not run.set_off and LOWER_CASE_TITLE_AFTER.match(tokens.text, tokens.span(run.first, run.end)[1]):
            run = replace(run, set_off=True)  # "Juan Angulo, ambassador of Chile"
        if not _looks_like_person(run):
            continue
        official = vocabulary.closest_official(run.person_name)
        if official is not None:
            alias = run.written if name_key(run.written) != name_key(official.name) else ""
            if official.name not in findings or alias:
                previous = findings.get(official.name)
                findings[official.name] = OfficialFinding(
                    official, official.name, new_alias=alias or (previous.new_alias if previous else "")
                )
            spans.append(tokens.span(run.first, run.end))
            continue
        role, country = _title_parts(run.title)
        role_before = bool(role)
        if not role:
            role, country_after = _title_parts(run.title_after)
            country = country or country_after
        if not role:
            role, country_before = _lower_case_title(tokens.text, tokens.start(run.first))
            country = country or country_before
        if not role:
            role, country_after = _lower_case_title_after(tokens.text, tokens.span(run.first, run.end)[1])
            country = country or country_after
        if (
            role_before
            and not run.set_off
            and len(words) >= 3
            and not is_title_head(run.title[-1].key)
            and run.title[-1].key not in HONORIFICS
        ):
            # "Minister for Ocean Affairs Aino Kalle Tamm": where the portfolio ends and the name begins is a
            # guess; a wrong person is worse than a missed one.
            continue
        if role:
            name = run.person_name
            if name not in findings:
                findings[name] = OfficialFinding(None, name, role=role, country=country)
                spans.append(tokens.span(run.first, run.end))
    return list(findings.values()), claimed, spans


def _bare_surname(word: Word, found: dict[str, OfficialFinding], vocabulary: Vocabulary) -> KnownOfficial | None:
    if word.is_initial or ROMAN_NUMERAL.match(word.text) or len(word.key) < 3:
        return None
    in_story = [f.official for f in found.values() if f.official and _surname_key(f.name) == word.key]
    if in_story:
        return in_story[0]
    holders = vocabulary.surname_holders(word.key)
    return holders[0] if len(holders) == 1 else None


@functools.lru_cache(maxsize=10_000)
def _surname_key(name: str) -> str:
    return _name_parts(name_key(name))[-1]


def find_agreements(
    text: str,
    vocabulary: Vocabulary,
    story_countries: Sequence[str],
    published_on: datetime.date | None,
    stream: WordStream,
    tokens: Tokens,
) -> list[AgreementFinding]:
    """Known agreements by name or alias, then each instrument a sentence reports (ingest/agreements.py)."""
    findings: dict[str, AgreementFinding] = {}
    named: list[tuple[int, int]] = []  # where known agreements are written
    story_parties = {name_key(country_by_code(code).name) for code in story_countries}
    for first, end, agreement in vocabulary.agreement_index.find(stream):
        start, stop = tokens.span(first, end)
        if _is_acronym(text[start:stop]) and not agreement.party_keys <= story_parties:
            continue  # "the RAA" names Japan and the Philippines' agreement only in a story about the two
        findings.setdefault(agreement.name, _known(agreement))
        named.append((start, stop))
    lexicon = agreements.lexicon_of(text)
    status_of = lexicon.status_of if lexicon else agreements.status_of
    previous_span, carried, story_status = None, None, None
    for start, end in _instrument_sentences(text, lexicon):
        last = start
        while last > 0 and text[last - 1].isspace():
            last -= 1  # past the blank lines between the items of a list
        before = sentence_around(text, last - 1) if last > 0 else None
        own_status = status_of(text[start:end])
        # What the sentence before says happened matters only to one that says nothing itself.
        previous_status = status_of(text[before[0] : start]) if before and own_status is None else None
        in_list = (
            previous_status is None and carried is not None and before is not None and previous_span == before
        )
        if in_list:
            previous_status = carried  # a list, one instrument a line, under "the following were signed:"
        if _ABOUT_THE_LAST.match(text, start) and not _SAYS_WHAT_IT_COVERS.match(text, start):
            previous_status = None  # "It establishes a decade-long roadmap": what the one just read holds
        heading = own_status is None and previous_status is None and text[start:end].rstrip().endswith(":")
        if lexicon:
            readings = agreements.read_foreign_sentence(text, start, end, lexicon, previous_status)
        else:
            readings = agreements.read_sentence(text, start, end, previous_status, sentence_status=own_status)
        previous_span = (start, end)
        carried = next((r.status for r in readings if r.status != agreements.Status.REFERRED), None)
        if in_list and carried is None:
            carried = previous_status  # an item read as nothing does not end the list
        if heading:
            carried = story_status  # "See the main agreements:" under "they signed some 30 agreements"
        story_status = own_status or story_status
        for reading in readings:
            if any(a <= reading.end and reading.start <= b for a, b in named):
                continue  # the known agreement written there
            read = _finding(reading, text, vocabulary, story_countries, published_on)
            # "the agreement on the pipeline": one the story has named, when its words are that one's.
            definite = text[max(0, reading.start - 4) : reading.start].lower() == "the "
            for finding in _with_each(read, reading, text, story_countries):
                if finding.name in findings or _repeats(finding, findings.values(), definite):
                    continue
                findings[finding.name] = finding
    return _once_each(list(findings.values()))


# "visiting forces agreements with Canada and France": one with each, for the country the story is about.
_WITH_EACH = re.compile(
    r"\s+with\s+(?P<a>[^,;.]{3,40}?)\s+and\s+(?P<b>[^,;.]{3,40}?)(?=\s+(?:are|is|were|was|have|has|had|will|would)\b|[,;.]|$)"
)


def _with_each(
    finding: AgreementFinding | None, reading: agreements.Reading, text: str, story_countries: Sequence[str]
) -> list[AgreementFinding]:
    if finding is None:
        return []
    written = text[reading.start : reading.end]
    each = _WITH_EACH.match(text, reading.end)
    if finding.agreement is not None or not written.endswith("s") or each is None:
        return [finding]
    if any(len(each[side].split()) > 3 for side in "ab"):
        return [finding]
    sides = [find_country_mentions(each[side]) for side in "ab"]
    if any(len(mentions) != 1 for mentions in sides):
        return [finding]
    others = {mentions[0].code for mentions in sides}
    home = next((code for code in story_countries if code not in others), None)
    if home is None:
        return [finding]
    found = []
    for mentions in sides:
        parties = (country_by_code(home).name, country_by_code(mentions[0].code).name)
        topics = topics_in(reading.subject)
        name = _agreement_name(reading.kind, reading.subject, topics, parties, written)
        found.append(replace(finding, name=name, parties=parties))
    return found


# Kinds that a story may call by one another's names: "the India-Australia ECTA, as the FTA is known".
TRADE_KINDS = frozenset({"fta", "cepa", "agreement"})


# A sentence about the agreement just read, not one of its own.
_ABOUT_THE_LAST = re.compile(
    r"(?:It|This|That|The (?:agreement|pact|deal|accord|treaty|MoU|memorandum|framework|roadmap))\b"
)


# "The agreement was on visa exemption": what the instrument the sentence before reported covers, so that one.
_SAYS_WHAT_IT_COVERS = re.compile(
    r"The (?:agreements?|pacts?|deals?|accords?|treat(?:y|ies)|MoUs?|MOUs?|memorand\w+)\s+(?:was|were|is|are)\s+"
    r"(?:on|for|about|regarding|concerning|related to|relating to)\s"
)


def _once_each(findings: list[AgreementFinding]) -> list[AgreementFinding]:
    """A story's "the FTA" or "the CEPA" is the trade agreement it names otherwise, or one of them."""
    said = [
        f
        for f in findings
        if f.kind in TRADE_KINDS and (f.kind != "agreement" or "trade" in topics_in(f.subject or f.name))
    ]
    dropped = []
    for kind in {f.kind for f in said if f.subject_by_kind}:
        by_kind = sorted((f for f in said if f.subject_by_kind and f.kind == kind), key=lambda f: not f.parties)
        # Another name for the same one: the same kind said otherwise, a name of its own ("the ECTA, as the
        # FTA is known") or "the trade agreement"; a "preferential trade agreement" beside "a CEPA" is another.
        named = any(
            not f.subject_by_kind and (f.kind == kind or f.subject == "" or _only_topics(f.subject)) for f in said
        )
        dropped += by_kind if named else by_kind[1:]
    # "A trade agreement between India and EFTA will come into force" beside the story's named Trade and
    # Economic Partnership Agreement: the one it names.
    if any(f.kind != "agreement" and not f.subject_by_kind and f not in dropped for f in said):
        dropped += [f for f in said if f.kind == "agreement" and f.agreement is None and f.subject == "trade"]
    return [f for f in findings if f not in dropped]


def _repeats(finding: AgreementFinding, found: Iterable[AgreementFinding], definite: bool = False) -> bool:
    """Whether a new finding is one already found under another name: same kind and parties, and the same
    topics, or the words of one name within the other's ("Reciprocal Access Agreement" and "Agreement
    concerning the Facilitation of Reciprocal Access and Cooperation")."""
    topics = topics_in(finding.subject or finding.name)
    words = _name_words(finding)
    # "a defence cooperation pact" beside the story's "MoU on defence cooperation" is that MoU, said loosely.
    loose = finding.kind == "agreement"
    return finding.agreement is None and any(
        (other.kind == finding.kind or (loose and other.kind not in TRADE_KINDS))
        and (set(other.parties) == set(finding.parties) or ((loose or definite) and not finding.parties))
        and (
            (topics and topics_in(other.subject or other.name) == topics)
            or (len(words) >= (1 if definite else 2) and words <= _name_words(other))
        )
        for other in found
    )


def _name_words(finding: AgreementFinding) -> frozenset[str]:
    """The words that tell an agreement from its pair's others: not its parties', its kind's or links."""
    parties = {name_key(part) for party in finding.parties for part in re.split(r"[–-]", party)}
    words = {name_key(word) for word in re.findall(r"[\w’']+", finding.name)}
    return frozenset(words - parties - KIND_NAME_WORDS - _SMALL_WORDS - {""})


def _instrument_sentences(text: str, lexicon: agreements.Lexicon | None = None) -> list[tuple[int, int]]:
    """The sentences that name an instrument, in order.

    INSTRUMENT tried at every position of a story cost more than the rest of the reading. Every instrument's
    wording holds one of agreements.ANCHORS (in lower case) or ACRONYM_ANCHORS (as written), so only the
    sentences around those are searched; a text with one of ODD_CASE_LETTERS, which IGNORECASE folds unlike
    lower(), is searched whole.
    """
    instrument = lexicon.instrument if lexicon else agreements.INSTRUMENT
    if lexicon or any(letter in text for letter in ODD_CASE_LETTERS):
        candidates = [(0, len(text))]  # stories in other languages are rare: no anchors of their own
    else:
        lowered = text.lower()
        positions = sorted(
            {at for anchor in agreements.ANCHORS for at in _find_all(lowered, anchor)}
            | {at for anchor in agreements.ACRONYM_ANCHORS for at in _find_all(text, anchor)}
        )
        candidates = []
        for at in positions:
            if candidates and at < candidates[-1][1]:
                continue
            candidates.append(sentence_around(text, at))
    spans: list[tuple[int, int]] = []
    matches = (match for first, last in candidates for match in instrument.finditer(text, first, last))
    for match in itertools.islice(matches, INSTRUMENTS_READ):
        if spans and match.start() < spans[-1][1]:
            continue
        spans.append(sentence_around(text, match.start()))
    return spans


# The instruments read in one story, far more than any news story reports: a text of thousands is hostile,
# and reading each costs a few regular expressions.
INSTRUMENTS_READ = 300


def _find_all(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def sentence_around(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the sentence holding position `at`: between sentence ends or paragraph breaks.

    A sentence reaches no further than SENTENCE_REACH characters either side of `at`, and its start is looked
    for close to `at` first, so that asking around every anchor of a long paragraph stays linear.
    """
    line_start = max(text.rfind("\n", max(0, at - SENTENCE_REACH), at) + 1, at - SENTENCE_REACH, 0)
    reach = 64
    while True:
        first = max(line_start, at - reach)
        breaks = [
            match.end()
            # One character past `at`, for the look-ahead at the capital that starts a sentence there.
            for match in _SENTENCE_BREAK.finditer(text, first, at + 1)
            if match.end() <= at and not _ends_with_abbreviation(text, match.start() + 1)
        ]
        if breaks or first == line_start:
            start = breaks[-1] if breaks else line_start
            break
        reach *= 4
    end = text.find("\n", at, at + SENTENCE_REACH)
    end = min(len(text), at + SENTENCE_REACH) if end < 0 else end
    # From a little before `at`: a position in the spaces after a full stop belongs to the sentence it ends.
    for match in _SENTENCE_BREAK.finditer(text, max(line_start, at - BREAK_MAX_CHARS), end):
        if match.end() > at and not _ends_with_abbreviation(text, match.start() + 1):
            end = match.start() + 1
            break
    return start, end


BREAK_MAX_CHARS = 8  # a full stop, closing quotes or brackets and the spaces after it, but for long runs


SENTENCE_REACH = 1000
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


# Verbs and what makes a clause, in the desk's languages: never a word of an agreement's name.
_CLAUSE_WORD = re.compile(
    r"(?<![\w-])(?:signs?|sign(?:ed|ing)|inked|be|been|being|is|are|was|were|will|would|has|have|had"
    r"|a été|été|est|sont|sera|signée?s?|foi|foram|será|assinad[oa]s?|fue|fueron|firmad[oa]s?)(?![\w-])",
    re.IGNORECASE,
)


def _finding(
    reading: agreements.Reading,
    text: str,
    vocabulary: Vocabulary,
    story_countries: Sequence[str],
    published_on: datetime.date | None,
) -> AgreementFinding | None:
    sentence = reading.sentence
    offset = reading.sentence_start
    after = _CLAUSE_END.split(sentence[reading.end - offset :], maxsplit=1)[0]
    before = sentence[: reading.start - offset]
    between_match = BETWEEN.search(after) or BETWEEN.search(before)
    parties = _parties(between_match.group(0) if between_match else "", story_countries, sentence)
    if reading.subject and not reading.proper_name and _only_places(reading.subject):
        return None  # "… the countries crossed, and Europe": where, not what it covers
    topics = topics_in(reading.proper_name or reading.subject)
    evidence = " ".join(sentence.split())
    # A subject in another language has no topics to tell one signing from another: never the same by them.
    if reading.language == "en" and reading.status in {agreements.Status.SIGNED, agreements.Status.REFERRED}:
        known = _same_signing(vocabulary, reading.kind, topics, parties, published_on)
        if known is not None:
            return replace(_known(known), status=reading.status, evidence=evidence, confidence=reading.confidence)
    written = text[reading.start : reading.end]
    name = reading.proper_name or _agreement_name(reading.kind, reading.subject, topics, parties, written)
    institutions = _institutions(between_match) if between_match and not reading.subject else ()
    if institutions and not reading.proper_name:
        name = f"{'–'.join(institutions)} {_agreement_name(reading.kind, '', frozenset(), (), written)}"
    if reading.language != "en" or reading.proper_name == written or _says_only_its_kind(reading.proper_name):
        # "Brazil–China Acordo sobre trocas de moedas locais", "India–United States Defence Framework Agreement":
        # named by its kind's words alone, it needs its parties to be told from others.
        name = " ".join(["–".join(parties), name]).strip()
    if _CLAUSE_WORD.search(name):
        return None  # a caption or a sentence read as a name: "Albanese and Marape Signing Defence Agreement"
    return AgreementFinding(
        None,
        name,
        reading.kind,
        parties=parties,
        subject=reading.subject or ", ".join(sorted(topics)),  # a proper name's topics: "investment"
        signed_on=published_on if reading.status == agreements.Status.SIGNED else None,
        status=reading.status,
        evidence=evidence,
        confidence=reading.confidence,
        acronym=reading.acronym,
        subject_by_kind=reading.subject_by_kind,
    )


_REGIONS = frozenset("europe africa asia america americas oceania middle east region gulf the".split())


def _only_places(subject: str) -> bool:
    return all(word.lower() in _REGIONS for word in _without_countries(subject).split())


def _without_countries(text: str) -> str:
    """The text with every country it names blanked out."""
    for mention in reversed(find_country_mentions(text)):
        text = text[: mention.start] + " " + text[mention.end :]
    return text


def _institutions(between: re.Match) -> tuple[str, ...]:
    """ "between the Moroccan Institute for Diplomatic Studies and the Spanish Diplomatic School": the two
    bodies that signed, by name, when neither side is only a country or its government."""
    sides = []
    for side in (between["a"], between["b"]):
        side = re.sub(r"(?i)^the\s+", "", side.strip(" ,."))
        names = [
            word
            for word in re.findall(r"[\w’'-]+", _without_countries(side))
            if word[:1].isupper() and word.lower() not in _GOVERNMENT_WORDS
        ]
        if not names or len(side.split()) > 10 or not side[:1].isupper():
            return ()
        sides.append(side)
    return tuple(sides)


_GOVERNMENT_WORDS = frozenset("government republic kingdom state union federal of the".split())


# Words of a name that many pairs' agreements share: "Preferential Trade Agreement", "Comprehensive Strategic
# Partnership Declaration" name no one agreement until their parties are said.
KIND_NAME_WORDS = frozenset(
    """
    agreement agreements treaty protocol memorandum understanding mou framework declaration joint statement
    comprehensive economic partnership cooperation co-operation strategic preferential free bilateral
    arrangement accord pact roadmap plan action programme program initiative and of on for the
    """.split()
)


def _says_only_its_kind(name: str) -> bool:
    words = [word.lower() for word in re.findall(r"[\w-]+", name)]
    return bool(words) and all(word in KIND_NAME_WORDS or topics_in(word) for word in words)


def _is_acronym(written: str) -> bool:
    return written.isupper() and len(written) <= 8 and " " not in written


_CLAUSE_END = re.compile(r"[.;]")


def _only_topics(subject: str) -> bool:
    """Whether a subject says no more than its topics ("defence cooperation" is defence)."""
    rest = subject
    for pattern in _TOPIC_PATTERNS.values():
        rest = pattern.sub(" ", rest)
    return not [word for word in rest.split() if word not in {"and", "cooperation", "co-operation", "the", "of"}]


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
            mentions = find_country_mentions(side)
            codes = [m.code for m in mentions]
            leading = bool(mentions) and not re.sub(r"(?i)^\s*the\s+", "", side[: mentions[0].start])
            if abbreviation:
                sides.append(abbreviation.group(1))
            elif codes and (len(side.split()) <= 3 or leading):
                sides.append(country_by_code(codes[0]).name)
            else:
                side = re.sub(r"^(?:the)\s+", "", side.strip(" ,."), flags=re.IGNORECASE)
                if (
                    not side[:1].isupper()
                    or len(side.split()) > 8
                    or any(is_title_head(name_key(w)) for w in side.split())
                ):
                    break  # "between the two countries and…", "between Prime Minister Modi and…": no parties named
                sides.append(side)
        else:
            return tuple(sides)
    nearby, first_two_joined, previous_end = [], False, 0
    for mention in find_country_mentions(context):
        if mention.code in story_countries and mention.code not in nearby:
            nearby.append(mention.code)
            if len(nearby) == 2:
                first_two_joined = _JOINED.fullmatch(context, previous_end, mention.start) is not None
            previous_end = mention.end
    if len(nearby) > 2 and first_two_joined:
        nearby = nearby[:2]  # "India and Cyprus signed …, as well as the war in Ukraine": the two named together
    codes = nearby if len(nearby) >= 2 else list(story_countries)
    if len(codes) != 2:
        return ()
    return tuple(country_by_code(code).name for code in codes)


_JOINED = re.compile(r"\s*(?:and|&|,)\s*(?:the\s+)?")


def _same_signing(
    vocabulary: Vocabulary,
    kind: str,
    topics: frozenset[str],
    parties: tuple[str, ...],
    signed_on: datetime.date | None,
) -> KnownAgreement | None:
    party_keys = frozenset(name_key(party) for party in parties)
    if not party_keys:
        return None
    for agreement in vocabulary.by_kind_and_parties.get((kind, party_keys), ()):
        if topics and agreement.topics and not topics & agreement.topics:
            continue
        if signed_on and agreement.signed_on and abs(signed_on - agreement.signed_on) > SAME_SIGNING_WINDOW:
            continue
        return agreement
    return None


# Kinds whose wording tells documents apart ("joint statement", "joint vision", "security framework"): named
# as written, not by the kind's one label.
KINDS_NAMED_AS_WRITTEN = frozenset({"declaration", "framework", "programme", "letter_of_intent"})


# Words a name keeps in lower case inside it: "Establishment of a Joint Commission MoU".
_SMALL_WORDS = frozenset("a an and the of for from in on to with between".split())


def _agreement_name(
    kind: str, subject: str, topics: frozenset[str], parties: tuple[str, ...], written: str = ""
) -> str:
    """ "India–Morocco Defence MoU", "Morocco–Spain Feminist Foreign Policy MoU"."""
    if topics and _only_topics(subject):
        label = " and ".join(topic.title() for topic in sorted(topics))
    else:
        label = " ".join(
            word if not word[1:].islower() or (at and word in _SMALL_WORDS) else word.capitalize()
            for at, word in enumerate(subject.split())
        )
    kind_label = agreements.KIND_LABELS.get(kind, "Agreement")
    if _is_acronym(written) and written.removesuffix("s").upper() != kind_label.upper():
        kind_label = written.removesuffix("s")  # "an expanded PTA" is no FTA by name; "MOU" reads "MoU"
    if kind in KINDS_NAMED_AS_WRITTEN and " " in written.strip():
        kind_label = " ".join(
            word.lower() if at and word.lower() in _SMALL_WORDS else word.capitalize()
            for at, word in enumerate(written.split())
        )
    party_words = {name_key(part) for party in parties for part in re.split(r"[–-]", party)}
    if label and {name_key(part) for part in re.split(r"[–-]", label.split()[0])} <= party_words:
        label = " ".join(label.split()[1:])  # "Action Plan for India–Japan Human Resource Exchange"
    if label.lower() in kind_label.lower():
        label = ""  # "Investment Treaty" says its subject
    words = ["–".join(parties), label, kind_label]
    return " ".join(word for word in words if word) or agreements.KIND_LABELS.get(kind, "Agreement")


def find_entities(
    text: str, vocabulary: Vocabulary, published_on: datetime.date | None = None, headline: str = ""
) -> Findings:
    """Everything the story is about, from its body text (its first READ_CHARS characters); agreements from its
    headline too.

    A headline is no place to read people from (its words are all capitalised), but it may be the only place
    that says what an agreement covers: "Cabinet approves MoU between India and Mauritius in the field of …".
    """
    if len(text) > READ_CHARS:
        text = text[: text.rfind(" ", 0, READ_CHARS) + 1 or READ_CHARS]
    tokens = Tokens(text)
    stream = WordStream(tokens.words)
    officials, _claimed, spans = find_officials(tokens, vocabulary, stream)
    officials = [_with_evidence(finding, text) for finding in officials]
    countries: list[str] = []
    country_evidence: dict[str, str] = {}
    for mention in find_country_mentions(text, skip_spans=spans, extra_names=vocabulary.country_aliases):
        if mention.code not in countries:
            countries.append(mention.code)
            country_evidence[mention.code] = _sentence(text, mention.start)
    for finding in officials:
        country = finding.official.country if finding.official else finding.country
        if country and country not in countries:
            countries.append(country)
            country_evidence[country] = finding.evidence
    reported = find_agreements(text, vocabulary, countries, published_on, stream, tokens)
    if headline and not _in_title_case(headline) and agreements.INSTRUMENT.search(headline):
        head_tokens = Tokens(headline)
        in_headline = find_agreements(
            headline, vocabulary, countries, published_on, WordStream(head_tokens.words), head_tokens
        )
        reported = _with_headline(reported, in_headline)
    return Findings(tuple(countries), tuple(officials), tuple(reported), country_evidence)


# Words a headline in title case still writes in lower case.
_TITLE_CASE_SMALL = frozenset("with from into over after amid than that this upon onto near".split())


def _in_title_case(headline: str) -> bool:
    """ "Japan and Philippines Nearing Defence Agreement": every word capitalised, so none is a name."""
    words = re.findall(r"[^\W\d_][\w'’-]{3,}", headline)
    return bool(words) and all(word[0].isupper() or word.lower() in _TITLE_CASE_SMALL for word in words)


def _with_headline(body: list[AgreementFinding], headline: list[AgreementFinding]) -> list[AgreementFinding]:
    """The body's agreements, and those its headline says more of: a headline repeats the story in short."""
    added = []
    for finding in headline:
        topics = topics_in(finding.subject or finding.name)
        same = [
            other
            for other in body
            if other.name == finding.name
            # A headline's "pact" or "deal" is any kind the story names: "sign fisheries pact" over an MoU.
            or (
                finding.kind in {other.kind, "agreement"}
                and (not topics or topics & topics_in(other.subject or other.name))
            )
        ]
        if finding.subject and same and all(not other.subject and other.agreement is None for other in same):
            body = [other for other in body if other not in same]  # the body's "an MoU between India and …"
        elif same:
            continue
        added.append(finding)
    return added + body


# How much of a story is read for its tags: some 15,000 words, many times the longest news story, and what keeps
# a file at the size limit (parsing.MAX_FILE_BYTES) read in a fraction of a second.
READ_CHARS = 100_000


# How sure each way of reading a person is: by their name or a recorded alias; by a close spelling or
# initials of a known person; by a bare surname; or a new person introduced with a title.
CONFIDENCE_BY_NAME = 1.0
CONFIDENCE_BY_SPELLING = 0.85
CONFIDENCE_BY_SURNAME = 0.8
CONFIDENCE_NEW_PERSON = 0.75


def _with_evidence(finding: OfficialFinding, text: str) -> OfficialFinding:
    """The finding with the sentence it was first written in, and how sure its reading is."""
    if finding.official is None:
        confidence = CONFIDENCE_NEW_PERSON
        spellings = [finding.name]
    elif finding.new_alias:
        confidence = CONFIDENCE_BY_SPELLING
        spellings = [finding.new_alias]
    else:
        spellings = [finding.official.name, *finding.official.aliases]
        confidence = CONFIDENCE_BY_NAME
    at = min((found for spelling in spellings if (found := text.find(spelling)) >= 0), default=-1)
    if at < 0 and finding.official is not None:
        confidence = min(confidence, CONFIDENCE_BY_SURNAME)  # read from its surname alone
        at = text.find(_surname_key(finding.name).title())
    return replace(finding, evidence=_sentence(text, at) if at >= 0 else "", confidence=confidence)


def _sentence(text: str, at: int) -> str:
    start, end = sentence_around(text, at)
    return " ".join(text[start:end].split())
