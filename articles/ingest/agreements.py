"""Find the agreements a story reports: each instrument, what happened to it, and the sentence that says so.

Plain functions over plain text. A sentence reports an agreement when it names an instrument (MoU, treaty,
protocol, FTA, currency swap…) and either a verb says what happened to it (signed, ratified, came into force,
talks on it resumed…) or the instrument has a name of its own ("the Reciprocal Access Agreement"). What it
covers comes from the words around the kind ("an MoU on feminist foreign policy", "a defence cooperation
agreement"); a list ("six MoUs in the fields of health, agriculture and education") is one agreement for each
field. A bare "the agreement" with no subject and no name refers to one already read, and adds nothing.
"""

from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass

from .dates import MONTH_NAMES, WEEKDAY_NAMES

# Instruments, as written, and their kind; the longer forms first. Data: extend it when a new kind turns up.
# Acronyms are matched as written (case-sensitive): "BIT" is an instrument, "bit" a word.
INSTRUMENTS: tuple[tuple[str, str], ...] = (
    (r"memorand(?:um|a) of understanding", "mou"),
    (r"memorand(?:um|a) of cooperation", "moc"),
    (r"(?:letters?|declarations?) of intent", "letter_of_intent"),
    (r"(?:comprehensive )?economic (?:cooperation and )?partnership agreements?", "cepa"),
    (r"comprehensive economic cooperation agreements?", "cepa"),
    (r"free[- ]trade (?:agreements?|pacts?|deals?)", "fta"),
    (r"(?:bilateral )?investment (?:protection |promotion and protection )?(?:treat(?:y|ies)|agreements?)", "bit"),
    (r"inter-?governmental agreements?", "iga"),
    (r"(?:bilateral |local )?currency swap(?: (?:agreements?|arrangements?|lines?|deals?))?", "currency_swap"),
    (
        r"(?:purchase|supply|procurement|sales?) (?:contracts?|agreements?|deals?)"
        r"|deals? to (?:buy|purchase|procure|acquire|supply)"
        r"|contracts? (?:to|for) (?:buy|purchase|procure|acquire|supply|build|deliver)",
        "contract",
    ),
    (r"(?:co-?operation |security |defen[cs]e )?arrangements?", "arrangement"),
    (
        r"(?:(?:joint|security|defen[cs]e|strategic) )?framework agreements?"
        r"|(?:joint|security|defen[cs]e|strategic) framework",
        "framework",
    ),
    (r"(?:joint )?action plans?", "action_plan"),
    (r"(?:co-?operation|work) programmes?", "programme"),
    (r"terms of reference", "terms_of_reference"),
    # A named initiative launched between two countries ("the India–Japan AI Initiative"), not one that names
    # something else ("the Future Investment Initiative Summit").
    (r"(?-i:Initiatives?(?!\s+[A-Z]))", "initiative"),
    (r"road ?maps?", "roadmap"),
    (r"treat(?:y|ies)", "treaty"),
    (r"protocols?", "protocol"),
    (
        # "Joint Statement" in capitals is a document the story reports; "said in a joint statement" quotes one.
        r"joint (?:declarations?|visions?(?: statements?)?)|(?-i:Joint (?:Leaders[’']? )?Statements?)"
        r"|declarations?|vision statements?",
        "declaration",
    ),
    (r"agreements?|pacts?|accords?", "agreement"),
)
ACRONYMS: tuple[tuple[str, str], ...] = (
    (r"MoUs?|MOUs?", "mou"),
    (r"MoCs?|MOCs?", "moc"),
    (r"LoIs?|LOIs?", "letter_of_intent"),
    (r"CEPA|CECA|EPA", "cepa"),
    (r"FTAs?|PTAs?", "fta"),
    (r"BITs?|BIPPAs?", "bit"),
    (r"IGAs?", "iga"),
    (r"ToRs?|TORs?", "terms_of_reference"),
)
KIND_LABELS = {
    "mou": "MoU",
    "moc": "MoC",
    "letter_of_intent": "Letter of Intent",
    "cepa": "CEPA",
    "fta": "FTA",
    "bit": "Investment Treaty",
    "iga": "Inter-Governmental Agreement",
    "currency_swap": "Currency Swap",
    "contract": "Contract",
    "arrangement": "Arrangement",
    "framework": "Framework Agreement",
    "action_plan": "Action Plan",
    "programme": "Programme",
    "terms_of_reference": "Terms of Reference",
    "initiative": "Initiative",
    "roadmap": "Roadmap",
    "treaty": "Treaty",
    "protocol": "Protocol",
    "declaration": "Declaration",
    "agreement": "Agreement",
}
# Words one of which every instrument's wording holds: in lower case, and the acronyms as written. The reader
# only searches the sentences around them (entities._instrument_sentences); a test holds the two ways equal.
ANCHORS = (
    "memorand", "intent", "agreement", "pact", "deal", "treat", "swap", "contract", "arrangement", "plan",
    "road", "protocol", "declaration", "accord", "framework", "joint vision", "vision statement", "programme",
    "terms of reference",
)  # fmt: skip
ACRONYM_ANCHORS = (
    "MoU", "MOU", "MoC", "MOC", "LoI", "LOI", "EPA", "CECA", "FTA", "PTA", "BIT", "BIPPA", "IGA",
    "Joint Statement", "Joint Leaders", "ToR", "TOR", "Initiative",
)  # fmt: skip
INSTRUMENT = re.compile(
    r"\b(?:"
    + "|".join(f"(?i:{pattern})" for pattern, _kind in INSTRUMENTS)
    + "|"
    + "|".join(pattern for pattern, _kind in ACRONYMS)
    + r")\b"
)
_KIND_OF = [(re.compile(f"(?i:{p})"), kind) for p, kind in INSTRUMENTS] + [
    (re.compile(p), kind) for p, kind in ACRONYMS
]


class Status:
    """What a sentence says happened to an agreement: the kinds of event of an agreement's life."""

    SIGNED = "signed"
    RATIFIED = "ratified"
    IN_FORCE = "in_force"
    EXTENDED = "extended"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    NEGOTIATING = "negotiating"
    ANNOUNCED = "announced"
    REFERRED = "referred"  # named, with nothing said to happen to it


# Verbs that say what happened, by status, the strongest first: "talks resumed on the pact they signed" is
# a signing only if nothing else is said. Each is matched at a word start, anywhere in the sentence.
STATUS_VERBS: tuple[tuple[str, str], ...] = (
    (
        Status.IN_FORCE,
        r"(?:came|come|comes|coming|entered|enter|enters|entering|went|go|goes) into (?:force|effect)"
        r"|took effect|takes effect|in force\b|became effective|operationali[sz]ed|effective from",
    ),
    (Status.RATIFIED, r"ratif(?:y|ied|ies|ying|ication)"),
    (Status.TERMINATED, r"terminat(?:e|ed|es|ing|ion)|scrap(?:ped|s)?|withdr[ae]w from|revok(?:e|ed)|annull?ed"),
    (Status.SUSPENDED, r"suspend(?:ed|s|ing)?|suspension"),
    (Status.EXTENDED, r"extend(?:ed|s|ing)?|renew(?:ed|s|ing|al)?"),
    (
        Status.SIGNED,
        r"sign(?:ed|s|ing)?|ink(?:ed|s|ing)?|conclud(?:e|ed|es|ing)|exchang(?:ed|e) (?:of )?|initial(?:l)?ed"
        r"|entered into|newly[- ]reached|reached (?:an? |the )?(?:\w+ )?(?:agreement|deal|accord|pact)"
        r"|(?:was|were|been) agreed upon|adopt(?:ed|s)?",
    ),
    (
        Status.NEGOTIATING,
        r"negotiat\w*|talks (?:on|over|about|for)|talk(?:s|ed)? about|resum(?:e|ed|es|ing)|finali[sz](?:e|ing)"
        r"|nearing"
        r"|(?:will|would|to|plan to|expected to|set to|hope to|aim to) sign|discuss(?:ed|es|ing)?|propos(?:ed|al)",
    ),
    (
        Status.ANNOUNCED,
        r"announc(?:e|ed|es|ing)|agreed to (?:conclude|sign|work|launch)|approv(?:e|ed|es|al)"
        r"|launch(?:ed|es|ing)?",
    ),
)
_STATUS_PATTERNS = [(status, re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)) for status, verbs in STATUS_VERBS]
_ANY_STATUS = re.compile(r"\b(?:" + "|".join(verbs for _status, verbs in STATUS_VERBS) + r")\b", re.IGNORECASE)
# Future or hoped-for signings are talks, not signings.
_NOT_YET = re.compile(
    r"\b(?:will|would|could|may|might|shall|to be|plans? to|expected to|set to|hopes? to|aims? to|is to|are to"
    r"|yet to|likely to|ready to|sought to|seek(?:s|ing)? to)\s+(?:\w+\s+){0,2}?(?:sign|ink|conclude|be signed)\b",
    re.IGNORECASE,
)

# Words written before a kind that say how many or which, never what it covers.
_COUNTS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "several": 0, "multiple": 0, "various": 0, "a number of": 0,
}  # fmt: skip
_NOT_SUBJECT_WORDS = frozenset(
    """
    a an the this that these those its their our his her new landmark historic bilateral first-ever key
    major important long-awaited proposed draft final formal separate related similar broad wide-ranging
    several multiple various other further more two three four five six seven eight nine ten eleven twelve
    one another each both all such said existing previous earlier latest recent initial long-term
    short-term closer deeper greater enhanced stronger strengthened mutual mutually beneficial comprehensive
    most more less significant important biggest largest crucial ambitious vital much-needed so-called
    groundbreaking ground-breaking milestone flagship ever current practical mega big huge
    """.split()
)
# What an agreement covers, after its kind: "on X", "for X", "in the field(s) of X", "regarding X".
SUBJECT_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:(?:was|were|is|are|has been|have been|had been)\s+)?"
    r"(?:(?:also\s+)?(?:signed|inked|concluded)\s+)?"
    r"(?:on|for|in(?=\s+(?:the\s+)?(?:fields?|areas?|sectors?|domains?|spheres?)\s+of\b)|regarding|concerning"
    r"|covering|relating to|related to|about"
    r"|to (?:boost|promote|strengthen|enhance|deepen|expand|facilitate|develop)|to"
    r"|(?:that|which) (?:will |would |shall )?(?:facilitates?|enables?|allows?|provides? for|governs?|covers?)"
    r"|aim(?:s|ed)? (?:to|at) (?:support|strengthen|promote|boost|enhance|develop|moderni[sz]e)(?:ing)?)\s+"
    r"(?:(?:the\s+)?(?:fields?|areas?|sectors?|domains?|spheres?)\s+of\s+)?"
    r"(?:(?:bilateral\s+)?(?:co-?operation|collaboration|partnership)\s+(?:in|on|for)\s+(?:the\s+)?(?:fields?\s+of\s+)?)?"
    r"(?P<subject>[^,;:()\"“”]{2,160})",
    re.IGNORECASE,
)
_MONTHS = "|".join(MONTH_NAMES)
_WEEKDAYS = "|".join(WEEKDAY_NAMES)
# Where a subject's words stop: a new clause, a place or time, or the parties.
SUBJECT_END = re.compile(
    r"\s+(?:and\s+[a-z]+ed|following|amid|alongside|including|"
    r"between|with|which|that|who|while|during|at|in|as|after|before|when|where|was|were|is|are|has|have|had|"
    r"will|would|to be|signed|inked|by|(?<!exemption )(?<!exemptions )from|under|through|"
    r"(?:next|last|this|later this|earlier this) "
    rf"(?:week|month|year)|on (?:{_WEEKDAYS})|in (?:[A-Z]|19|20)|on \d|on (?:{_MONTHS}))\b.*$",
)
_TIME_WORDS = re.compile(
    rf"^(?:{_WEEKDAYS}|today|yesterday|tomorrow|the sidelines\b.*|{_MONTHS}|\d.*|the occasion\b.*|"
    r"behalf\b.*|the presence\b.*|the basis\b.*|record\b.*|paper\b.*|hand\b.*|place\b.*)$",
    re.IGNORECASE,
)
_GENERIC_SUBJECT_WORDS = frozenset(
    "cooperation co-operation collaboration partnership sector field fields area areas".split()
)
MAX_SUBJECT_WORDS = 6
# Capitalised words written just before a capitalised kind: the agreement's own name ("Status of Forces
# Agreement"); lower-case links may stand inside it.
PROPER_NAME_BEFORE = re.compile(
    r"(?:(?:\b[A-Z][\w’'–-]*|\b\d{4}(?:[–-]\d{2,4})?|\([A-Z]{2,8}\))\s+(?:(?:of|on|for|and|de)\s+)?){1,8}$"
)
LEADING_ARTICLE = re.compile(r"^(?:An?|The|This|That|Its|Their)\s+")
ACRONYM_AFTER = re.compile(r"^\s*\(\s*[“\"]?(?:the\s+)?(?P<acronym>[A-Z][A-Za-z-]{1,12})[”\"]?\s*\)")
# "this agreement", "these landmark MoUs", "the said treaty", "the same accord": one the story has named.
_REFERS_BACK = re.compile(
    r"\b(?:this|that|these|those|the said|the same|such|its|their)\s+"
    r"(?:(?!(?:included?|includes|are|were|was|is|have|has|had|will|would|also|signed|inked)\b)[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# "The Turkey-Singapore FTA … is a comprehensive agreement that covers…": what the one named is, not another.
_DESCRIBES = re.compile(r"\b(?:is|was)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_BETWEEN_AFTER = re.compile(r"^[^.;]{0,40}\bbetween\b", re.IGNORECASE)
LIST_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)\s*")


@dataclass(frozen=True)
class Reading:
    """One agreement as one sentence reports it."""

    kind: str
    status: str
    subject: str  # as written, lower case: "feminist foreign policy"; "" when the sentence says none
    proper_name: str  # its own name when the text gives one: "Reciprocal Access Agreement"
    acronym: str  # the short form the text defines for it: "RAA"
    sentence: str
    start: int  # where the instrument is written in the text
    end: int
    confidence: float
    sentence_start: int = 0
    language: str = "en"
    subject_by_kind: bool = False  # the subject is only what the kind says: an FTA is on "trade"


def kind_of(written: str) -> str:
    return next((kind for pattern, kind in _KIND_OF if pattern.fullmatch(written)), "agreement")


def status_of(sentence: str) -> str | None:
    """The strongest thing the sentence says happened, or None."""
    if not _ANY_STATUS.search(sentence):
        return None  # most clauses say nothing happened: one search, not one for each status
    found = None
    for status, pattern in _STATUS_PATTERNS:
        if pattern.search(sentence):
            found = status
            break
    if found == Status.SIGNED and _NOT_YET.search(sentence):
        return Status.NEGOTIATING
    if found == Status.SIGNED and _APPROVED_SIGNING.search(sentence):
        return Status.ANNOUNCED  # "the Cabinet approved signing of an MoU": it is still to be signed
    return found


_APPROVED_SIGNING = re.compile(r"\bapprov(?:e|ed|es|al of)\s+(?:the\s+)?sign", re.IGNORECASE)


# "on Friday", "last week", "on 22 September 2025," between the kind and what it covers.
_TIME_PHRASE = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:(?:on|last|this|earlier this|next)\s+"
    rf"(?:(?:{_WEEKDAYS}|week|month|year)\b|(?:\d{{1,2}}\s+)?(?:{_MONTHS})\b(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?)"
    r"|today|yesterday)\s*,?",
    re.IGNORECASE,
)


# "in the defence sector", "in the field of health": what it covers, said another way.
_IN_THE_SECTOR = re.compile(
    r"^(\s*(?:\([^()]{1,40}\)\s*)?,?\s*)in\s+(?:the\s+)?(?!the\b)([\w -]{2,40}?)"
    r"\s+(?:sector|field|area|domain)s?\b(?!\s+of\b)",
    re.IGNORECASE,
)


# "between the Government of India and the Government of Sri Lanka on defence cooperation": the parties come
# between the kind and what it covers.
_PARTIES_FIRST = re.compile(
    r"^(\s*(?:\([^()]{1,40}\)\s*)?)between\s+[^.;]{3,200}?\s+"
    r"(?=(?:on|for|in\s+the\s+(?:fields?|areas?|sectors?|domains?)\s+of|regarding|concerning|aim(?:s|ed)?\s+(?:to|at))\s)",
    re.I,
)


# "cooperation between the foreign service institutes of the two countries": the institutes are the subject.
_COOPERATION_BETWEEN = re.compile(
    r"^(?i:co-?operation|collaboration|partnership)\s+between\s+(?:the\s+)?(?P<between>[a-z][a-z -]{2,60}?)"
    r"(?:\s+of\s+the\s+two\s+(?:countries|nations|sides)|\s+(?:and|in|on)\s|$)"
)  # in lower case: institutions by name ("the Spanish Diplomatic School") are the parties, not the subject


def _subject_words(written: str) -> str:
    """What an agreement covers, from the words after its link: up to where a new clause, a time or the
    parties begin."""
    subject = SUBJECT_END.sub("", written).strip(" .")
    if subject.lower() in _GENERIC_SUBJECT_WORDS and (between := _COOPERATION_BETWEEN.match(written.strip())):
        subject = between["between"]
    return subject


def _subject_after(rest: str) -> str:
    rest = _PARTIES_FIRST.sub(r"\1", rest, count=1)
    rest = _TIME_PHRASE.sub(" ", rest, count=1)
    rest = _IN_THE_SECTOR.sub(r"\1on \2", rest, count=1)
    match = SUBJECT_AFTER.match(rest)
    if not match:
        return ""
    return _clean_subject(_subject_words(match["subject"]))


# Words that show a phrase after a kind is not what it covers: "the most significant agreement in the history of
# our two countries", "an MoU on the sidelines of the summit".
_NOT_A_SUBJECT = frozenset(
    "our their his her my your history countries nations sides ceremony presence occasion behalf sidelines "
    "visit meeting summit talks margins course tune worth million billion trillion crore lakh usd period "
    "range".split()
)
# How long it runs, written before what it covers: "a 10-year strategic roadmap".
_DURATION = re.compile(r"^(?:\d+|one|two|three|four|five|ten|twenty)[- ](?:year|month|day)s?(?:[- ]long)?$", re.I)


# "the terms of reference for a CEPA", "a roadmap for implementing an MoU": one instrument for another.
_FOR_ANOTHER = re.compile(
    r"^(?P<implementing>implementing\s+|the implementation of\s+)?(?:an?|the)\s+(?P<other>\S+)$"
)


_ANOTHER_AFTER = re.compile(
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:for|of|to)\s+(?:implementing\s+|the implementation of\s+)?"
    r"(?:an?|the)\s+(?P<other>\S+)"
)


def _clean_subject(subject: str) -> str:
    if (other := _FOR_ANOTHER.match(subject)) and INSTRUMENT.fullmatch(other["other"]):
        return " ".join([other["other"], "implementation" if other["implementing"] else ""]).strip()
    if _NOT_A_SUBJECT & set(subject.lower().split()) or INSTRUMENT.search(subject):
        return ""  # "an MoU on the sidelines of the summit", "an agreement on a treaty": no subject of its own
    words = subject.split()
    while (
        words
        and (words[0].lower() in _NOT_SUBJECT_WORDS or _DURATION.match(words[0]))
        and not _names_a_level(words)
    ):
        words.pop(0)
    if len(words) > MAX_SUBJECT_WORDS:
        words = _to_first_qualifier(words)  # "exemption from visa requirement for holders of diplomatic…"
    while words and words[-1].lower() in {"and", "the", "of", "in", "on"}:
        words.pop()
    if all(word.lower() in _GENERIC_SUBJECT_WORDS for word in words):
        return ""  # "an MoU on cooperation" says nothing of what it covers
    subject = " ".join(words[: MAX_SUBJECT_WORDS + 1])
    if len(words) > MAX_SUBJECT_WORDS or _TIME_WORDS.match(subject):
        return ""
    return subject.lower()


# Words after which a long subject only qualifies what it has said: "… for holders of diplomatic passports".
_QUALIFIERS = frozenset("for of between among with by".split())


def _to_first_qualifier(words: list[str]) -> list[str]:
    """A long subject's head, cut where the first qualifier begins, after at least two words."""
    for at, word in enumerate(words[2 : MAX_SUBJECT_WORDS + 1], start=2):
        if word.lower() in _QUALIFIERS:
            return words[:at]
    return words


# The subjects of a list of instruments may be separated by commas: "MoUs on tourism, wildlife and culture".
SUBJECTS_AFTER = re.compile(SUBJECT_AFTER.pattern.replace("[^,;:()", "[^;:()").replace("{2,160}", "{2,400}"), re.I)
# Kinds whose name says what they cover, so that one needs no subject of its own.
SPEAKING_KINDS = {
    "bit": "investment",
    "fta": "trade",
    "cepa": "trade",
    "currency_swap": "currency swap",
    "iga": "",
    "moc": "",
}


def _list_after(after: str) -> list[str]:
    """ "on tourism, wildlife and capacity building in public service." -> the subject of each instrument."""
    after = _PARTIES_FIRST.sub(r"\1", after, count=1)
    match = SUBJECTS_AFTER.match(_IN_THE_SECTOR.sub(r"\1on \2", _TIME_PHRASE.sub(" ", after, count=1), count=1))
    if not match:
        return []
    items = [
        _clean_subject(_subject_words(_LIST_ITEM_LEAD.sub("", item)))
        for item in LIST_SPLIT.split(match["subject"])
    ]
    return [item for item in items if item]


# "MoUs for the establishment of a joint commission and for cooperation between…": each item's own link.
_LIST_ITEM_LEAD = re.compile(r"^(?:for|on|in|to)\s+(?:the\s+)?", re.I)


# Which version of an instrument, written before it: "an expanded PTA", "the revised protocol".
_VERSION_WORDS = frozenset("expanded revised amended upgraded updated".split())


def _names_a_level(words: list[str]) -> bool:
    """ "comprehensive strategic partnership": a level of ties two countries name, not a word of praise."""
    return (
        len(words) >= 2 and words[0].lower() == "comprehensive" and words[1].lower() in {"strategic", "economic"}
    )


def _subject_before(before: str, kind: str = "") -> str:
    """ "a defence cooperation agreement" -> "defence"; nothing when the words before are a name or a count."""
    words = before.split()[-4:]
    picked: list[str] = []
    for at in range(len(words) - 1, -1, -1):
        word = words[at]
        bare = word.strip(',;:()"“”')
        if _names_a_level([bare, *picked]) or bare in _VERSION_WORDS:
            picked.insert(0, bare)  # "a comprehensive strategic partnership declaration", "an expanded PTA"
            continue
        if bare == "and" and picked and at > 0 and _covers(words[at - 1]):
            picked.insert(0, bare)  # "a maritime search and rescue agreement", "a trade and investment pact"
            continue
        if not _covers(word):
            break
        picked.insert(0, bare)
    if picked == ["joint"] and kind == "agreement":
        return ""  # "the joint agreement" says who signed it; "a joint security framework" is named by it
    return _clean_subject(" ".join(picked))


def _covers(word: str) -> bool:
    """A word written before a kind that says what it covers: lower case, no count, praise, verb or adverb."""
    bare = word.strip(',;:()"“”')
    if bare != word or not bare or not bare.islower() or bare in _NOT_SUBJECT_WORDS or bare in _VERB_WORDS:
        return False
    # "hailed the newly reached agreement": verbs and adverbs, not what it covers
    return not (bare.endswith(("ed", "ly")) and len(bare) > 4)


_VERB_WORDS = frozenset(
    "signed sign signs signing inked ink concluded conclude ratified ratify exchanged the of on in and to for by "
    "with as an a two also have has had was were is are be been approve approves approved upgrade upgrades "
    "upgraded enhancing strengthening boosting deepening expanding promoting establishing launch launched "
    "launches".split()
)


def _count_before(before: str) -> int | None:
    tail = before.lower().split()[-3:]
    for word in reversed(tail):
        if word.isdecimal():  # "²" is a digit that int() does not read
            return int(word)
        if word in _COUNTS:
            return _COUNTS[word]
    return None


CONTEXT_BEFORE, CONTEXT_AFTER = 200, 600


_UNREAD = object()


def read_sentence(
    text: str, start: int, end: int, previous_status: str | None = None, *, sentence_status=_UNREAD
) -> list[Reading]:
    """The agreements one sentence of the text reports.

    `previous_status` is what the sentence before says happened, for one that goes on about it with no verb of
    its own: "They signed deals in seven sectors. These included MoUs on tourism, wildlife and culture."
    `sentence_status` is status_of(the sentence), when the caller has read it already.
    """
    sentence = text[start:end]
    own = None if sentence_status is _UNREAD else sentence_status
    read = sentence_status is not _UNREAD
    sentence_status = None
    readings: list[Reading] = []
    defined_until = 0  # the end of "(CEPA)" just after "Comprehensive Economic Partnership Agreement"
    subject_of_last = -1  # where an instrument that only says what the one before it is for is written
    for match in INSTRUMENT.finditer(sentence):
        if match.start() < defined_until:
            continue
        written = match.group()
        kind = kind_of(written)
        # The words either side that the rules below read; a bounded window keeps a sentence of many
        # instruments linear.
        before = sentence[max(0, match.start() - CONTEXT_BEFORE) : match.start()]
        after = sentence[match.end() : match.end() + CONTEXT_AFTER]
        if _REFERS_BACK.search(before) or (_DESCRIBES.search(before) and INSTRUMENT.search(before)):
            continue  # "this important agreement", "the said MoU", "the FTA is a broad pact": one read already
        if match.start() == subject_of_last:
            continue  # "the terms of reference for a CEPA" sign no CEPA
        proper_name = _proper_name(before, written)
        if proper_name == written and kind in SPEAKING_KINDS:
            proper_name = ""  # "a Comprehensive Economic Partnership Agreement" is the kind, not a name
        acronym_match = ACRONYM_AFTER.match(after)
        acronym = acronym_match["acronym"] if acronym_match and acronym_match["acronym"] != written else ""
        if acronym_match:
            defined_until = match.end() + acronym_match.end()
        if (
            acronym
            and kind_of(acronym) == kind
            and acronym.upper() in {"MOU", "MOUS", "MOC", "FTA", "CEPA", "BIT"}
        ):
            acronym = ""  # "(MoU)" only repeats the kind
        if sentence_status is None:
            if not read:
                own, read = status_of(sentence), True
            sentence_status = own or previous_status or Status.REFERRED
        # The verb of the instrument's own clause first: "inked a currency swap, to begin talks on an FTA"
        # (a sentence with no verb has none in its clauses either).
        status = (own and status_of(_CLAUSE_BREAK.split(before)[-1])) or sentence_status
        if kind == "declaration" and status == Status.REFERRED and _ISSUED.search(sentence):
            status = Status.SIGNED  # a joint statement is issued or adopted, not signed
        if status == Status.REFERRED and not proper_name:
            continue  # a mere mention: "more than 40 bilateral agreements"
        if kind == "initiative" and (status == Status.REFERRED or not proper_name or proper_name == written):
            continue  # an initiative counts when it is launched or signed under a name of its own
        count = _count_before(before)
        lowered = written.lower()
        plural = (lowered.endswith("s") and not lowered.endswith("ss")) or lowered.startswith("memoranda")
        plural = plural or (count is not None and count > 1)
        items = _list_after(after) if plural and not proper_name and count != 1 else []
        if proper_name == written and _subject_after(after):
            proper_name = ""  # "a Joint Statement on maritime cooperation": named by what it covers
        subject = "" if proper_name else _subject_after(after)
        if (other := _ANOTHER_AFTER.match(after)) and INSTRUMENT.fullmatch(other["other"]):
            subject_of_last = match.end() + other.start("other")
        if kind == "contract" and not subject and lowered.split()[-1] in _CONTRACT_VERBS:
            bought = _HOW_MANY.sub("", SUBJECT_END.sub("", _OBJECT.match(after)["object"]).strip(" ."))
            subject = _clean_subject(bought)
        subject = subject or ("" if proper_name else _subject_before(before, kind))
        if len(items) >= 2:
            for item in items:
                readings.append(
                    Reading(
                        kind, status, item, "", "", sentence, start + match.start(), start + match.end(), 0.8,
                        sentence_start=start,
                    )
                )  # fmt: skip
            continue
        by_kind = not subject and not proper_name and kind in SPEAKING_KINDS and status != Status.REFERRED
        if by_kind:
            subject = SPEAKING_KINDS[kind]  # "resumed talks on a bilateral investment treaty"
        # "signed the agreement": one already read, or too little to file; but "an MoU was signed between SIDM
        # and AIAD" is one.
        if (
            not subject
            and not proper_name
            and (status != Status.SIGNED or kind == "agreement" or plural or not _BETWEEN_AFTER.search(after))
        ):
            continue
        confidence = 0.9 if status in {Status.SIGNED, Status.RATIFIED, Status.IN_FORCE} else 0.7
        if status == Status.REFERRED:
            confidence = 0.6
        readings.append(
            Reading(
                kind, status, subject, proper_name, acronym, sentence, start + match.start(), start + match.end(),
                confidence,
                sentence_start=start, subject_by_kind=bool(by_kind and subject),
            )
        )  # fmt: skip
    return readings


_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:while|whereas|after|before|but)\s")
_ISSUED = re.compile(r"\b(?:issued|adopted|released)\b", re.I)
_CONTRACT_VERBS = frozenset("buy purchase procure acquire supply build deliver".split())
# What a deal to buy covers: "a deal to buy 26 Rafale marine jets at a cost of…".
_OBJECT = re.compile(r"\s*(?P<object>[^,;:.()\"“”]{0,160})")
_HOW_MANY = re.compile(r"^(?:(?:at least|up to|some|about|over|more than)\s+)?(?:\d[\d,]*|a|an)\s+", re.I)


def _proper_name(before: str, written: str) -> str:
    """ "the Japan-Philippines Reciprocal Access Agreement" -> "Japan-Philippines Reciprocal Access Agreement"."""
    if not written[:1].isupper() or written[1:2].isupper() or written.startswith("Mo") or written.endswith("s"):
        return ""  # acronyms and plurals: "OCP-India MoUs", "Agreements" name no one instrument
    # "signed a landmark Defence Framework Agreement": the kind's own words in capitals may name it alone.
    own = written if len(written.split()) >= 2 and all(w[:1].isupper() for w in written.split()) else ""
    words = PROPER_NAME_BEFORE.search(before[-120:])
    if words is None:
        return own
    name = LEADING_ARTICLE.sub("", words.group().strip())
    # A sentence's first word is capitalised whatever it is: "Both sides signed …" names nothing.
    first_words = name.split()
    while first_words and (
        first_words[0].lower() in _NOT_SUBJECT_WORDS | {"both", "officials", "signed", "year", "month"}
        or _DURATION.match(first_words[0])
    ):
        first_words.pop(0)  # "Both sides signed …", "the 10-Year Defence Framework"
    name = " ".join(first_words)
    if not name or name.split()[-1].lower() in {"the", "de", "in"}:  # "Trade and Economic Partnership Agreement"
        return own
    return f"{name} {written}"


# Other languages. A story in French, Portuguese, Spanish, German or Indonesian is read with that language's
# words for the instruments, for what happened to them and for what they cover; what the instrument is called
# there ("Memorando de entendimento sobre a cooperação no campo financeiro") is kept as written, as its name.
@dataclass(frozen=True)
class Lexicon:
    """One language's wording of instruments and of what happens to them."""

    language: str
    instruments: tuple[tuple[str, str], ...]  # (pattern, kind), matched in any case
    status_verbs: tuple[tuple[str, str], ...]  # (status, pattern), the strongest first
    not_yet: str  # a signing still to come: "será assinado", "soll unterzeichnet werden"
    connectors: str  # what links a kind to what it covers: "sobre", "dans le domaine de", "zur"
    stops: str  # words that end what an instrument covers: "entre", "avec", "mit"
    function_words: frozenset[str]  # common words of the language, to tell it from the others
    # A word that may stand between a kind and its link: "Acordo técnico sobre …", "accord cadre relatif à".
    adjective: str = r"(?!(?:de|do|da|du|des|del)\b)[^\W\d_]{4,}"

    @functools.cached_property
    def instrument(self) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(pattern for pattern, _kind in self.instruments) + r")\b", re.I)

    @functools.cached_property
    def kinds(self) -> list[tuple[re.Pattern, str]]:
        return [(re.compile(pattern, re.I), kind) for pattern, kind in self.instruments]

    @functools.cached_property
    def statuses(self) -> list[tuple[str, re.Pattern]]:
        return [(status, re.compile(rf"\b(?:{verbs})\b", re.I)) for status, verbs in self.status_verbs]

    @functools.cached_property
    def subject_after(self) -> re.Pattern:
        return re.compile(
            rf"^\s*(?:\([^()]{{1,40}}\)\s*)?,?\s*(?:{self.adjective}\s+)?(?:{self.connectors})\s*(?P<subject>[^,;:.()\"“”«»]{{2,160}})",
            re.I,
        )

    @functools.cached_property
    def subject_end(self) -> re.Pattern:
        return re.compile(rf"(?:^|\s+)(?:{self.stops})\b.*$", re.I | re.S)

    def kind_of(self, written: str) -> str:
        return next((kind for pattern, kind in self.kinds if pattern.fullmatch(written)), "agreement")

    def status_of(self, sentence: str) -> str | None:
        found = next((status for status, pattern in self.statuses if pattern.search(sentence)), None)
        if found == Status.SIGNED and re.search(self.not_yet, sentence, re.I):
            return Status.ANNOUNCED
        return found


LEXICONS = (
    Lexicon(
        "pt",
        instruments=(
            (r"memorandos? de entendimento", "mou"),
            (r"memorandos? de coopera[çc][ãa]o", "moc"),
            (r"(?:cartas?|declara[çc](?:[ãa]o|[õo]es)) de inten[çc](?:[ãa]o|[õo]es)", "letter_of_intent"),
            (r"planos? de a[çc](?:[ãa]o|[õo]es)", "action_plan"),
            (r"acordos?[- ]quadros?", "framework"),
            (r"acordos? de livre[- ]com[ée]rcio", "fta"),
            (r"(?:acordos?|tratados?) (?:bilaterais? )?de (?:prote[çc][ãa]o de )?investimentos?", "bit"),
            (r"acordos?|conv[êe]nios?", "agreement"),
            (r"tratados?", "treaty"),
            (r"protocolos?", "protocol"),
            (r"declara[çc](?:[ãa]o|[õo]es) conjuntas?", "declaration"),
            (r"contratos?", "contract"),
            (r"roteiros?", "roadmap"),
        ),
        status_verbs=(
            (Status.IN_FORCE, r"(?:entrou|entra|entraram|entrar[áa]) em vigor|vigente"),
            (Status.RATIFIED, r"ratific\w*"),
            (Status.TERMINATED, r"denunci(?:ou|ado|ada)|rescindi\w*"),
            (Status.SUSPENDED, r"suspen(?:so|sa|deu|der)\w*"),
            (Status.SIGNED, r"assin\w+|firma(?:do|da|dos|das|ram|ou)|celebra(?:do|da|dos|das|ram|ou)"),
            (Status.NEGOTIATING, r"negocia\w*"),
            (Status.ANNOUNCED, r"anunci\w*|prev(?:ê|isto|ista)"),
        ),
        not_yet=r"\b(?:ser[áa]|ser[ãa]o|deve(?:r[áa])?|devem|vai|v[ãa]o|pretende\w*)\s+(?:\w+\s+)?(?:ser )?assina",
        connectors=r"sobre|relativ[oa]s? (?:a|à|ao|aos|às)|referentes? (?:a|à|ao)|na [áa]rea d[eao]s?"
        r"|no campo d[eao]s?|no [âa]mbito d[eao]s?|em mat[ée]ria de|para (?:a |o )?|de|d[oa]s?",
        stops=r"entre|com|pelo|pela|por|durante|que|assinad\w+|firmad\w+|nesta|neste|nessa|nesse|hoje|ontem",
        function_words=frozenset("o os as da do das dos em com uma para não que são pelo pela também".split()),
    ),
    Lexicon(
        "es",
        instruments=(
            (r"memor[áa]ndums? de entendimiento|memorandos? de entendimiento", "mou"),
            (r"cartas? de intenci[óo]n(?:es)?|declaraci[óo]n(?:es)? de intenci[óo]n(?:es)?", "letter_of_intent"),
            (r"planes? de acci[óo]n", "action_plan"),
            (r"acuerdos?[- ]marcos?", "framework"),
            (r"tratados? de libre comercio|acuerdos? de libre comercio", "fta"),
            (r"acuerdos?|convenios?", "agreement"),
            (r"tratados?", "treaty"),
            (r"protocolos?", "protocol"),
            (r"declaraci[óo]n(?:es)? conjuntas?", "declaration"),
            (r"contratos?", "contract"),
            (r"hojas? de ruta", "roadmap"),
        ),
        status_verbs=(
            (Status.IN_FORCE, r"(?:entr[óo]|entra|entraron|entrar[áa]) en vigor|vigente"),
            (Status.RATIFIED, r"ratific\w*"),
            (Status.SUSPENDED, r"suspend\w*"),
            (Status.SIGNED, r"firma(?:do|da|dos|das|ron|n)|firm[óo]|suscri\w*|rubric\w*"),
            (Status.NEGOTIATING, r"negocia\w*"),
            (Status.ANNOUNCED, r"anunci\w*|prev(?:é|isto|ista)"),
        ),
        not_yet=r"\b(?:ser[áa]n?|deber[áa]n?|va|van|prev(?:é|én)|pretende\w*)\s+(?:\w+\s+)?(?:a )?(?:ser )?firma",
        connectors=r"sobre|relativ[oa]s? (?:a|al)|en (?:el|los) [áa]mbitos? de|en materia de|en el campo de"
        r"|para (?:el |la )?|de|del",
        stops=r"entre|con|por|durante|que|firmad\w+",
        function_words=frozenset("el los las del una para con que por entre también según como más".split()),
    ),
    Lexicon(
        "fr",
        instruments=(
            (r"protocoles? d['’]accord|m[ée]morandums? d['’](?:entente|accord)", "mou"),
            (r"(?:lettres?|d[ée]clarations?) d['’]intention", "letter_of_intent"),
            (r"plans? d['’]action", "action_plan"),
            (r"accords?[- ]cadres?", "framework"),
            (r"accords? de libre[- ][ée]change", "fta"),
            (r"accords?|conventions?", "agreement"),
            (r"trait[ée]s?", "treaty"),
            (r"protocoles?", "protocol"),
            (r"d[ée]clarations? conjointes?", "declaration"),
            (r"arrangements?", "arrangement"),
            (r"contrats?", "contract"),
            (r"feuilles? de route", "roadmap"),
        ),
        status_verbs=(
            (Status.IN_FORCE, r"(?:entr[ée]e?s?|entre|entrera|entrent) en vigueur"),
            (Status.RATIFIED, r"ratifi\w*"),
            (Status.TERMINATED, r"d[ée]nonc[ée]\w*|r[ée]sili\w*"),
            (Status.SUSPENDED, r"suspend\w*"),
            (Status.SIGNED, r"sign[ée]e?s?|signent|signature|paraph[ée]\w*|conclu(?:e|s|es)?"),
            (Status.NEGOTIATING, r"n[ée]goci\w*"),
            (Status.ANNOUNCED, r"annonc\w*|pr[ée]vu\w*"),
        ),
        not_yet=r"\b(?:sera|seront|devr(?:a|ont)|va|vont|doi(?:t|vent))\s+(?:\w+\s+)?(?:[êe]tre )?sign",
        connectors=r"relati(?:f|ve|fs|ves) (?:à la |à l['’]|au |aux |à )|portant sur (?:la |le |les |l['’])?"
        r"|dans les? domaines? d(?:e la |e l['’]|u |es |e )|en mati[èe]re d(?:e la |e l['’]|u |es |e )"
        r"|sur (?:la |le |les |l['’])?"
        r"|pour (?:la |le |les |l['’])?|d(?:e la |e l['’]|u |es |e |['’])",
        stops=r"entre|avec|par|lors|qui|que|sign[ée]e?s?",
        function_words=frozenset("le la les des du une est avec pour dans qui sur par aux également".split()),
    ),
    Lexicon(
        "de",
        instruments=(
            (r"absichtserkl[äa]rung(?:en)?", "letter_of_intent"),
            (r"aktionspl[äa]ne?n?|aktionsplans?", "action_plan"),
            (r"rahmenabkommens?", "framework"),
            (r"freihandelsabkommens?", "fta"),
            (r"investitions(?:schutz)?abkommens?", "bit"),
            (r"[\w-]*abkommens?", "agreement"),
            (r"[\w-]*vertrag(?:es|s)?|[\w-]*vertr[äa]ge", "treaty"),
            (r"absichtserkl[äa]rungen|gemeinsame[nr]? erkl[äa]rung(?:en)?", "declaration"),
            (r"memorandum of understanding|memorandums?", "mou"),
            (r"protokolls?|protokolle", "protocol"),
            (r"fahrpl[äa]ne?n?|fahrplans?", "roadmap"),
        ),
        status_verbs=(
            (Status.IN_FORCE, r"in kraft (?:getreten|treten|tritt|trat)"),
            (Status.RATIFIED, r"ratifizier\w*"),
            (Status.TERMINATED, r"gek[üu]ndigt|k[üu]ndig(?:t|en|te)"),
            (Status.SUSPENDED, r"ausgesetzt|aussetz\w*"),
            (Status.SIGNED, r"unterzeichne\w*|unterzeichnung|unterschrieben|geschlossen|schlossen"),
            (Status.NEGOTIATING, r"verhandl\w*|verhandel\w*"),
            (Status.ANNOUNCED, r"angek[üu]ndigt|vorgesehen|geplant"),
        ),
        not_yet=r"\b(?:soll(?:en)?|werden|wird|vorgesehen|geplant)\b",
        connectors=r"(?:zur|zum|über die|über den|über das|über|im bereich(?: der| des)?|für die|für den|für)",
        stops=r"zwischen|mit|von|durch|bei|der|die|das|und|sowie",
        function_words=frozenset("der die das und ist nicht mit von zu den dem im auch sich eine für".split()),
    ),
    Lexicon(
        "id",
        instruments=(
            (r"nota kesepahaman|memorandum (?:saling pengertian|kesepahaman)|mou", "mou"),
            (r"surat (?:pernyataan )?(?:minat|kehendak)", "letter_of_intent"),
            (r"rencana aksi", "action_plan"),
            (r"perjanjian perdagangan bebas", "fta"),
            (r"perjanjian|persetujuan|kesepakatan", "agreement"),
            (r"traktat", "treaty"),
            (r"protokol", "protocol"),
            (r"pernyataan bersama|deklarasi bersama", "declaration"),
            (r"kontrak", "contract"),
            (r"peta jalan", "roadmap"),
        ),
        status_verbs=(
            (Status.IN_FORCE, r"mulai berlaku|berlaku efektif"),
            (Status.RATIFIED, r"meratifikasi|diratifikasi|ratifikasi"),
            (Status.SIGNED, r"menandatangani|ditandatangani|penandatanganan|meneken|diteken"),
            (Status.NEGOTIATING, r"merundingkan|perundingan|negosiasi"),
            (Status.ANNOUNCED, r"mengumumkan|diumumkan|direncanakan"),
        ),
        not_yet=r"\b(?:akan|rencananya|direncanakan)\s+(?:\w+\s+)?(?:menandatangani|ditandatangani)",
        # Indonesian writes what an instrument covers right after it: "perjanjian pertahanan strategis".
        connectors=r"tentang|mengenai|di bidang|dalam bidang|untuk|kerja ?sama(?: di bidang)?|(?=[^\W\d_])",
        stops=r"antara|dengan|oleh|yang|pada|di|bersama|itu|ini|tersebut|adalah|akan|telah|dan|hari",
        adjective=r"(?!)",  # what it covers follows the kind at once
        function_words=frozenset("yang dan di dengan untuk dari ini itu pada dalam akan adalah juga oleh".split()),
    ),
)
ENGLISH_WORDS = frozenset("the of and to in is that for with on as was by at from".split())
_FUNCTION_WORD = re.compile(r"[^\W\d_]+")
LANGUAGE_SAMPLE = 4000  # characters read to tell the language: a story's first paragraphs
PLAINLY_ENGLISH = 10  # " the ", " of " and " and " this often in the sample


def lexicon_of(text: str) -> Lexicon | None:
    """The lexicon of the language a story is written in; None for English, or a language without one."""
    sample = text[:LANGUAGE_SAMPLE].lower()
    if sum(sample.count(word) for word in (" the ", " of ", " and ")) >= PLAINLY_ENGLISH:
        return None  # most stories, told without reading their words one by one
    words = collections.Counter(_FUNCTION_WORD.findall(sample))
    english = sum(words[word] for word in ENGLISH_WORDS)
    best, best_count = None, english
    for lexicon in LEXICONS:
        count = sum(words[word] for word in lexicon.function_words)
        if count > best_count * 1.5 and count >= 5:
            best, best_count = lexicon, count
    return best


def read_foreign_sentence(
    text: str, start: int, end: int, lexicon: Lexicon, previous_status: str | None = None
) -> list[Reading]:
    """The agreements one sentence in another language reports, each named as it is written there."""
    sentence = text[start:end]
    status = lexicon.status_of(sentence) or previous_status
    readings = []
    for match in lexicon.instrument.finditer(sentence):
        written = match.group()
        kind = lexicon.kind_of(written)
        after = sentence[match.end() :]
        subject_match = lexicon.subject_after.match(after)
        subject = ""
        if subject_match:
            subject = lexicon.subject_end.sub("", subject_match["subject"]).strip(" .")
            words = _FOREIGN_ARTICLE.sub("", subject).split()[: MAX_SUBJECT_WORDS + 2]
            while (
                words
                and len(words[-1]) <= 5
                and words[-1].islower()
                and (_FOREIGN_ARTICLE.match(words[-1] + " ") or lexicon.subject_after.match(f" {words[-1]} xx"))
            ):
                words.pop()  # "… de alta qualidade sobre": cut after a link word
            subject = " ".join(words)
        # A compound names what it covers ("Freundschaftsvertrag"); a lone kind ("o acordo") names nothing.
        compound = lexicon.language == "de" and written.lower() not in {p.lower() for p in _GERMAN_BARE_KINDS}
        if not subject and not compound and kind not in SPEAKING_KINDS:
            continue  # "o acordo", "l'accord": one the story has named, or too little to file
        if _COUNTED.search(sentence[: match.start()]):
            continue  # "quase 30 acordos de relações comerciais": how many, not which
        if status is None and not compound:
            continue
        phrase = sentence[match.start() : match.end() + (subject_match.end() if subject else 0)]
        if subject:
            phrase = phrase[: phrase.lower().rindex(subject.lower()) + len(subject)]
        name = " ".join(phrase.split())
        name = name[:1].upper() + name[1:]
        reading_status = status or Status.REFERRED
        confidence = 0.8 if reading_status in {Status.SIGNED, Status.RATIFIED, Status.IN_FORCE} else 0.6
        readings.append(
            Reading(
                kind, reading_status, subject.lower(), name, "", sentence, start + match.start(),
                start + match.end(), confidence, sentence_start=start, language=lexicon.language,
            )
        )  # fmt: skip
    return readings


_FOREIGN_ARTICLE = re.compile(r"^(?:(?:a|o|as|os|la|le|les|el|los|las|die|der|das|den|dem)\s+|l['’])", re.I)
_COUNTED = re.compile(r"\b\d+\s+$")
# German kinds written alone, with nothing compounded before them.
_GERMAN_BARE_KINDS = ("abkommen", "abkommens", "vertrag", "vertrages", "vertrags", "verträge", "vertrage")
