"""Find the agreements a story reports: each instrument, what happened to it, and the sentence that says so.

Plain functions over plain text. A sentence reports an agreement when it names an instrument (MoU, treaty,
protocol, FTA, currency swap…) and either a verb says what happened to it (signed, ratified, came into force,
talks on it resumed…) or the instrument has a name of its own ("the Reciprocal Access Agreement"). What it
covers comes from the words around the kind ("an MoU on feminist foreign policy", "a defence cooperation
agreement"); a list ("six MoUs in the fields of health, agriculture and education") is one agreement for each
field. A bare "the agreement" with no subject and no name refers to one already read, and adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        r"|deals? to (?:buy|purchase|acquire|supply)"
        r"|contracts? (?:to|for) (?:buy|purchase|acquire|supply|build|deliver)",
        "contract",
    ),
    (r"(?:co-?operation |security |defen[cs]e )?arrangements?", "arrangement"),
    (r"framework agreements?", "framework"),
    (r"(?:joint )?action plans?", "action_plan"),
    (r"road ?maps?", "roadmap"),
    (r"treat(?:y|ies)", "treaty"),
    (r"protocols?", "protocol"),
    (r"joint declarations?|declarations?", "declaration"),
    (r"agreements?|pacts?|accords?", "agreement"),
)
ACRONYMS: tuple[tuple[str, str], ...] = (
    (r"MoUs?|MOUs?", "mou"),
    (r"MoCs?|MOCs?", "moc"),
    (r"LoIs?|LOIs?", "letter_of_intent"),
    (r"CEPA|CECA|EPA", "cepa"),
    (r"FTAs?", "fta"),
    (r"BITs?|BIPPAs?", "bit"),
    (r"IGAs?", "iga"),
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
    "road", "protocol", "declaration", "accord",
)  # fmt: skip
ACRONYM_ANCHORS = ("MoU", "MOU", "MoC", "MOC", "LoI", "LOI", "EPA", "CECA", "FTA", "BIT", "BIPPA", "IGA")
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
        r"|took effect|takes effect|in force\b|became effective|operationali[sz]ed",
    ),
    (Status.RATIFIED, r"ratif(?:y|ied|ies|ying|ication)"),
    (Status.TERMINATED, r"terminat(?:e|ed|es|ing|ion)|scrap(?:ped|s)?|withdr[ae]w from|revok(?:e|ed)|annull?ed"),
    (Status.SUSPENDED, r"suspend(?:ed|s|ing)?|suspension"),
    (Status.EXTENDED, r"extend(?:ed|s|ing)?|renew(?:ed|s|ing|al)?"),
    (
        Status.SIGNED,
        r"sign(?:ed|s|ing)?|ink(?:ed|s|ing)?|conclud(?:e|ed|es|ing)|exchang(?:ed|e) (?:of )?|initial(?:l)?ed"
        r"|entered into",
    ),
    (
        Status.NEGOTIATING,
        r"negotiat\w*|talks (?:on|over|about|for)|resum(?:e|ed|es|ing)|finali[sz](?:e|ing)|nearing"
        r"|(?:will|would|to|plan to|expected to|set to|hope to|aim to) sign|discuss(?:ed|es|ing)?|propos(?:ed|al)",
    ),
    (Status.ANNOUNCED, r"announc(?:e|ed|es|ing)|agreed to (?:conclude|sign|work|launch)"),
)
_STATUS_PATTERNS = [(status, re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)) for status, verbs in STATUS_VERBS]
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
    groundbreaking ground-breaking milestone flagship
    """.split()
)
# What an agreement covers, after its kind: "on X", "for X", "in the field(s) of X", "regarding X".
SUBJECT_AFTER = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:(?:was|were|is|are|has been|have been|had been)\s+)?"
    r"(?:(?:also\s+)?(?:signed|inked|concluded)\s+)?"
    r"(?:on|for|in(?=\s+(?:the\s+)?(?:fields?|areas?|sectors?|domains?|spheres?)\s+of\b)|regarding|concerning"
    r"|covering|relating to|related to|about"
    r"|to (?:boost|promote|strengthen|enhance|deepen|expand|facilitate|develop)|to)\s+"
    r"(?:(?:the\s+)?(?:fields?|areas?|sectors?|domains?|spheres?)\s+of\s+)?"
    r"(?:(?:bilateral\s+)?(?:co-?operation|collaboration|partnership)\s+(?:in|on|for)\s+(?:the\s+)?(?:fields?\s+of\s+)?)?"
    r"(?P<subject>[^,;:()\"“”]{2,160})",
    re.IGNORECASE,
)
# Where a subject's words stop: a new clause, a place or time, or the parties.
SUBJECT_END = re.compile(
    r"\s+(?:between|with|which|that|who|while|during|at|in|as|after|before|when|where|was|were|is|are|has|have|had|"
    r"will|would|to be|signed|inked|by|from|under|through|(?:next|last|this|later this|earlier this) "
    r"(?:week|month|year)|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)|in (?:[A-Z]|19|20)|on \d|on (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December))\b.*$",
)
_TIME_WORDS = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|the sidelines\b.*|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|\d.*|the occasion\b.*|"
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
    r"(?:\b(?:[A-Z][\w’'–-]*|\d{4}(?:[–-]\d{2,4})?)\s+(?:(?:of|on|for|and|de)\s+)?){1,8}$"
)
LEADING_ARTICLE = re.compile(r"^(?:An?|The|This|That|Its|Their)\s+")
ACRONYM_AFTER = re.compile(r"^\s*\(\s*[“\"]?(?:the\s+)?(?P<acronym>[A-Z][A-Za-z-]{1,12})[”\"]?\s*\)")
# "this agreement", "these landmark MoUs", "the said treaty", "the same accord": one the story has named.
_REFERS_BACK = re.compile(
    r"\b(?:this|that|these|those|the said|the same|such|its|their)\s+"
    r"(?:(?!(?:included?|includes|are|were|was|is|have|has|had|will|would|also|signed|inked)\b)[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
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


def kind_of(written: str) -> str:
    return next((kind for pattern, kind in _KIND_OF if pattern.fullmatch(written)), "agreement")


def status_of(sentence: str) -> str | None:
    """The strongest thing the sentence says happened, or None."""
    found = None
    for status, pattern in _STATUS_PATTERNS:
        if pattern.search(sentence):
            found = status
            break
    if found == Status.SIGNED and _NOT_YET.search(sentence):
        return Status.NEGOTIATING
    return found


# "on Friday", "last week", "on 22 September 2025," between the kind and what it covers.
_TIME_PHRASE = re.compile(
    r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:(?:on|last|this|earlier this|next)\s+"
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|week|month|year)\b|(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b(?:\s+\d{1,2})?(?:,?\s+\d{4})?)|today|yesterday)\s*,?",
    re.IGNORECASE,
)


# "in the defence sector", "in the field of health": what it covers, said another way.
_IN_THE_SECTOR = re.compile(
    r"^(\s*(?:\([^()]{1,40}\)\s*)?,?\s*)in\s+the\s+([\w -]{2,40}?)\s+(?:sector|field|area|domain)s?\b",
    re.IGNORECASE,
)


def _subject_after(rest: str) -> str:
    rest = _TIME_PHRASE.sub(" ", rest, count=1)
    rest = _IN_THE_SECTOR.sub(r"\1on \2", rest, count=1)
    match = SUBJECT_AFTER.match(rest)
    if not match:
        return ""
    subject = SUBJECT_END.sub("", match["subject"]).strip(" .")
    return _clean_subject(subject)


# Words that show a phrase after a kind is not what it covers: "the most significant agreement in the history of
# our two countries", "an MoU on the sidelines of the summit".
_NOT_A_SUBJECT = frozenset(
    "our their his her my your history countries nations sides ceremony presence occasion behalf sidelines "
    "visit meeting summit talks margins course".split()
)


def _clean_subject(subject: str) -> str:
    if _NOT_A_SUBJECT & set(subject.lower().split()):
        return ""
    words = subject.split()
    while words and words[0].lower() in _NOT_SUBJECT_WORDS:
        words.pop(0)
    while words and words[-1].lower() in _GENERIC_SUBJECT_WORDS | {"and", "the", "of", "in", "on"}:
        words.pop()
    subject = " ".join(words[: MAX_SUBJECT_WORDS + 1])
    if len(words) > MAX_SUBJECT_WORDS or _TIME_WORDS.match(subject):
        return ""
    return subject.lower()


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
    match = SUBJECTS_AFTER.match(_IN_THE_SECTOR.sub(r"\1on \2", _TIME_PHRASE.sub(" ", after, count=1), count=1))
    if not match:
        return []
    items = [_clean_subject(SUBJECT_END.sub("", item).strip(" .")) for item in LIST_SPLIT.split(match["subject"])]
    return [item for item in items if item]


def _subject_before(before: str) -> str:
    """ "a defence cooperation agreement" -> "defence"; nothing when the words before are a name or a count."""
    words = before.split()[-4:]
    picked: list[str] = []
    for word in reversed(words):
        bare = word.strip(',;:()"“”')
        if bare != word or not bare or not bare.islower() or bare in _NOT_SUBJECT_WORDS or bare in _VERB_WORDS:
            break
        picked.insert(0, bare)
    return _clean_subject(" ".join(picked))


_VERB_WORDS = frozenset(
    "signed sign signs signing inked ink concluded conclude ratified ratify exchanged the of on in and to for by "
    "with as an a two also have has had was were is are be been".split()
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


def read_sentence(text: str, start: int, end: int, previous_status: str | None = None) -> list[Reading]:
    """The agreements one sentence of the text reports.

    `previous_status` is what the sentence before says happened, for one that goes on about it with no verb of
    its own: "They signed deals in seven sectors. These included MoUs on tourism, wildlife and culture."
    """
    sentence = text[start:end]
    status = None
    readings: list[Reading] = []
    for match in INSTRUMENT.finditer(sentence):
        written = match.group()
        kind = kind_of(written)
        # The words either side that the rules below read; a bounded window keeps a sentence of many
        # instruments linear.
        before = sentence[max(0, match.start() - CONTEXT_BEFORE) : match.start()]
        after = sentence[match.end() : match.end() + CONTEXT_AFTER]
        if _REFERS_BACK.search(before):
            continue  # "this important agreement", "the said MoU": one read already
        proper_name = _proper_name(before, written)
        acronym_match = ACRONYM_AFTER.match(after)
        acronym = acronym_match["acronym"] if acronym_match and acronym_match["acronym"] != written else ""
        if (
            acronym
            and kind_of(acronym) == kind
            and acronym.upper() in {"MOU", "MOUS", "MOC", "FTA", "CEPA", "BIT"}
        ):
            acronym = ""  # "(MoU)" only repeats the kind
        if status is None:
            status = status_of(sentence) or previous_status or Status.REFERRED
        if status == Status.REFERRED and not proper_name:
            continue  # a mere mention: "more than 40 bilateral agreements"
        subject = "" if proper_name else (_subject_after(after) or _subject_before(before))
        count = _count_before(before)
        plural = written.lower().endswith("s") and not written.lower().endswith("ss")
        if plural and subject and (count is None or count != 1):
            items = _list_after(after)
            if len(items) >= 2:
                for item in items:
                    readings.append(
                        Reading(
                            kind, status, item, "", "", sentence, start + match.start(), start + match.end(), 0.8,
                            sentence_start=start,
                        )
                    )  # fmt: skip
                continue
        if not subject and not proper_name and kind in SPEAKING_KINDS and status != Status.REFERRED:
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
                sentence_start=start,
            )
        )  # fmt: skip
    return readings


def _proper_name(before: str, written: str) -> str:
    """ "the Japan-Philippines Reciprocal Access Agreement" -> "Japan-Philippines Reciprocal Access Agreement"."""
    if not written[:1].isupper() or written[1:2].isupper() or written.startswith("Mo") or written.endswith("s"):
        return ""  # acronyms and plurals: "OCP-India MoUs", "Agreements" name no one instrument
    words = PROPER_NAME_BEFORE.search(before[-120:])
    if words is None:
        return ""
    name = LEADING_ARTICLE.sub("", words.group().strip())
    # A sentence's first word is capitalised whatever it is: "Both sides signed …" names nothing.
    first_words = name.split()
    while first_words and first_words[0].lower() in _NOT_SUBJECT_WORDS | {"both", "officials", "signed"}:
        first_words.pop(0)
    name = " ".join(first_words)
    if not name or name.split()[-1].lower() in {"of", "on", "for", "and", "the", "de", "in"}:
        return ""
    return f"{name} {written}"
