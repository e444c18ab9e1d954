"""The story's own date, chosen among the dates its text shows by how it shows them (pure Python).

A news file carries its date in many shapes: the importer's own ` date 2025-09-22` marker, a label ("Updated :
07:40 PM Mar 3, 2025 IST", "Published 12 May 2024", "Posted On: 02 JUN 2024"), a line of its own under the
headline or beside the byline ("March 3, 2025", "By Jane Doe | 4 Nov 2025"), or a dateline ("Hanoi, May 12")
whose year the text gives elsewhere. Each is a candidate with the strength of its evidence, and the strongest
wins; among equals, the first written. A date inside the story's sentences ("signed on June 2, 2021") is what
the story reports, not when it was written, so it is never a candidate.

python-dateutil reads the dates, with its own month and weekday names; the patterns here only find where a
date is written.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import get_month_names
from dateutil import parser as dateutil_parser


class Evidence(enum.IntEnum):
    """How a date is shown, weakest first."""

    DATELINE = 1  # "Hanoi, May 12": the year is inferred
    LINE = 2  # a date on a short line of its own in the story's head, or beside a byline
    UPDATED = 3  # "Updated: …", "Last modified …"
    PUBLISHED = 4  # "Published …", "Posted on: …", "First published …"
    MARKER = 5  # the importer's ` date YYYY-MM-DD`


@dataclass(frozen=True)
class Candidate:
    date: datetime.date
    evidence: Evidence
    written: str  # the words it was read from


_INFO = dateutil_parser.parserinfo()
# The month names of the desk's other languages, from the Unicode CLDR (Babel): "12 de maio de 2024",
# "7. Dezember 2026", "5 décembre 2025". Names in full, and short forms only with their full stop ("set."),
# since some are English words ("set", "out").
OTHER_LANGUAGES = ("pt", "es", "fr", "de", "id")


def _foreign_months() -> dict[str, int]:
    english = {name for names in _INFO.MONTHS for name in names}
    found: dict[str, int] = {}
    for language in OTHER_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                name = name.lower()
                if (width == "wide" or name.endswith(".")) and name.rstrip(".") not in english:
                    found.setdefault(name, number)
    return found


FOREIGN_MONTHS = _foreign_months()
_MONTH_NAMES = sorted({name for names in _INFO.MONTHS for name in names}, key=len, reverse=True)
_FOREIGN_MONTH = "|".join(re.escape(name) for name in sorted(FOREIGN_MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = sorted({name for names in _INFO.WEEKDAYS for name in names}, key=len, reverse=True)
MONTH = rf"(?:{'|'.join(_MONTH_NAMES)})\.?"
# The names written in full ("January", "Monday"), for the other modules' rules: one list, dateutil's.
MONTH_NAMES = tuple(max(names, key=len).capitalize() for names in _INFO.MONTHS)
WEEKDAY_NAMES = tuple(max(names, key=len).capitalize() for names in _INFO.WEEKDAYS)
_WEEKDAY = rf"(?:{'|'.join(_WEEKDAY_NAMES)})\.?,?"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
# "12 de maio de 2024", "7. Dezember 2026": day, month and year, read by read_date without dateutil.
_FOREIGN_DAY_MONTH_YEAR = (
    rf"(?P<day>\d{{1,2}})(?:º|\.)?\s+(?:de\s+)?(?P<month>{_FOREIGN_MONTH})\s+(?:de\s+)?(?P<year>{_YEAR})"
)
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?"
# A day, month and year in any of the orders the news writes them, or ISO; a time may stand before or after.
DATE = re.compile(
    rf"(?<![\w-])(?:{_WEEKDAY}\s+)?"
    rf"(?P<date>{DAY}\s+{MONTH},?\s+{_YEAR}|{MONTH}\s+{DAY},?\s+{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}([/.-])\d{{1,2}}\2{_YEAR}"
    rf"|{_FOREIGN_DAY_MONTH_YEAR})(?![\w-])",
    re.IGNORECASE,
)
# Labels that say what a date is. "Updated" is weaker than "published": the story was written before.
# In the desk's other languages too: "Atualizado em 13/05/2025", "Mis à jour le", "Aktualisiert am".
_PUBLISHED = re.compile(
    r"^\W*(?:first\s+)?(?:published|posted|released|issued|created|date(?:d)?|release date|publicad[oa]|publiée?"
    r"|veröffentlicht|diterbitkan|dipublikasikan)(?:\s+(?:on|em|el|le|am|pada))?\b",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"^\W*(?:last\s+)?(?:updated?|modified|edited|atualizad[oa]|actualizad[oa]|mis à jour|aktualisiert|diperbarui)"
    r"(?:\s+(?:on|em|el|le|am|pada))?\b",
    re.IGNORECASE,
)
# A line's parts: a label may stand after a byline ("Reuters | Manila | Updated: 04-07-2024 16:31 IST").
_PARTS = re.compile(r"\s*[|•·(\[]\s*")
# A clock time beside a date: a timestamp, wherever it stands ("| @site | Apr 05, 2025, at 03:36 pm").
CLOCK = re.compile(r"\b\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
# Time zones that write the month first: "07/10/2021 | 04:38am EDT" is 10 July.
_MONTH_FIRST_ZONES = re.compile(r"\b(?:E[DS]T|C[DS]T|M[DS]T|P[DS]T|AKST|HST)\b")
_NUMERIC = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
# Lines this long may still hold a label and its date in one of their parts.
LABELLED_LINE_MAX_CHARS = 400
# What may stand beside a date on a line of its own: a byline, a time, a reading time, separators.
_BESIDE_DATE = re.compile(
    rf"{_TIME}|\b\d+\s*min(?:ute)?s?\s+read\b|\bIST|GMT|UTC|[|•·/,:–—-]|\bBy\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}",
    re.IGNORECASE,
)
DATELINE_DATE = re.compile(
    rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH})", re.I
)
YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
# Longer than this, a line is prose or a list of links, not a date line.
DATE_LINE_MAX_CHARS = 120
# Words other than the date a line of its own may hold ("By Jane Doe | 4 min read").
DATE_LINE_MAX_WORDS = 6


_FOREIGN_DATE = re.compile(_FOREIGN_DAY_MONTH_YEAR, re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def read_date(written: str, *, month_first: bool = False) -> datetime.date | None:
    """The date dateutil reads in a span DATE found; None for an impossible one (30 February).

    Numbers alone are read day first ("13/05/2025", "04-07-2024"), as outside the United States.
    """
    numeric = _NUMERIC.fullmatch(written.strip()) is not None
    if foreign := _FOREIGN_DATE.fullmatch(written.strip()):
        try:
            return datetime.date(
                int(foreign["year"]), FOREIGN_MONTHS[foreign["month"].lower()], int(foreign["day"])
            )
        except ValueError:
            return None
    try:
        return dateutil_parser.parse(written, dayfirst=numeric and not month_first).date()
    except (ValueError, OverflowError):
        return None


def line_candidates(
    line: str, *, in_head: bool, site_clock: bool = False, stronger_than: int = 0
) -> list[Candidate]:
    """The dates a line shows as the story's own.

    Labelled ones anywhere; a bare one on a short line of its own in the story's head, or with its clock time
    anywhere; none from `site_clock`, a date and time at the top of a page that says when it was fetched. A
    date no stronger than `stronger_than`, the evidence of one already found, is not read: it could not win.
    """
    if len(line) > LABELLED_LINE_MAX_CHARS:
        return []
    month_first = bool(_MONTH_FIRST_ZONES.search(line))
    for part in _PARTS.split(line):
        evidence = (
            Evidence.PUBLISHED if _PUBLISHED.match(part) else Evidence.UPDATED if _UPDATED.match(part) else None
        )
        if evidence and len(part) <= DATE_LINE_MAX_CHARS and (match := DATE.search(part)):
            if evidence <= stronger_than:
                return []
            date = read_date(match["date"], month_first=month_first)
            return [Candidate(date, evidence, match.group().strip())] if date else []
    match = DATE.search(line)
    if match is None or len(line) > DATE_LINE_MAX_CHARS or not _stands_alone(line, match):
        return []
    timestamp = bool(CLOCK.search(line[match.end() :] + " " + line[: match.start()]))
    if site_clock and timestamp:
        return []
    if stronger_than >= Evidence.LINE or not (in_head or timestamp or _BRACKETED.fullmatch(line)):
        return []
    date = read_date(match["date"], month_first=month_first)
    return [Candidate(date, Evidence.LINE, match.group().strip())] if date else []


# A credit line in brackets: "[ABS News Service/01.11.2025]".
_BRACKETED = re.compile(r"\[[^\[\]]+\]|\([^()]+\)")


def _stands_alone(line: str, match: re.Match) -> bool:
    rest = _BESIDE_DATE.sub(" ", line[: match.start()] + " " + line[match.end() :])
    return len(rest.split()) <= DATE_LINE_MAX_WORDS and not rest.rstrip().endswith(".")


def dateline_candidate(written: str, text: str, today: datetime.date | None = None) -> Candidate | None:
    """A dateline's "May 12", in the latest year up to this one that the text names ("by 2030" is a plan)."""
    match = DATELINE_DATE.search(written)
    if match is None:
        return None
    if YEAR.search(written):
        date = read_date(written)
        return Candidate(date, Evidence.DATELINE, written) if date else None
    this_year = (today or datetime.date.today()).year
    years = sorted(year for year in {int(year) for year in YEAR.findall(text)} if year <= this_year)
    if not years:
        return None
    month, day = (match["month"], match["day"]) if match["month"] else (match["month2"], match["day2"])
    date = read_date(f"{month} {day} {years[-1]}")
    return Candidate(date, Evidence.DATELINE, written) if date else None


def choose(candidates: Sequence[Candidate]) -> Candidate | None:
    """The strongest candidate; the first written among equals."""
    best = None
    for candidate in candidates:
        if best is None or candidate.evidence > best.evidence:
            best = candidate
    return best
