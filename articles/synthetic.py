"""A deterministic synthetic archive in the seed text format, for benchmarks and scale tests.

Stories are 400-700 words, dated over several years, and name real countries with plausible (invented)
officials and agreements, so that the real importer has real work to do on each file.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .ingest.countries import country_by_code

# Countries the desk follows most, then the rest of the world by chance.
FOCUS = ["MA", "IL", "IT", "FR", "US", "AE", "EG", "JP", "AU", "DE", "GB", "BR", "ZA", "KE", "NG", "SA", "ID"]
HOME = "IN"
CAPITALS = {
    "IN": "New Delhi",
    "MA": "Rabat",
    "IL": "Tel Aviv",
    "IT": "Rome",
    "FR": "Paris",
    "US": "Washington",
    "AE": "Abu Dhabi",
    "EG": "Cairo",
    "JP": "Tokyo",
    "AU": "Canberra",
    "DE": "Berlin",
    "GB": "London",
    "BR": "Brasilia",
    "ZA": "Pretoria",
    "KE": "Nairobi",
    "NG": "Abuja",
    "SA": "Riyadh",
    "ID": "Jakarta",
}
# Invented names drawn from pools that fit each country's naming customs.
NAME_POOLS = {
    "south_asian": (
        "Arjun Meera Vikram Kavita Rohan Anjali Sanjay Priya Rahul Sunita Deepak Nandini",
        "Raghavan Iyer Kapoor Deshmukh Banerjee Chaturvedi Nair Menon Kulkarni Saxena Bhatt Joshi",
    ),
    "maghreb_arab": (
        "Youssef Samira Karim Leila Omar Nadia Hassan Salma Rachid Imane Khalid Meriem",
        "Bennani Alaoui Tazi Idrissi Chraibi Berrada Mansour Haddad Farouk Qasimi Nasser Saleh",
    ),
    "hebrew": ("Avi Tamar Yossi Noa Eitan Michal Ronen Shira", "Levi Shapiro Katzir Goldberg Avraham Peretz"),
    "romance": (
        "Marco Giulia Luca Chiara Pierre Claire Julien Amelie Mariana Lucas Beatriz Rafael",
        "Rossi Bianchi Ferraro Esposito Moreau Lefevre Girard Dubois Oliveira Carvalho Almeida Souza",
    ),
    "anglo_germanic": (
        "James Sarah Daniel Laura Thomas Anna Lukas Sophie Oliver Emma Henry Clara",
        "Whitfield Harrington Caldwell Ashworth Pemberton Schneider Hoffmann Becker Fischer Brandt",
    ),
    "east_asian": ("Hiroshi Yuki Kenji Aiko Budi Sari Dewi Agus", "Takahashi Morimoto Watanabe Santoso Wijaya"),
    "african": (
        "Thabo Naledi Wanjiru Chidi Amara Kofi Zanele Emeka",
        "Mokoena Dlamini Mwangi Otieno Okafor Adeyemi Nkosi Achieng",
    ),
}
POOL_OF = {
    "IN": "south_asian",
    "MA": "maghreb_arab",
    "AE": "maghreb_arab",
    "EG": "maghreb_arab",
    "SA": "maghreb_arab",
    "IL": "hebrew",
    "IT": "romance",
    "FR": "romance",
    "BR": "romance",
    "US": "anglo_germanic",
    "DE": "anglo_germanic",
    "GB": "anglo_germanic",
    "AU": "anglo_germanic",
    "JP": "east_asian",
    "ID": "east_asian",
    "ZA": "african",
    "KE": "african",
    "NG": "african",
}
ROLES = ["Defence Minister", "Foreign Minister", "Trade Minister", "Energy Minister", "Defence Secretary"]
TOPICS = ["defence", "trade", "energy", "critical minerals", "maritime", "space", "agriculture", "health"]
AGENCIES = ["ANI", "PTI", "IANS", "Reuters", "AFP"]
FILLER = [
    "Officials from both sides reviewed the progress made since the last round of talks and identified new "
    "areas where the two governments could work together in the coming years.",
    "The delegations discussed supply chains, investment flows and the role of private companies in turning "
    "political commitments into projects on the ground.",
    "Analysts said the meeting reflected a steady deepening of ties that has continued through several "
    "changes of government in both capitals.",
    "A joint statement issued after the meeting said both sides would set up working groups to follow up on "
    "the decisions and report back before the next annual dialogue.",
    "Business chambers welcomed the outcome and said firms were ready to expand production, research and "
    "training partnerships if regulatory hurdles were eased.",
    "The talks also touched on regional security, shipping lanes and the need for coordination in "
    "multilateral forums where both countries hold influence.",
    "Both ministers agreed that people-to-people links, student exchanges and tourism remained the "
    "foundation on which the wider partnership rests.",
    "Officials said technical teams would meet within three months to settle the details of financing, "
    "standards and timelines for the projects announced during the visit.",
]


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    country: str


def cast(seed: int = 7) -> dict[str, list[Person]]:
    """Two or three plausible officials per country, the same for every run."""
    rng = random.Random(seed)
    people: dict[str, list[Person]] = {}
    used = set()
    for code in [HOME, *FOCUS]:
        people[code] = []
        for role in rng.sample(ROLES, 3):
            given, surnames = (pool.split() for pool in NAME_POOLS[POOL_OF[code]])
            while (name := f"{rng.choice(given)} {rng.choice(surnames)}") in used:
                pass
            used.add(name)
            people[code].append(Person(name, role, code))
    return people


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def story(number: int, people: dict[str, list[Person]], start: datetime.date) -> str:
    """The text of story `number`: deterministic, 400-700 words."""
    rng = random.Random(number)
    partner = rng.choice(FOCUS)
    host, guest = (HOME, partner) if rng.random() < 0.5 else (partner, HOME)
    date = start + datetime.timedelta(days=rng.randrange(6 * 365))
    home_name, partner_name = country_by_code(HOME).name, country_by_code(partner).name
    ours, theirs = rng.choice(people[HOME]), rng.choice(people[partner])
    topic = rng.choice(TOPICS)
    agency = rng.choice(AGENCIES)
    city = CAPITALS[host]
    demonym = country_by_code(partner).demonyms[0] if country_by_code(partner).demonyms else partner_name
    lead = (
        f" date {date:%Y-%m-%d} {city} [{country_by_code(host).name}], {date:%B} {date.day} ({agency}): "
        f"Indian {ours.role} {ours.name} held talks with {possessive(partner_name)} {theirs.role} {theirs.name} "
        f"in {city} "
        f"on {date:%A}, as the two countries sought to deepen cooperation in {topic}."
    )
    paragraphs = [lead]
    if rng.random() < 0.15:
        paragraphs.append(
            f"The two ministers signed a Memorandum of Understanding (MoU) on {topic} cooperation, which "
            f"officials said would give an institutional framework to the growing partnership between "
            f"{home_name} and {partner_name}."
        )
    paragraphs.append(
        f"{ours.name.split()[-1]} said the relationship with {partner_name} had grown in scope and ambition. "
        f"His {demonym} counterpart described the talks as candid and productive."
    )
    words = sum(len(p.split()) for p in paragraphs)
    target = rng.randrange(400, 700)
    while words < target:
        sentences = rng.sample(FILLER, 3)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs.append(f"The visit is the {number % 40 + 2}th high-level exchange between the two sides.")
    return "\n\n".join(paragraphs) + "\n"


def write_archive(folder: Path, count: int, *, start=datetime.date(2020, 1, 1)) -> Iterator[Path]:
    """Write `count` stories into `folder` (in sub-folders of 1,000), skipping files already there."""
    people = cast()
    for number in range(count):
        path = folder / f"{number // 1000:03d}" / f"story_{number:06d}.txt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(story(number, people, start), encoding="utf-8")
        yield path
