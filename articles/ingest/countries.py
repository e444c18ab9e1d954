"""ISO 3166 countries under newsroom names, and a finder for the countries a text is about."""

from __future__ import annotations

import gettext
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

import pycountry
from countryinfo import CountryInfo
from unidecode import unidecode

from articles.text import ascii_slug

from .dates import MONTH_NAMES, WEEKDAY_NAMES

# --------------------------------------------------------------------------------------
# Curated data: only what pycountry and countryinfo lack or get wrong for news text.
# --------------------------------------------------------------------------------------

# pycountry has no common_name for these and its name is inverted, bracketed or formal
# ("Congo, The Democratic Republic of the", "Russian Federation"): print what news prints.
_NAME_OVERRIDES: dict[str, str] = {
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
}

# All-caps and dotted short forms survive the code filter below only if listed here:
# other short codes ("MA", "IN", "IL", "MAR") are ordinary words in capitalised text.
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC",),
    "GB": ("UK", "U.K."),
    "US": ("US", "U.S.", "USA", "U.S.A."),
}

# Names news uses that neither library lists (countryinfo only has "Great Britain",
# "Republic of Macedonia", "DR Congo"...). The UK's constituent countries are listed so
# that "Northern Ireland" is not read as Ireland.
_EXTRA_VARIANTS: dict[str, tuple[str, ...]] = {
    "CD": ("Democratic Republic of Congo",),
    "CG": ("Republic of Congo",),
    "GB": ("Britain", "England", "Scotland", "Northern Ireland"),
    "KR": ("Korea",),  # unqualified "Korea" in news is South Korea
    "MK": ("Macedonia",),
    "US": ("America",),
    "VA": ("Vatican",),
}

# Adjectives news uses where countryinfo has a rarer form ("Tadzhik", "Kirghiz") or none.
_EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "AR": ("Argentine",),
    "AZ": ("Azeri",),
    "CV": ("Cape Verdean",),
    "EC": ("Ecuadorian",),
    "KG": ("Kyrgyz",),
    "KM": ("Comorian",),
    "KR": ("Korean",),
    "KZ": ("Kazakh",),
    "MV": ("Maldivian",),
    "SA": ("Saudi",),
    "SI": ("Slovenian",),
    "SR": ("Surinamese",),
    "TJ": ("Tajik",),
    "UZ": ("Uzbek",),
}

# countryinfo spellings that are English words or common surnames ("Tom Holland").
_DROPPED_NAMES = frozenset({"Holland", "Island", "Mann", "Prathet"})

# countryinfo demonyms that name a region or an island group rather than one country.
_DROPPED_DEMONYMS = frozenset({"Central African", "Channel Islander"})

# Phrases that contain a country name or demonym but are not about that country. They are
# matched like names, so the longest match swallows "Indian Ocean" before "Indian" is seen.
_NOT_COUNTRIES: tuple[str, ...] = (
    # seas and regions named after a country
    "Indian Ocean",
    "South China Sea",
    "East China Sea",
    "Sea of Japan",
    "Irish Sea",
    "Gulf of Mexico",
    "Gulf of America",
    "Gulf of Guinea",
    "Jordan River",
    "New Guinea",
    "Latin America",
    "Latin American",
    "North America",
    "North American",
    "Central America",
    "Central American",
    "South America",
    "South American",
    # places elsewhere named after a country
    "New Mexico",
    "New Jersey",
    "Jersey City",
    "New England",
    "New South Wales",
    "British Columbia",
    # peoples and institutions whose name uses a demonym
    "American Indian",
    "Native American",
    "West Indian",
    "Indian Premier League",
    "American Express",
)

# Country names that are also given names: followed directly by a capitalised word they
# name a person ("Israel Katz", "Chad Smith", "Jordan Peterson", "India Arie").
_GIVEN_NAMES = frozenset({"Chad", "Georgia", "India", "Israel", "Jordan", "Kenya"})

_CALENDAR_WORDS = frozenset(WEEKDAY_NAMES + MONTH_NAMES)

# Capitalised words that follow a country name in institutions and datelines, so they do
# not turn "Israel Defense Forces" or "visited Israel Monday" into a person.
_COUNTRY_FOLLOWERS = _CALENDAR_WORDS | frozenset(
    {
        *("Air", "Airlines", "Airways", "Army", "Cup", "Defence", "Defense", "Embassy"),
        *("Forces", "Government", "Ministry", "National", "Navy", "Police", "Prize"),
        "Railways",
    }
)

# Capitalised sentence openers that are not places: "However, Georgia" is the country.
_NOT_PLACES = _CALENDAR_WORDS | frozenset(
    {
        *("Also", "Besides", "Earlier", "Finally", "However", "Indeed", "Instead"),
        *("Later", "Likewise", "Meanwhile", "Moreover", "Nevertheless", "Now"),
        *("Separately", "Similarly", "Still", "Then", "Thus", "Today", "Yesterday"),
    }
)

# Country names that are also US states, with the country's code.
_US_STATE_NAMES: dict[str, str] = {"Georgia": "GE"}

# --------------------------------------------------------------------------------------
# Country list
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryName:
    """One ISO 3166 country with the names that identify it in English news text."""

    code: str
    name: str
    slug: str
    variants: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class CountryMention:
    """One place in a text where a country is named."""

    code: str
    start: int
    end: int
    text: str


_CODE_LIKE = re.compile(r"[A-Z]{2,4}")


def _is_latin(value: str) -> bool:
    """Return True if every letter is Latin script (English news spells names so)."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in value)


def _clean_name(value: str) -> str | None:
    """Return a library spelling usable in running text, or None to drop it."""
    value = value.strip()
    for article in ("The ", "the "):
        if value.startswith(article):
            # "The Gambia" is written "the Gambia": match the name after the article.
            value = value[len(article) :]
    if (
        not value
        or not value[0].isupper()  # native-language forms such as "weSwatini"
        or _CODE_LIKE.fullmatch(value)
        or ", " in value  # inverted index forms: "Korea, Republic of"
        or "(" in value
        or value in _DROPPED_NAMES
        or not _is_latin(value)
    ):
        return None
    return value


def _unique(values: Iterable[str], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """Return values without duplicates or excluded items, first occurrence kept."""
    seen = set(exclude)
    result = []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return tuple(result)


@cache
def _countryinfo_by_code() -> dict[str, list[dict[str, Any]]]:
    """Return countryinfo records grouped by ISO alpha-2 (a few codes have two records)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in CountryInfo.all().values():
        code = (record.get("ISO") or {}).get("alpha2")
        if code:
            grouped.setdefault(code, []).append(record)
    return grouped


@cache
def _home_places() -> dict[str, frozenset[str]]:
    """Return the capital and province names of each country that is also a US state."""
    records = _countryinfo_by_code()
    places: dict[str, frozenset[str]] = {}
    for code in _US_STATE_NAMES.values():
        names: set[str] = set()
        for record in records.get(code, []):
            # Province names come transliterated ("K'ut'aisi"); news drops the apostrophes.
            for raw in [record.get("capital") or "", *record.get("provinces", [])]:
                names.update(re.findall(r"[A-Z][a-z]+", raw.replace("'", "")))
        places[code] = frozenset(names)
    return places


def _demonym_plural(demonym: str) -> str | None:
    """Return the plural of a demonym noun ("Indians"), or None if it has none ("Swiss")."""
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")):
        return None
    return demonym + "s"


@cache
def all_countries() -> tuple[CountryName, ...]:
    """Return every ISO 3166 country, ordered by slug."""
    records = _countryinfo_by_code()
    drafts: list[tuple[str, str, list[str], list[str], int]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        name = _NAME_OVERRIDES.get(code) or getattr(country, "common_name", None) or country.name
        infos = records.get(code, [])
        library_names = [
            country.name,
            getattr(country, "official_name", None) or "",
            *(info.get("name") or "" for info in infos),
            *(alt for info in infos for alt in info.get("altSpellings") or []),
        ]
        variants = [
            *_SHORT_FORMS.get(code, ()),
            *_EXTRA_VARIANTS.get(code, ()),
            *(cleaned for raw in library_names if (cleaned := _clean_name(raw))),
        ]
        demonyms = [
            *_EXTRA_DEMONYMS.get(code, ()),
            *(part.strip() for info in infos for part in (info.get("demonym") or "").split(",")),
        ]
        population = max((info.get("population") or 0 for info in infos), default=0)
        drafts.append((code, name, variants, demonyms, population))

    # A form shared by several entries ("Indian": India and the British Indian Ocean
    # Territory; "Dominican": the Dominican Republic and Dominica; "Congolese": both
    # Congos; "French": France and its territories) belongs to the most populous one.
    owner: dict[str, tuple[int, str]] = {}
    for code, _name, variants, demonyms, population in drafts:
        for form in (*variants, *demonyms):
            best = owner.get(form)
            if best is None or (-population, code) < best:
                owner[form] = (-population, code)
    owned = {form: code for form, (_, code) in owner.items()}

    countries = []
    for code, name, variants, demonyms, _population in drafts:
        clean_demonyms = _unique(
            (d for d in demonyms if d and d not in _DROPPED_DEMONYMS and owned.get(d) == code),
            exclude={name},
        )
        clean_variants = _unique(
            (v for v in variants if owned.get(v) == code),
            exclude={name, *clean_demonyms},
        )
        # The apostrophe separates words: "Côte d'Ivoire" -> "cote-d-ivoire".
        slug = ascii_slug(name.replace("'", " "))
        countries.append(CountryName(code, name, slug, clean_variants, clean_demonyms))
    return tuple(sorted(countries, key=lambda c: c.slug))


@cache
def _countries_by_code() -> dict[str, CountryName]:
    """Return all countries keyed by ISO alpha-2 code."""
    return {country.code: country for country in all_countries()}


def country_by_code(code: str) -> CountryName:
    """Return the country with this ISO alpha-2 code; raise KeyError if there is none."""
    try:
        return _countries_by_code()[code.strip().upper()]
    except KeyError:
        raise KeyError(f"no ISO 3166 country with code {code!r}") from None


# --------------------------------------------------------------------------------------
# Finder
# --------------------------------------------------------------------------------------

# Length-preserving fold so that offsets in the folded text are offsets in the original:
# curly apostrophes, dashes and odd spaces become their plain forms.
_FOLD_PAIRS: tuple[tuple[str, str], ...] = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2012", "-"),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u00a0", " "),
    ("\u2009", " "),
    ("\u202f", " "),
    ("\t", " "),
)


def _fold(text: str) -> str:
    """Apply _FOLD_PAIRS (chained str.replace is several times faster than translate)."""
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


_KEY = re.compile(r".\w*", re.DOTALL)
_NEXT_CAPITALISED = re.compile(r" ([^\W\d_][\w'-]*)")
_LINE_WORD = re.compile(r"[^\W\d_][\w'-]*")
# Words a Title Case headline leaves in lower case.
_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "of", "on", "or"}
    | {"the", "to", "vs", "with"}
)
_PLACE_BEFORE = re.compile(r"((?:[A-Z][\w.'-]*[ ])*[A-Z][\w.'-]*), $")
_US_AFTER = re.compile(r",? \(?(?:U\.S\.A?\.?|USA?)(?![\w-])")
_STATE_OF_BEFORE = re.compile(r"\b[Ss]tate of $")


def _first_word(value: str, pos: int = 0) -> str:
    """Return the lookup key of a name: its first character and the word chars after it."""
    match = _KEY.match(value, pos)
    return match.group() if match else ""


@dataclass(frozen=True)
class _Matcher:
    """Names grouped by first word, longest first, and a regex for where names start."""

    codes: dict[str, str | None]
    by_first_word: dict[str, tuple[tuple[str, str | None], ...]]
    starts: re.Pattern[str]

    def match_at(self, folded: str, pos: int, key: str | None = None) -> tuple[int, str | None] | None:
        """Return (end, code) of the longest name at pos (code None: not a country)."""
        if key is None:
            key = _first_word(folded, pos)
        for form, code in self.by_first_word.get(key, ()):
            if folded.startswith(form, pos):
                end = pos + len(form)
                # Word-bounded at the end; "$" keeps "US$5" a currency, not the US.
                if end == len(folded) or not (folded[end].isalnum() or folded[end] in "_$"):
                    return end, code
        return None


def _forms(value: str) -> set[str]:
    """Return the spellings of a name to look for: as given, folded and ASCII-folded."""
    folded = _fold(value)
    return {folded, unidecode(folded)}


@cache
def _base_names() -> dict[str, str | None]:
    """Return every form to look for mapped to its country code (None: not a country)."""
    names: dict[str, str | None] = {}
    for country in all_countries():
        plurals = (_demonym_plural(d) for d in country.demonyms)
        for value in (country.name, *country.variants, *country.demonyms, *plurals):
            if value:
                for form in _forms(value):
                    names.setdefault(form, country.code)
    # Stories in another language should at least get their countries: pycountry ships each name translated.
    for code, translated in _translated_names():
        # A name in another script is looked for as written: its ASCII spelling ("mSr") is no word of any text.
        for form in _forms(translated) if _is_latin(translated) else {_fold(translated)}:
            names.setdefault(form, code)
    for phrase in _NOT_COUNTRIES:
        for form in _forms(phrase):
            names[form] = None
    return names


# The languages of the desk's sources besides English, and the translated names that are also given names in
# English news ("Maurice", "Mauricio", "Maurizio" for Mauritius).
# Hindi, Arabic and Russian too, whose scripts put spaces between words; a name inflected or written without
# spaces (Tamil "இந்தியாவும்", Chinese) is not read.
TRANSLATED_LANGUAGES = ("de", "fr", "es", "pt", "it", "id", "nl", "hi", "ar", "ru")
_TRANSLATED_EXCLUDED = frozenset({"MU"})
TRANSLATED_MIN_CHARS = 5


def _is_latin(name: str) -> bool:
    return unicodedata.name(name[:1], "").startswith("LATIN")


def _translated_names() -> list[tuple[str, str]]:
    """(code, name) for each country's name and common name in TRANSLATED_LANGUAGES, inverted forms left out."""
    found = []
    for language in TRANSLATED_LANGUAGES:
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for country in pycountry.countries:
            if country.alpha_2 in _TRANSLATED_EXCLUDED:
                continue
            for english in {country.name, getattr(country, "common_name", country.name)}:
                translated = catalog.gettext(english)
                # Short names are often words too ("Peru" is English already); "Perú" or "Irã" is none.
                short = len(translated) < TRANSLATED_MIN_CHARS and translated.isascii()
                if translated != english and "," not in translated and not short:
                    found.append((country.alpha_2, translated))
    return found


def _build_matcher(names: Mapping[str, str | None]) -> _Matcher:
    """Index names by first word, longest first, and compile the start-of-name regex."""
    grouped: dict[str, list[tuple[str, str | None]]] = {}
    for form, code in names.items():
        grouped.setdefault(_first_word(form), []).append((form, code))
    by_first_word = {
        key: tuple(sorted(entries, key=lambda entry: (-len(entry[0]), entry[0])))
        for key, entries in grouped.items()
    }
    first_chars = "".join(sorted({form[0] for form in names}))
    # A possible name starts after a non-word character with one of the first letters;
    # the match is its first word, the lookup key (or just the letter, for "U.S."). The letter comes
    # first and the look back after it, which lets the regex engine skip from one such letter to the next.
    starts = re.compile(rf"[{re.escape(first_chars)}](?<!\w.)\w*")
    return _Matcher(dict(names), by_first_word, starts)


@lru_cache(maxsize=32)
def _matcher(extra: tuple[tuple[str, str], ...] = ()) -> _Matcher:
    """Return the cached matcher for the base names plus the editors' extra aliases."""
    names = dict(_base_names())
    for alias, code in extra:
        for form in _forms(alias.strip()):
            if form:
                names[form] = code.strip().upper()
    return _build_matcher(names)


def _in_title_case_line(folded: str, pos: int) -> bool:
    """Return True if pos is in a short headline-style line where every word is capped."""
    line_start = folded.rfind("\n", 0, pos) + 1
    line_end = folded.find("\n", pos)
    if line_end == -1:
        line_end = len(folded)
    if line_end - line_start > 300:
        return False
    words = [word for word in _LINE_WORD.findall(folded, line_start, line_end) if word.lower() not in _MINOR_WORDS]
    return len(words) >= 3 and all(word[0].isupper() for word in words)


def _is_given_name(folded: str, start: int, end: int, matcher: _Matcher) -> bool:
    """Return True if a country name that is also a given name starts a person's name."""
    if folded[start:end] not in _GIVEN_NAMES:
        return False
    if start and folded[start - 1] in "-–—/":
        return False  # "India-Israel Bilateral Investment Treaty": one of a pair of countries
    following = _NEXT_CAPITALISED.match(folded, end)
    if following is None or not following.group(1)[0].isupper():
        return False
    if following.group(1) in _COUNTRY_FOLLOWERS:
        return False
    if matcher.match_at(folded, following.start(1)) is not None:
        return False  # "Jordan Israel" or a listed phrase: not a surname
    # In a Title Case headline every word is capitalised, so capitals prove nothing.
    return not _in_title_case_line(folded, start)


def _is_us_state(folded: str, start: int, end: int, matcher: _Matcher) -> bool:
    """Return True if a country name that is also a US state names the state here."""
    code = _US_STATE_NAMES.get(folded[start:end])
    if code is None:
        return False
    before = folded[max(0, start - 80) : start]
    if _STATE_OF_BEFORE.search(before) or _US_AFTER.match(folded, end):
        return True
    place = _PLACE_BEFORE.search(before)
    if place is None:
        return False
    # "<Place>, Georgia" is the state unless the place is a country ("Armenia, Georgia")
    # or in Georgia itself ("Tbilisi, Georgia"), or just a capitalised sentence opener.
    words = place.group(1).split(" ")
    if words[-1] in _NOT_PLACES or words[-1] in _home_places()[code]:
        return False
    return not any(matcher.codes.get(" ".join(words[i:])) for i in range(len(words)))


def _overlaps(spans: list[tuple[int, int]], reach: list[int], start: int, end: int) -> bool:
    """Return True if [start, end) overlaps one of the sorted, non-empty spans; reach[i] is the furthest end
    of spans[: i + 1]."""
    i = bisect_left(spans, (end,))
    # Only spans starting before `end` can overlap, and one does when the furthest of their ends is past start.
    return i > 0 and reach[i - 1] > start


def find_country_mentions(
    text: str,
    *,
    skip_spans: Iterable[tuple[int, int]] = (),
    extra_names: dict[str, str] | None = None,
) -> list[CountryMention]:
    """Return every country mention in text, in order, outside the skip spans."""
    matcher = _matcher(tuple(sorted((extra_names or {}).items())))
    folded = _fold(text)
    spans = sorted((s, e) for s, e in skip_spans if e > s)
    reach = list(accumulate((e for _s, e in spans), max))
    mentions: list[CountryMention] = []
    states_named: set[str] = set()
    claimed_until = 0
    for candidate in matcher.starts.finditer(folded):
        start = candidate.start()
        key = candidate.group()
        if start < claimed_until or key not in matcher.by_first_word:
            continue
        hit = matcher.match_at(folded, start, key)
        if hit is None:
            continue
        end, code = hit
        claimed_until = end
        if _is_us_state(folded, start, end, matcher):
            states_named.add(folded[start:end])
            continue
        if code is None or _overlaps(spans, reach, start, end) or _is_given_name(folded, start, end, matcher):
            continue
        mentions.append(CountryMention(code, start, end, text[start:end]))
    # One sense per story: once "Atlanta, Georgia" shows the state is meant, "Georgia's economy" is the state too.
    return [m for m in mentions if folded[m.start : m.end] not in states_named]
