"""Turn the bytes of a plain-text news file into article fields (pure Python, no database)."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from . import dates

MAX_FILE_BYTES = 2 * 1024 * 1024  # documented limit; bigger files are refused

HEADLINE_MAX_CHARS = 110  # a made-up headline is cut at a word boundary below this, then "…"
EXPLICIT_HEADLINE_MAX_CHARS = 200  # a longer first line is a paragraph, not a headline
EXPLICIT_HEADLINE_MAX_WORDS = 30

# Real text has next to no control characters; above this share the input is not prose.
MAX_CONTROL_CHAR_SHARE = 0.10

EMPTY_FILE = "file is empty"
NO_ARTICLE_TEXT = "no article text after removing site chrome"


class ParseError(ValueError):
    """Bad input; str(err) is a one-line human reason (no traceback needed)."""


@dataclass(frozen=True)
class ParsedArticle:
    """Fields found in one news file."""

    headline: str
    body: str
    dateline: str
    published_on: datetime.date | None
    source: str
    raw_text: str
    warnings: tuple[str, ...]
    content_key: str = ""  # content_key(raw_text), computed once while parsing
    headline_derived: bool = False  # no headline line: the headline is cut from the first sentence

    @property
    def written_headline(self) -> str:
        """The headline the file gives, or "" when it was cut from the body (which says it already)."""
        return "" if self.headline_derived else self.headline


# --- Agencies -------------------------------------------------------------------------
# Agency names as they should be stored; matching is case-insensitive, so "(REUTERS)"
# becomes "Reuters". Extend freely.
KNOWN_AGENCIES: tuple[str, ...] = (
    "ANI",
    "PTI",
    "IANS",
    "UNI",
    "Reuters",
    "AFP",
    "AP",
    "Associated Press",
    "Agence France-Presse",
    "Press Trust of India",
    "Asian News International",
    "Xinhua",
    "MAP",
    "Maghreb Arabe Presse",
    "Anadolu",
    "Anadolu Agency",
    "dpa",
    "EFE",
    "Bloomberg",
    "Kyodo",
    "Yonhap",
    "TASS",
    "WAM",
    "SPA",
    "APS",
)
_AGENCY_BY_KEY = {name.casefold(): name for name in KNOWN_AGENCIES}
# Short all-caps closing lines that are wire markers or times, never an agency.
_NOT_AGENCY_TOKENS = frozenset({"END", "ENDS", "MORE", "TBC", "AM", "PM", "IST", "GMT", "UTC", "EOM"})
# Credits that name no one in particular ("With inputs from agencies").
_GENERIC_SOURCES = frozenset({"agencies", "agency", "wires", "wire", "staff", "desk", "news desk"})
_UNKNOWN_AGENCY = re.compile(r"[A-Z]{2,6}")
# A closing line that is only an agency credit: "ANI", "(PTI)", "— Reuters", "-- AFP."
_CLOSING_AGENCY = re.compile(r"[(\[]?\s*(?:[-–—]{1,2}\s*)?(?P<name>[^\W\d_][\w&.\- ]{0,40}?)\s*[)\]]?\.?")


def _word_set(words: str) -> frozenset[str]:
    """Build a lookup set from whitespace-separated words (keeps long word lists readable)."""
    return frozenset(words.split())


def _agency_name(token: str) -> str:
    """Return the canonical agency for a credit token, or "" when it does not look like one."""
    token = " ".join(token.split()).strip(".")
    known = _AGENCY_BY_KEY.get(token.casefold())
    if known:
        return known
    if _UNKNOWN_AGENCY.fullmatch(token) and token not in _NOT_AGENCY_TOKENS:
        return token
    return ""


def _credited_source(text: str) -> str:
    """Clean a source named by site chrome ("Site icon 21stNews", "Based On ANI Report")."""
    text = " ".join(text.split()).strip(" .,:;()[]")
    if not text or text.casefold() in _GENERIC_SOURCES:
        return ""
    known = _AGENCY_BY_KEY.get(text.casefold())
    if known:
        return known
    # A real outlet name is short; a long capture means the pattern caught a sentence.
    if len(text) > 40 or len(text.split()) > 5:
        return ""
    return text


# --- Site chrome ------------------------------------------------------------------------
# Lines that are page furniture rather than article text. Each pattern must match a whole
# line (after whitespace is collapsed); a named group "source" credits the outlet/agency.
# Patterns are anchored and bounded so that an ordinary sentence is never taken for
# chrome. Add new ones here when an outlet brings new furniture.
_I = re.IGNORECASE
# Chrome whose words may stand anywhere in its line: such a pattern tries each position of a line, which on a
# long line of prose costs more than all the other patterns together. Each of its matches holds one of its
# _PHRASES (in any case), so a line without them is spared it (see _chrome_match).
_COPYRIGHT = re.compile(r"(?:©|copyright ©|\(c\) \d{4}).{0,150}|.{0,150}\ball rights reserved\.?", _I)
_SYNDICATED = re.compile(r"\(?[^()]{0,300}\bsyndicated (?:news )?feed\b[^()]{0,120}\)?\.?", _I)
_NOT_EDITED = re.compile(
    r"\(?[^()]{0,80}\b(?:this|the) (?:story|article|report) (?:has not been|was not|is not) edited\b"
    r"[^()]{0,250}\)?\.?",
    _I,
)
_PHRASES = {
    _COPYRIGHT: ("©", "(c) ", "all rights reserved"),
    _SYNDICATED: ("syndicated ",),
    _NOT_EDITED: (" edited",),
}
SITE_CHROME: tuple[re.Pattern[str], ...] = (
    re.compile(r"site icon\s+(?P<source>\S.{0,60})", _I),
    re.compile(r"exit mobile version", _I),
    # "Skip to content", and the skip links a scraper glued into one line: "Skip to navigationSkip to content…".
    re.compile(r"skip to (?:main )?content|skip to (?:main |the )?(?:navigation|content|footer|menu).{0,120}", _I),
    re.compile(r"(?:read|see) (?:also|more)(?:\s*[:|»>\-–—].*)?", _I),
    re.compile(r"also read(?:\s*[:|»>\-–—].*)?", _I),
    re.compile(
        r"share (?:this(?: article| story| post| page)?(?: @?[\w-]+(?:\.[\w-]+)+)?|on \w+(?: \w+)?)\s*:?", _I
    ),
    re.compile(r"follow us on\b.{0,100}|follow us\s*:?", _I),
    re.compile(r"(?:[\w-]+\s+)?sharing button", _I),  # "facebook-white sharing button"
    re.compile(r"advertisement(?:\s*[-–—:|]\s*.{0,50})?", _I),
    re.compile(r"(?:story|article) continues below(?: (?:this )?advertisement)?", _I),
    re.compile(r"subscribe\b.{0,120}", _I),
    re.compile(r"sign up (?:for|to) (?:our|the) .{0,60}newsletter.{0,60}", _I),
    re.compile(r"click here\b.{0,120}", _I),
    re.compile(r"tags?\s*:.{0,200}", _I),
    _COPYRIGHT,
    re.compile(r"(?:published|updated|last updated|posted)(?:\s*:| on| at)\s*.{0,30}\d.{0,30}", _I),
    re.compile(r"\(?\s*(?:photo|image|file photo|representative image)s?(?: credit)?\s*[:|].{0,100}", _I),
    # Wire credits: "(Reporting by Shivam Patel; Editing by Kim Coghill)".
    re.compile(r"\(\s*(?:additional )?(?:reporting|writing|editing|compiled) by [^()]{1,200}\)", _I),
    # Wire end markers.
    re.compile(r"(?:ends?|eom|#{3}|-+\s*30\s*-+)\.?", _I),
    # Syndication disclaimers: "(This story has not been edited by … staff and is
    # auto-generated from a syndicated feed.)" and its many rewordings.
    _SYNDICATED,
    _NOT_EDITED,
    # Agency credits: "Based On ANI Report", "With inputs from PTI", "Source: Reuters".
    # The credited name must be capitalised: "Based on these reports." is prose.
    re.compile(r"(?i:based on (?:an? )?)(?P<source>[A-Z0-9][\w&.\- ]{0,40}?)(?i: reports?)\.?"),
    re.compile(r"(?i:based on (?:an? )?reports? (?:by|from) )(?P<source>[A-Z0-9][\w&.\- ]{0,40}?)\.?"),
    re.compile(r"(?:\(\s*(?:with )?|with )inputs? from (?P<source>[^\s][^()]{0,60}?)\s*\)?\.?", _I),
    re.compile(r"source\s*:\s*(?P<source>[^\s].{0,40}?)\.?", _I),
    # Bylines: "By Staff Reporter", "By Jane Doe, Reuters". Case-sensitive and limited to
    # capitalised words so that "By Monday, the ministers had agreed." stays in the body.
    re.compile(
        r"(?:By|BY) (?!(?:[A-Z][a-z]+day|January|February|March|April|May|June|July|August|September"
        r"|October|November|December|Then|Now|Next|Contrast|Comparison|Law|Far)\b)"
        r"[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,4}(?: (?:and|&) [A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,4})?"
        r"(?:\s*[,|]\s*[A-Z][\w&.'’\-]*(?: [A-Z][\w&.'’\-]*){0,4})?"
    ),
)
# Chrome that scrapers glue onto the end of the last line without a line break. Each pattern ends at \Z and
# is searched for in the last line only.
TRAILING_CHROME: tuple[re.Pattern[str], ...] = (re.compile(r"\s*\bexit mobile version\s*\Z", _I),)


# Every chrome line fits this many characters; a longer line is a paragraph and skips the patterns.
CHROME_MAX_CHARS = 600


_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches wherever one of them does (their group names dropped)."""
    parts = []
    for pattern in patterns:
        flags = "i" if pattern.flags & re.IGNORECASE else ""
        parts.append(f"(?{flags}:{_GROUP_NAME.sub('(?:', pattern.pattern)})")
    return re.compile("|".join(parts))


# Most lines are prose. One call to the other patterns together (each begins with its own words, so fails
# at once) and a look for the phrases rule such a line out, where trying each pattern would cost a call each.
_OTHER_CHROME = _any_of(pattern for pattern in SITE_CHROME if pattern not in _PHRASES)
_ANYWHERE_PHRASES = tuple(phrase for phrases in _PHRASES.values() for phrase in phrases)


# A ticker: other stories' headlines in one line, "A | B | C", each several words long.
_TICKER_SEPARATOR = re.compile(r"\s+\|\s+")
TICKER_MIN_ITEMS = 3
TICKER_ITEM_MIN_WORDS = 5


def is_ticker(line: str) -> bool:
    items = _TICKER_SEPARATOR.split(line)
    long_items = sum(len(item.split()) >= TICKER_ITEM_MIN_WORDS for item in items)
    return len(items) >= TICKER_MIN_ITEMS and long_items >= TICKER_MIN_ITEMS - 1


def _chrome_match(line: str) -> re.Match[str] | None:
    """Return the chrome pattern match for a whole line, if any."""
    if len(line) > CHROME_MAX_CHARS:
        return None
    if not _OTHER_CHROME.fullmatch(line) and not may_contain(line, _ANYWHERE_PHRASES):
        return None
    for pattern in SITE_CHROME:
        match = pattern.fullmatch(line)
        if match:
            return match
    return None


# Letters that re.IGNORECASE takes for an "i" or an "s" but str.lower() does not turn into one; lower() turns
# every other letter that IGNORECASE takes for an ASCII letter into that letter, one character for one.
ODD_CASE_LETTERS = ("ı", "İ", "ſ")


def may_contain(text: str, phrases: Sequence[str]) -> bool:
    """Whether a case-insensitive pattern could find one of these phrases (in lower case) in the text."""
    if any(letter in text for letter in ODD_CASE_LETTERS):
        return True
    lowered = text.lower()
    return any(phrase in lowered for phrase in phrases)


# --- Reading and decoding -------------------------------------------------------------------
def _size_label(limit: int) -> str:
    """Describe a byte limit the way the documentation does ("2 MiB")."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def read_limited(stream: BinaryIO, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read at most limit+1 bytes from a binary stream; raise ParseError if it holds more."""
    chunks: list[bytes] = []
    remaining = limit + 1  # one byte past the limit is enough to know the file is too big
    while remaining > 0:
        chunk = stream.read(remaining)  # uploads may return short reads, so loop
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError("read_limited needs a binary stream")
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    refuse_oversized(len(data), limit)
    return data


def refuse_oversized(size: int, limit: int = MAX_FILE_BYTES) -> None:
    """The one rule for the size limit, wherever bytes come in (a file, stdin, the API)."""
    if size > limit:
        raise ParseError(f"file is larger than {_size_label(limit)}, the limit")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0/C1 control characters other than tab and the line breaks (U+0009-U+000D), which
# are normal in text.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    """Share of characters that are control characters other than tabs and line breaks."""
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


DETECT_BYTES = 256 * 1024


def _decode_windows_1252(data: bytes) -> str:
    """Decode non-UTF-8 bytes as Windows-1252, refusing bytes that are not text at all."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ParseError("file is not text (it has bytes that Windows-1252 cannot decode)") from error
    # cp1252 maps almost every byte, so a decode succeeding proves little; ask the
    # detector whether these bytes read as text in any encoding at all. It is asked about the first
    # DETECT_BYTES, cut after a line break (never inside a character), which costs a tenth of asking about 2 MiB.
    sample = data
    if len(data) > DETECT_BYTES:
        sample = data[: data.rfind(b"\n", 0, DETECT_BYTES) + 1 or DETECT_BYTES]
    if from_bytes(sample).best() is None:
        raise ParseError("file is not text (no text encoding fits it)")
    return text


def _decode_raw(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes without normalising: (text, encoding, warnings); refuse binary input."""
    if not data:
        raise ParseError(EMPTY_FILE)
    refuse_oversized(len(data))
    if data.startswith(_UTF16_BOMS):
        raise ParseError("file is UTF-16 text; save it as UTF-8 and try again")
    if b"\x00" in data:
        raise ParseError("file looks binary (it contains NUL bytes)")
    warnings: tuple[str, ...] = ()
    try:
        # utf-8-sig drops one leading BOM: it marks the encoding, it is not text.
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_windows_1252(data), "windows-1252"
        warnings = ("decoded as Windows-1252",)
    if _control_share(text) > MAX_CONTROL_CHAR_SHARE:
        raise ParseError("file is not text (it is mostly control characters)")
    return text, encoding, warnings


# --- Normalising ------------------------------------------------------------------------------
# Invisible characters that only get in the way: zero-width space, word joiner, BOM,
# Mongolian vowel separator and soft hyphen. ZWJ/ZWNJ (U+200D/U+200C) are kept on
# purpose: they change spelling in Indic scripts and build emoji sequences.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e\u00ad]")
# Line breaks other than "\n", once "\r\n" is one.
_LINE_BREAKS = re.compile("[\r\v\f\x85\u2028]")
# Python's \s covers NBSP, U+202F, U+2007, tabs and the other Unicode spaces; a plain space stays as it is.
_SPACES = re.compile(r"[^\S\n ]")
_BLANK_RUN = "\n\n\n"
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """Unify line breaks, spaces and invisible characters so equal stories compare equal.

    Every import runs this over every file, so a step is skipped where a cheap test shows it has nothing to do,
    and trailing spaces go line by line: a regular expression tried at each of a story's spaces costs more.
    """
    text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n")).replace("\u2029", "\n\n")
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL_CHARS.sub("", text)  # stray bytes from old tools; line breaks are done
    text = unicodedata.normalize("NFC", text)
    text = "\n".join([line.rstrip(" ") for line in text.split("\n")])
    if _BLANK_RUN in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.lstrip("\n").rstrip()


def content_key(text: str) -> str:
    """SHA-256 hex of the normalised text: same story, same key, whatever the line endings."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


# --- Date marker ------------------------------------------------------------------------------
# " date 2025-09-22 …" on the first line. Anything date-shaped is taken as the marker and
# checked separately, so that "2025-02-30" is reported instead of being left in the body.
_DATE_MARKER = re.compile(
    r"\s*date\s*[:=]?\s*(?P<value>\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})(?!\w)\s*(?P<rest>.*)", re.IGNORECASE
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})")


def _parse_marker_date(value: str) -> datetime.date | None:
    """Read YYYY-MM-DD (also with / or .); None when it is not a real date."""
    match = _ISO_DATE.fullmatch(value)
    if not match:
        return None
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


# --- Dateline ----------------------------------------------------------------------------------
# Month names and days as articles/ingest/dates.py reads them (python-dateutil's names).
_MONTH = dates.MONTH
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY = dates.DAY
_DATE = rf"(?:(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})(?:,?\s+\d{{4}})?|{_WEEKDAY})"
# Possessive: what may follow a word of the place ("[", ",", "(", ":", a dash, a space) is never a letter of it,
# and a word of two megabytes would otherwise be given back a letter at a time.
_PLACE = r"(?P<place>[^\W\d_][\w'’.\-]*+(?:\ [^\W\d_][\w'’.\-]*+){0,5})"
_COUNTRY = r"\s*\[[^\[\]]{1,40}\]"
_AGENCY = r"\s*\((?P<agency>[^()]{1,40})\)"
# ":" or a dash closing the dateline; an ASCII hyphen only counts with a space before it.
_DATELINE_END = r"\s*(?::|[–—]|(?<=\s)-{1,2})(?=\s|$)"
# "Rabat [Morocco], September 22 :", "New Delhi, Sep 24", "LONDON, Jan 5 (AFP) —"
_DATELINE_WITH_DATE = re.compile(
    rf"{_PLACE}(?:{_COUNTRY}\s*,?|\s*,)\s*(?P<date>{_DATE})(?!\w)(?:{_AGENCY})?(?:{_DATELINE_END})?\s*",
    re.IGNORECASE,
)
# "WASHINGTON (Reuters) -", "SAN FRANCISCO, Calif. (AP) —"
_REGION = r"\s*,\s*[^\W\d_][\w.]*+(?:\ [^\W\d_][\w.]*+)?"  # ", Calif." after a US city
_DATELINE_WITH_AGENCY = re.compile(
    rf"{_PLACE}(?:{_COUNTRY})?(?:{_REGION})?{_AGENCY}(?P<end>{_DATELINE_END})?\s*",
    re.IGNORECASE,
)
# "Marrakech – Foreign Minister …", "New Delhi: The …"
_DATELINE_WITH_DASH = re.compile(rf"{_PLACE}(?:{_COUNTRY})?(?P<end>{_DATELINE_END})\s*", re.IGNORECASE)
# Lower-case words allowed inside a place name ("Rio de Janeiro", "Port of Spain").
# "and" is left out on purpose: "India and Israel – …" is a sentence, not a place.
_PLACE_CONNECTORS = _word_set("de da do dos das del della di du des la le les el al es of upon sur am der")
# Capitalised words that start sentences or labels but never name a place, so that
# "Prime Minister Modi – …", "Note: …" or "On Monday, …" are not taken for datelines.
_NOT_PLACE_WORDS = _word_set(
    """
    minister ministers president secretary prime chief general governor king queen prince
    princess mr mrs ms dr sir prof officials spokesperson ambassador
    he she they we it i you this that these those there here his her their its our
    the a an on in at by for from after before during as with to into over under
    meanwhile however but also further moreover earlier later today yesterday tomorrow
    note update updated editor exclusive breaking analysis opinion watch video photo photos
    read live explainer interview comment editorial correction clarification disclaimer
    source sources headline summary highlights
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """
)


def _is_place(place: str) -> bool:
    """True when place is 1-4 capitalised words (lower-case connectors allowed inside)."""
    words = place.split(" ")
    if not words[0][:1].isupper() or not words[-1][:1].isupper():
        return False
    capitalised = 0
    for word in words:
        bare = re.sub(r"['’]s$", "", word).strip(".").casefold()
        if bare in _NOT_PLACE_WORDS:
            return False
        if word[:1].isupper():
            capitalised += 1
        elif bare not in _PLACE_CONNECTORS:
            return False
    return 1 <= capitalised <= 4


def _display_place(place: str) -> str:
    """Keep the place as written, except that ALL-CAPS wire style becomes title case."""
    # "WASHINGTON" -> "Washington", "RIO DE JANEIRO" -> "Rio de Janeiro"; mixed case such
    # as "New Delhi" or "McAllen" is the writer's spelling and is left untouched.
    if not place.isupper():
        return place
    words = []
    for word in place.split(" "):
        lowered = word.lower()
        words.append(lowered if lowered in _PLACE_CONNECTORS else word.title())
    return " ".join(words)


def _opens_aside(rest: str, dash: str) -> bool:
    """True when the dash after a name opens an aside closed in the same sentence ("Singh — who …")."""
    sentence = _first_sentence(rest)
    # An ASCII hyphen only works as a dash with spaces; unspaced it joins words ("US-hosted").
    return (f" {dash} " if dash.startswith("-") else dash) in sentence


@dataclass(frozen=True)
class _Dateline:
    place: str
    agency: str
    rest: str
    # A date or agency makes it certain; "Place: …" alone may also be a headline ("Rubio: …").
    certain: bool
    date: str = ""  # as written: "September 22", "May 12, 2025"


def _match_dateline(paragraph: str) -> _Dateline | None:
    """Find a dateline at the start of a paragraph; None for an ordinary first sentence."""
    match = _DATELINE_WITH_DATE.match(paragraph)
    if match and _is_place(match["place"]):
        agency = _agency_name(match["agency"]) if match["agency"] else ""
        rest = paragraph[match.end() :].strip()
        return _Dateline(_display_place(match["place"]), agency, rest, True, date=match["date"])

    match = _DATELINE_WITH_AGENCY.match(paragraph)
    if match and _is_place(match["place"]):
        agency = _agency_name(match["agency"])
        # "Tata Advanced Systems (TASL) said …" is a sentence: without a dash or colon after
        # the brackets only a known agency makes it a dateline.
        if match["end"] or agency in KNOWN_AGENCIES:
            return _Dateline(_display_place(match["place"]), agency, paragraph[match.end() :].strip(), True)

    match = _DATELINE_WITH_DASH.match(paragraph)
    if match and _is_place(match["place"]):
        rest = paragraph[match.end() :].strip()
        dash = match["end"].strip()
        if dash == ":" or not _opens_aside(rest, dash):
            return _Dateline(_display_place(match["place"]), "", rest, False)
    return None


# --- Sentences and headlines ------------------------------------------------------------------------
# Words that end with a period without ending the sentence ("Mr. Singh", "Sept. 22").
_ABBREVIATIONS = _word_set(
    """
    mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cmdr cdr adm brig sgt cpl pvt
    sen rep gov pres amb hon rev fr messrs
    inc ltd co corp bros dept govt assn intl no nos vol vols fig pp
    vs etc approx est al
    jan feb mar apr jun jul aug sep sept oct nov dec
    rs
    """
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
ABBREVIATION_REACH = 64


def _ends_with_abbreviation(text: str, end: int | None = None) -> bool:
    """True when the period at the end of text (or just before `end`) belongs to an abbreviation or initial.

    Only the last ABBREVIATION_REACH characters are read, so that asking at every period of a long text costs
    no more than reading it once; of a longer "word", only its end is read.
    """
    end = len(text) if end is None else end
    first = max(0, end - ABBREVIATION_REACH)
    word = text[text.rfind(" ", first, end) + 1 or first : end].lstrip("\"'“‘([")
    bare = word.rstrip(".")
    if not bare:
        return False
    if bare.casefold() in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "S.", "H.E.", "U.S." – splitting there is riskier
    # than keeping a long sentence, which the headline cut handles anyway.
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", bare)) and len(bare.replace(".", "")) <= 3


def _first_sentence(text: str) -> str:
    """The first sentence of text, ignoring periods of abbreviations, initials and acronyms."""
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _ends_with_abbreviation(text, match.start() + 1):
            continue
        return text[: match.end()]
    return text


_TRAILING_PUNCTUATION = " \t.,;:!?…-–—(['\"“‘"
# Small words that make a cut headline read as broken off mid-phrase ("… held talks in").
_DANGLING_WORDS = _word_set("a an and or of the to in on at for with by from as its their his her")


# Where a long sentence may be cut and still read as a clause: before a punctuation mark that ends a phrase, or
# before a word that opens a new phrase ("... held a bilateral meeting | in Rabat on ...").
_CLAUSE_BOUNDARY = re.compile(
    r"\s*[,;:–—(]\s*|\s+-\s+|\s+(?=(?:and|but|while|whereas|where|which|who|whom|after|before|as|amid|"
    r"following|during|with|without|to|in|on|at|for|from|over|under|since|until|because|when|by|of|"
    r"including|despite|through|into|against|between)\s)"
)
HEADLINE_MIN_WORDS = 4
HEADLINE_WINDOW = 2000


def _headline_from(body: str) -> str:
    """Make a headline from the first sentence of the body: whole, or cut where a clause ends.

    The cut is the last phrase boundary that leaves a headline of HEADLINE_MIN_WORDS words or more under
    HEADLINE_MAX_CHARS; only a sentence with no such boundary is cut at a word, with "…".
    """
    # The first sentence is looked for in the first HEADLINE_WINDOW characters; the headline is cut from its start
    # when it is longer, and only a window that is all punctuation past the cut tells less than the whole body.
    window = body[:HEADLINE_WINDOW]
    sentence = " ".join(_first_sentence(window).split()).rstrip(_TRAILING_PUNCTUATION)
    if len(sentence) <= HEADLINE_MAX_CHARS and window != body and _first_sentence(window) == window:
        sentence = " ".join(_first_sentence(body).split()).rstrip(_TRAILING_PUNCTUATION)
    if len(sentence) <= HEADLINE_MAX_CHARS:
        return sentence
    cuts = [
        match.start()
        for match in _CLAUSE_BOUNDARY.finditer(sentence, 0, HEADLINE_MAX_CHARS + 1)
        if match.start() <= HEADLINE_MAX_CHARS and len(sentence[: match.start()].split()) >= HEADLINE_MIN_WORDS
    ]
    if cuts:
        return sentence[: cuts[-1]].rstrip(_TRAILING_PUNCTUATION)
    words = sentence[: HEADLINE_MAX_CHARS + 1].split(" ")
    words.pop()  # the last piece is cut mid-word, or is the word that overflowed
    while len(words) > 1 and words[-1].casefold().strip(_TRAILING_PUNCTUATION) in _DANGLING_WORDS:
        words.pop()
    cut = " ".join(words).rstrip(_TRAILING_PUNCTUATION)
    return f"{cut}…"


def _looks_like_headline(lines: Sequence[str]) -> bool:
    """True for a first paragraph that is a stand-alone title rather than article prose."""
    if len(lines) != 1:
        return False
    line = lines[0]
    words = line.split()
    if not 2 <= len(words) <= EXPLICIT_HEADLINE_MAX_WORDS or len(line) > EXPLICIT_HEADLINE_MAX_CHARS:
        return False
    if line.rstrip("\"'”’)").endswith((".", ",", ";", ":", "…")):
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘"):
        return False
    # "NEW DELHI, Sep 24 (PTI)" or "WASHINGTON (Reuters) - Talks go on" opens the story.
    dateline = _match_dateline(line)
    return not (dateline and (dateline.certain or not dateline.rest))


def _same_text(first: str, second: str) -> bool:
    """Compare two lines ignoring case and spacing (a headline repeated in the body)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


# --- Parsing -------------------------------------------------------------------------------------------
# A line this long, or of this many words, is a paragraph of prose: the story's head (headline, byline, date
# lines, menus) ends there.
PROSE_MIN_CHARS = 200
PROSE_MIN_WORDS = 25
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


def _is_prose(line: str) -> bool:
    return len(line) >= PROSE_MIN_CHARS or line.count(" ") + 1 >= PROSE_MIN_WORDS


def _is_prose_line(line: str) -> bool:
    """_is_prose of the line with its spaces collapsed, splitting no more of it than that takes."""
    words = line.split(None, PROSE_MIN_WORDS)
    return len(words) >= PROSE_MIN_WORDS or _is_prose(" ".join(words))


# Navigation: "Home | World | Asia", "News › India › Diplomacy", each item a few words.
_MENU_SEPARATORS = re.compile(r"\s*(?:\||•|·|›|»|>|/|\\)\s*")
MENU_ITEM_MAX_WORDS = 3
# A line of one or two words above the headline is a menu item or a section label ("Menu", "World News").
HEAD_LABEL_MAX_WORDS = 2


def _is_menu(line: str) -> bool:
    items = [item for item in _MENU_SEPARATORS.split(line) if item]
    if len(items) >= 2 and all(len(item.split()) <= MENU_ITEM_MAX_WORDS for item in items):
        return True
    return len(line.split()) <= HEAD_LABEL_MAX_WORDS and not line.rstrip().endswith((".", ":", "–", "—"))


def _strip_head(lines: list[str]) -> list[str]:
    """Drop the menus and date lines above the story, and stand its headline on a paragraph of its own.

    The head is what comes before the first line of prose. A scraped page opens with its navigation ("Skip to
    content", "Menu", "Home | World | Asia"), then the headline, a byline and a date, often with no blank line
    between them; without this they would all run into the first paragraph.
    """
    head_end = next((n for n, line in enumerate(lines[:LINES_CHECKED]) if _is_prose_line(line)), None)
    if not head_end:
        return lines  # no head, or no prose to tell it by
    kept = []
    for line in lines[:head_end]:
        collapsed = " ".join(line.split())
        if collapsed and (_is_menu(collapsed) or _is_date_line(collapsed)):
            continue
        kept.append(line)
    first = next((n for n, line in enumerate(kept) if line.strip()), None)
    if first is not None and _looks_like_headline([" ".join(kept[first].split())]):
        if first + 1 < len(kept) and kept[first + 1].strip():
            kept.insert(first + 1, "")
        elif first + 1 == len(kept):
            kept.append("")  # the headline, then the first paragraph on the very next line
    elif len(kept) == head_end:
        return lines
    return kept + lines[head_end:]


SITE_NAME_WORDS = 2  # "Business Standard", over the site's clock; headlines are longer


def _is_date_line(line: str) -> bool:
    return may_hold_date(line) and bool(dates.line_candidates(line, in_head=True))


def may_hold_date(line: str) -> bool:
    """Whether a line may show a full date: every shape dates.DATE reads has a year of four digits."""
    return len(line) <= dates.DATE_LINE_MAX_CHARS and _YEAR_DIGITS.search(line) is not None


def _paragraphs(lines: Sequence[str]) -> list[list[str]]:
    """Group lines into paragraphs at blank lines; each line with its spaces collapsed."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        collapsed = " ".join(line.split())
        if collapsed:
            current.append(collapsed)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _take_closing_agency(paragraphs: list[list[str]]) -> str:
    """Remove a last line that only credits an agency ("ANI") and return that agency."""
    if not paragraphs:
        return ""
    last_line = paragraphs[-1][-1]
    match = _CLOSING_AGENCY.fullmatch(last_line)
    agency = _agency_name(match["name"]) if match else ""
    if agency:
        paragraphs[-1].pop()
        if not paragraphs[-1]:
            paragraphs.pop()
    return agency


# Lines past this many are body text, unread for chrome and dates: ten times the lines of the longest news
# story, and what keeps a file at the size limit of a million short lines read in a fraction of a second.
LINES_CHECKED = 10_000


def parse_text(text: str) -> ParsedArticle:
    """Parse already-decoded text into article fields; raise ParseError when there is none."""
    normalised = normalise(text)
    if not normalised.strip():
        raise ParseError(EMPTY_FILE)
    key = hashlib.sha256(normalised.encode("utf-8")).hexdigest()
    for pattern in TRAILING_CHROME:
        # Chrome that ends the text is short: look for it at the end of the last line first, and along the
        # whole line only when what was found might begin before the place looked from.
        line_start = normalised.rfind("\n") + 1
        first = max(line_start, len(normalised) - CHROME_MAX_CHARS)
        match = pattern.search(normalised, first)
        if match and match.start() == first != line_start:
            match = pattern.search(normalised, line_start)
        if match:
            normalised = normalised[: match.start()]
    warnings: list[str] = []

    # Site chrome goes first so that a marker or headline hidden behind it is still found.
    # Dates the text shows as its own are read here too, chrome included: "Updated: Mar 3, 2025" is chrome.
    lines: list[str] = []
    chrome_sources: list[str] = []
    candidates: list[dates.Candidate] = []
    in_head = True  # before the first paragraph of prose
    lines_seen, site_name, above_all = 0, False, True
    all_lines = normalised.split("\n")
    for line in all_lines[:LINES_CHECKED]:
        collapsed = " ".join(line.split())
        if in_head and _is_prose(collapsed):
            in_head = False
        if collapsed:
            lines_seen += 1
            above_all = lines_seen == 1 or (lines_seen == 2 and site_name)
            site_name = lines_seen == 1 and len(collapsed.split()) <= SITE_NAME_WORDS
        if collapsed and len(collapsed) <= dates.LABELLED_LINE_MAX_CHARS and _YEAR_DIGITS.search(collapsed):
            strongest = max((candidate.evidence for candidate in candidates), default=0)
            # A date and time above all but the site's name is its clock: the day the page was fetched.
            candidates += dates.line_candidates(
                collapsed, in_head=in_head, site_clock=above_all, stronger_than=strongest
            )
        match = _chrome_match(collapsed)
        if match is None and " | " in collapsed and is_ticker(collapsed):
            continue  # other stories' headlines: chrome, however long
        if match is None:
            lines.append(line)
        elif match.groupdict().get("source"):
            chrome_sources.append(_credited_source(match["source"]))

    lines += all_lines[LINES_CHECKED:]  # body text, unread for chrome and dates
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    marker = _DATE_MARKER.fullmatch(lines[first]) if first is not None else None
    if marker:
        marked = _parse_marker_date(marker["value"])
        if marked is None:
            warnings.append(f"ignored invalid date {marker['value']!r}")
        else:
            candidates.append(dates.Candidate(marked, dates.Evidence.MARKER, marker["value"]))
        # The dateline and first sentence may follow the marker, or a byline: "date 2025-12-05 By Jane Doe".
        lines[first] = "" if _chrome_match(" ".join(marker["rest"].split())) else marker["rest"]

    paragraphs = _paragraphs(_strip_head(lines))
    closing_agency = _take_closing_agency(paragraphs)

    headline = ""
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        headline = paragraphs.pop(0)[0]
        if paragraphs and _same_text(" ".join(paragraphs[0]), headline):
            paragraphs.pop(0)

    dateline_place, dateline_agency = "", ""
    if paragraphs:
        dateline = _match_dateline(" ".join(paragraphs[0]))
        if dateline:
            dateline_place, dateline_agency = dateline.place, dateline.agency
            # The weakest evidence: read only when nothing else shows the date.
            if dateline.date and not candidates and (found := dates.dateline_candidate(dateline.date, normalised)):
                candidates.append(found)
            if dateline.rest:
                paragraphs[0] = [dateline.rest]
            else:
                paragraphs.pop(0)  # the dateline stood on a line of its own

    body = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
    if not body:
        raise ParseError(NO_ARTICLE_TEXT)
    # An agency credit names who wrote the story, so it beats the name of the site that
    # republished it ("Site icon …").
    source = next((name for name in (dateline_agency, closing_agency, *chrome_sources) if name), "")
    chosen = dates.choose(candidates)
    published_on = chosen.date if chosen else None
    return ParsedArticle(
        headline=headline or _headline_from(body),
        body=body,
        dateline=dateline_place,
        published_on=published_on,
        source=source,
        raw_text=text,
        warnings=tuple(warnings),
        content_key=key,
        headline_derived=not headline,
    )


def parse_article(data: bytes) -> ParsedArticle:
    """Decode bytes and parse them; raise ParseError for empty, binary or oversized input."""
    text, _encoding, decode_warnings = _decode_raw(data)
    parsed = parse_text(text)
    return replace(parsed, warnings=decode_warnings + parsed.warnings)


def parse_file(path: str | Path) -> ParsedArticle:
    """Read and parse one file; one byte past the limit is all that is read of a larger one."""
    with Path(path).open("rb") as stream:
        return parse_article(read_limited(stream))


def parse_file_or_reason(path: str | Path) -> ParsedArticle | str:
    """parse_file, with a one-line reason in place of the article when the file is refused.

    Worker processes return this, so that a bad file travels back as a plain string.
    """
    try:
        return parse_file(path)
    except ParseError as error:
        return str(error)
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
