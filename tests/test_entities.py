"""The entity finder on the seeds and on news it has never seen; no database involved."""

import datetime

import pytest

from articles.ingest.entities import KnownAgreement, KnownOfficial, Vocabulary, find_entities
from articles.ingest.parsing import parse_article
from articles.starting_vocabulary import AGREEMENTS, OFFICIALS

from .conftest import seed_path


def starting_vocabulary() -> Vocabulary:
    officials = [KnownOfficial(n, name, (), code, role) for n, (name, role, code) in enumerate(OFFICIALS, 1)]
    agreements = [
        KnownAgreement(n, name, (), kind, tuple(p.strip() for p in parties.split(";")), subject, signed_on)
        for n, (name, kind, signed_on, parties, subject) in enumerate(AGREEMENTS, 1)
    ]
    return Vocabulary(officials, agreements)


def findings_for(prefix: str, vocabulary: Vocabulary | None = None):
    parsed = parse_article(seed_path(prefix).read_bytes())
    return find_entities(parsed.body, vocabulary or starting_vocabulary(), parsed.published_on)


def official_names(findings) -> set[str]:
    return {f.name for f in findings.officials}


def agreement_names(findings) -> set[str]:
    return {f.name for f in findings.agreements}


def test_seed_000_is_about_india_and_morocco_defence_ministers_and_their_mou():
    findings = findings_for("000")
    assert set(findings.countries) == {"IN", "MA"}
    assert official_names(findings) == {"Rajnath Singh", "Abdellatif Loudiyi"}
    assert agreement_names(findings) == {"India–Morocco Defence MoU"}


def test_seed_000_records_the_loudiyi_spelling_as_an_alias():
    loudiyi = next(f for f in findings_for("000").officials if f.name == "Abdellatif Loudiyi")
    assert loudiyi.official is not None
    assert loudiyi.new_alias == "Abdeltif Loudiyi"


def test_seed_001_names_three_moroccans_two_singhs_and_the_same_mou():
    findings = findings_for("001")
    assert set(findings.countries) == {"IN", "MA"}
    assert official_names(findings) == {
        "Kirti Vardhan Singh",
        "Rajnath Singh",
        "Omar Hejira",
        "Ryad Mezzour",
        "Abdellatif Loudiyi",
    }
    assert agreement_names(findings) == {"India–Morocco Defence MoU"}
    assert all(f.official is not None for f in findings.officials)


def test_seed_002_spans_four_countries_and_resolves_initials_and_a_second_spelling():
    findings = findings_for("002")
    assert set(findings.countries) == {"IN", "MA", "US", "CN"}
    names = official_names(findings)
    assert {
        "Nasser Bourita",
        "Subrahmanyam Jaishankar",
        "Marco Rubio",
        "Neena Malhotra",
        "Omar Hejira",
    } <= names
    jaishankar = next(f for f in findings.officials if f.name == "Subrahmanyam Jaishankar")
    hejira = next(f for f in findings.officials if f.name == "Omar Hejira")
    assert jaishankar.new_alias == "S. Jaishankar"
    assert hejira.new_alias == "Omar Hjira"
    assert all(f.official is not None for f in findings.officials), "no new people: all are known"


def test_seed_003_is_india_and_israel_with_their_defence_mou():
    findings = findings_for("003")
    assert set(findings.countries) == {"IN", "IL"}
    assert official_names(findings) == {"Rajesh Kumar Singh", "Israel Katz", "Amir Baram"}
    assert agreement_names(findings) == {"India–Israel Defence MoU"}


def test_seed_004_is_india_and_italy_with_two_agreements():
    findings = findings_for("004")
    assert set(findings.countries) == {"IN", "IT"}
    assert official_names(findings) == {"Rajesh Kumar Singh", "Guido Crosetto", "Luisa Riccardi"}
    # The roadmap under negotiation is read too since issue 10: pending agreements are agreements, with their
    # status.
    assert agreement_names(findings) == {
        "SIDM–AIAD MoU",
        "India–Italy Joint Strategic Action Plan 2025–2029",
        "Defence Industrial Roadmap",
    }
    roadmap = next(f for f in findings.agreements if f.name == "Defence Industrial Roadmap")
    assert (roadmap.status, roadmap.signed_on) == ("negotiating", None)


def test_different_singhs_are_never_merged_by_surname():
    vocabulary = Vocabulary([KnownOfficial(1, "Rajnath Singh", (), "IN", "Defence Minister")])
    findings = find_entities("Rajesh Kumar Singh met Manmohan Singh in Delhi.", vocabulary)
    assert official_names(findings) == set()


def test_a_bare_surname_belongs_to_the_person_already_named_in_the_story():
    vocabulary = starting_vocabulary()
    findings = find_entities(
        "Defence Secretary Rajesh Kumar Singh arrived. Later, Singh said talks went well.", vocabulary
    )
    assert official_names(findings) == {"Rajesh Kumar Singh"}


def test_a_bare_surname_carried_by_several_known_people_is_left_alone():
    findings = find_entities("Singh said the talks went well.", starting_vocabulary())
    assert official_names(findings) == set()


def test_a_bare_surname_only_one_known_official_carries_resolves_to_that_person():
    findings = find_entities("Crosetto told reporters the deal was near.", starting_vocabulary())
    assert official_names(findings) == {"Guido Crosetto"}
    assert findings.officials[0].new_alias == ""
    assert set(findings.countries) == {"IT"}


def test_a_close_spelling_resolves_and_is_reported_as_an_alias():
    findings = find_entities("Abdellatif Loudiyi hosted the delegation.", starting_vocabulary())
    assert [(f.name, f.new_alias) for f in findings.officials] == [("Abdellatif Loudiyi", "")]
    findings = find_entities("Abdelatif Loudyi hosted the delegation.", starting_vocabulary())
    assert [(f.name, f.new_alias) for f in findings.officials] == [("Abdellatif Loudiyi", "Abdelatif Loudyi")]


def test_names_match_whatever_the_case_and_accents():
    vocabulary = Vocabulary([KnownOfficial(1, "Sébastien Lecornu", (), "FR", "Prime Minister")])
    findings = find_entities("SEBASTIEN LECORNU spoke; later sebastien lecornu left.", vocabulary)
    assert official_names(findings) == {"Sébastien Lecornu"}


def test_an_alias_added_by_an_editor_is_matched():
    vocabulary = Vocabulary([KnownOfficial(1, "Narendra Modi", ("NaMo",), "IN", "Prime Minister")])
    assert official_names(find_entities("NaMo addressed the rally.", vocabulary)) == {"Narendra Modi"}


def test_an_unknown_person_introduced_with_a_title_becomes_a_new_official():
    findings = find_entities(
        "US Secretary of Defense Pete Hegseth met Indian officials in Washington.", Vocabulary()
    )
    [hegseth] = findings.officials
    assert (hegseth.official, hegseth.name, hegseth.role, hegseth.country) == (
        None,
        "Pete Hegseth",
        "Secretary of Defense",
        "US",
    )
    assert set(findings.countries) == {"US", "IN"}


def test_a_title_after_the_name_also_introduces_a_person():
    findings = find_entities("Talks were led by Anna Lindqvist, the Swedish Minister for Trade.", Vocabulary())
    [person] = findings.officials
    assert person.name == "Anna Lindqvist"
    assert person.country == "SE"
    assert "Minister for Trade" in person.role


@pytest.mark.parametrize(
    "sentence",
    [
        "The Minister for African Cooperation spoke about Indian Ocean security.",
        "The Defence Ministry and the Joint Working Group met on Tuesday.",
        "Tata Advanced Systems Limited opened a plant.",
        "The Secretary of State in charge of Foreign Trade attended.",
        "President of the Republic addressed the Royal Armed Forces.",
    ],
)
def test_institutions_and_titles_are_not_taken_for_people(sentence):
    assert official_names(find_entities(sentence, Vocabulary())) == set()


def test_new_people_found_in_the_seeds_with_no_known_officials_are_real_people():
    """With an empty vocabulary, whatever the importer proposes from the seeds must be a person."""
    real_people = {name for name, _role, _code in OFFICIALS} | {
        "Abdeltif Loudiyi",
        "S. Jaishankar",
        "Omar Hjira",
        "Abdelatif Loudyi",
        "JD Vance",
    }
    for prefix in ("000", "001", "002", "003", "004"):
        proposed = official_names(findings_for(prefix, Vocabulary()))
        assert proposed <= real_people, f"{prefix}: {proposed - real_people}"


def test_a_new_signing_becomes_a_new_agreement_with_kind_parties_and_date():
    text = (
        "India and Egypt signed a Memorandum of Understanding on cooperation in the field of critical minerals. "
        "The Indian minister said the MoU would help."
    )
    findings = find_entities(text, Vocabulary(), datetime.date(2026, 3, 1))
    [agreement] = findings.agreements
    assert agreement.agreement is None
    assert agreement.name == "India–Egypt Critical Minerals MoU"
    assert (agreement.kind, agreement.parties, agreement.signed_on) == (
        "mou",
        ("India", "Egypt"),
        datetime.date(2026, 3, 1),
    )


def test_two_stories_about_the_same_signing_get_the_same_agreement():
    vocabulary = Vocabulary()
    first = find_entities(
        "India and Egypt signed an MoU on defence cooperation.", vocabulary, datetime.date(2026, 3, 1)
    )
    [new] = first.agreements
    vocabulary.add_agreement(KnownAgreement(7, new.name, (), new.kind, new.parties, new.subject, new.signed_on))
    second = find_entities(
        "Egypt and India inked a memorandum of understanding in the defence sector on Monday.",
        vocabulary,
        datetime.date(2026, 3, 4),
    )
    assert [(f.agreement.id if f.agreement else None, f.name) for f in second.agreements] == [(7, new.name)]


def test_a_signing_years_later_is_a_different_agreement():
    vocabulary = starting_vocabulary()
    findings = find_entities(
        "India and Morocco signed an MoU on defence cooperation.", vocabulary, datetime.date(2031, 5, 1)
    )
    [agreement] = findings.agreements
    assert agreement.agreement is None


def test_mentions_that_are_not_signings_create_nothing():
    findings = find_entities(
        "Officials note OCP-India MoUs and more than 40 bilateral agreements; they agreed on a roadmap.",
        Vocabulary(),
    )
    assert findings.agreements == ()


def test_a_portfolio_between_title_and_name_stays_in_the_role():
    text = "Her Nigerian counterpart, Minister of State for Petroleum Resources Heineken Lokpobiri, signed it."
    [person] = find_entities(text, Vocabulary()).officials
    assert person.name == "Heineken Lokpobiri"
    assert person.role == "Minister of State for Petroleum Resources"


def test_a_demonym_in_the_title_gives_the_new_official_a_country():
    [person] = find_entities("He met French Armed Forces Minister Catherine Vautrin.", Vocabulary()).officials
    assert (person.name, person.role, person.country) == ("Catherine Vautrin", "Armed Forces Minister", "FR")


def test_an_unknown_three_word_name_after_a_portfolio_is_not_guessed():
    text = "The Minister for Ocean Affairs Aino Kalle Tamm opened the port."
    assert official_names(find_entities(text, Vocabulary())) == set()


def test_an_agreement_reported_by_its_own_name_keeps_that_name():
    text = "An India-Israel Bilateral Investment Treaty was signed in September 2025."
    [agreement] = find_entities(text, Vocabulary(), datetime.date(2026, 5, 2)).agreements
    assert (agreement.name, agreement.kind, agreement.parties, agreement.subject) == (
        "India-Israel Bilateral Investment Treaty",
        "bit",  # a finer kind than "treaty" since issue 10
        ("India", "Israel"),
        "investment",
    )


def test_the_subject_of_a_signing_comes_from_its_own_clause_only():
    text = (
        "India and France signed an agreement on Friday for jet engines, French Armed Forces Minister "
        "Catherine Vautrin said after meeting the Defence Minister."
    )
    # Since issue 10 the words after the kind are its subject ("for jet engines"), past the day it was signed;
    # the "Defence" of a later title is still not.
    [agreement] = find_entities(text, Vocabulary()).agreements
    assert (agreement.name, agreement.subject) == ("India–France Jet Engines Agreement", "jet engines")


def test_the_subject_after_an_abbreviation_in_brackets_is_read():
    text = "India and Kenya signed a Memorandum of Understanding (MoU) on health cooperation, officials said."
    [agreement] = find_entities(text, Vocabulary(), datetime.date(2026, 1, 1)).agreements
    # The subject is kept as written ("health cooperation"); the name says its topic.
    assert (agreement.name, agreement.subject) == ("India–Kenya Health MoU", "health cooperation")


# --- People in the shapes real pages write them (issue 10) -------------------------------------------------
def test_a_family_name_in_capitals_is_read_given_name_first():
    [person] = find_entities(
        "The signing was attended by Mr. SATO Kenji, Minister of Defense of Japan.", Vocabulary()
    ).officials
    assert (person.name, person.role, person.country) == ("Kenji Sato", "Minister of Defense of Japan", "JP")


def test_capitals_alone_are_an_acronym_not_a_person():
    findings = find_entities("NEW DELHI: The DRDO Chief met the OCP board and ANI reported it.", Vocabulary())
    assert findings.officials == ()


def test_a_later_story_in_the_usual_order_is_the_same_person():
    vocabulary = Vocabulary([KnownOfficial(9, "Kenji Sato", (), "JP", "Minister of Defense")])
    findings = find_entities("Defence Minister Kenji Sato and Sato's aides arrived.", vocabulary)
    assert [(f.official.id, f.name) for f in findings.officials] == [(9, "Kenji Sato")]


def test_a_name_suffix_after_a_comma_stays_with_the_name_and_the_title_after_it_is_the_role():
    text = "He signed with Hon. Tomas R. Velasco, Jr., Secretary of National Defense of the Philippines."
    [person] = find_entities(text, Vocabulary()).officials
    assert (person.name, person.role, person.country) == (
        "Tomas R. Velasco Jr",
        "Secretary of National Defense of the Philippines",
        "PH",
    )


@pytest.mark.parametrize(
    ("text", "name", "role", "country"),
    [
        ("Norway's trade minister Lars Holm said the talks went well.", "Lars Holm", "Trade minister", "NO"),
        ("Ms Okafor met her Dutch counterpart Anna de Vries in Lagos.", "Anna de Vries", "Counterpart", "NL"),
        (
            "It was signed by the minister for Defence, Ewan Carrick, in Perth.",
            "Ewan Carrick",
            "Minister for Defence",
            None,
        ),
    ],
)
def test_a_title_in_lower_case_just_before_a_name_introduces_a_new_official(text, name, role, country):
    [person] = find_entities(text, Vocabulary()).officials
    assert (person.name, person.role, person.country) == (name, role, country)


@pytest.mark.parametrize(
    "text",
    [
        "The Welcome Ceremony was held at the Palace of Culture.",
        "Jordan Smith, an analyst at a bank, said trade would grow.",
        "The minister said Trade Talks Resume Next Week, according to the agenda.",
    ],
)
def test_headline_words_and_people_without_an_office_are_not_officials(text):
    assert find_entities(text, Vocabulary()).officials == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile and North Korean leader Kim Jong-un signed a document.", [("Kim Jong-un", "KP")]),
        ("Peru's leader Ana Quispe met them in Lima.", [("Ana Quispe", "PE")]),
        # A party's leader holds no office of a country.
        ("Kenya backs Azimio leader Odera Wanjala’s bid for the chair.", []),
    ],
)
def test_a_leader_is_an_official_when_the_country_is_named_before_the_word(text, expected):
    found = find_entities(text, Vocabulary()).officials
    assert [(person.name, person.country) for person in found] == expected


# --- Agreements in the shapes real pages write them (issue 10) ---------------------------------------------
def readings(text: str, published_on=datetime.date(2026, 3, 1)):
    return [(f.name, f.kind, f.status) for f in find_entities(text, Vocabulary(), published_on).agreements]


def test_a_list_of_instruments_is_one_agreement_for_each_subject():
    text = (
        "Kenya and Ghana signed deals in five sectors on Monday. These included MoUs on tourism, wildlife, "
        "culture and capacity building in public service."
    )
    assert readings(text) == [
        ("Kenya–Ghana Tourism MoU", "mou", "signed"),
        ("Kenya–Ghana Wildlife MoU", "mou", "signed"),
        ("Kenya–Ghana Culture MoU", "mou", "signed"),
        ("Kenya–Ghana Capacity Building MoU", "mou", "signed"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Reciprocal Access Agreement between Japan and the Philippines came into force on Wednesday.",
            ("Reciprocal Access Agreement", "agreement", "in_force"),
        ),
        (
            "Chile ratified the Status of Forces Agreement with Peru.",
            ("Status of Forces Agreement", "agreement", "ratified"),
        ),
        (
            "Norway and Japan resumed negotiations on a bilateral investment treaty in Oslo.",
            ("Norway–Japan Investment Treaty", "bit", "negotiating"),
        ),
        (
            "Peru and Chile will sign a memorandum of understanding on fisheries next month.",
            ("Peru–Chile Fisheries MoU", "mou", "negotiating"),
        ),
        (
            "Spain and Morocco signed an MoU on feminist foreign policy in Madrid.",
            ("Spain–Morocco Feminist Foreign Policy MoU", "mou", "signed"),
        ),
    ],
)
def test_each_kind_of_wording_gives_the_agreement_and_what_happened_to_it(text, expected):
    assert readings(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # What the instruments the sentence before reported cover, said with "was on" and "were for".
            "Peru and Chile have inked an agreement and two memoranda of understanding during the visit. The "
            "agreement was on exemption from visa requirement for holders of diplomatic passports, while the MoUs "
            "were for the establishment of a joint commission and for cooperation between the diplomatic "
            "academies of the two countries.",
            [
                ("Peru–Chile Exemption from Visa Requirement Agreement", "agreement", "signed"),
                ("Peru–Chile Establishment of a Joint Commission MoU", "mou", "signed"),
                ("Peru–Chile Diplomatic Academies MoU", "mou", "signed"),
            ],
        ),
        (
            "Chile and Peru signed an arrangement that will facilitate sharing of fisheries data between navies.",
            [("Chile–Peru Sharing of Fisheries Data Arrangement", "arrangement", "signed")],
        ),
        (
            # A named initiative launched; not one that names an event.
            "Chile and Peru launched the Chile–Peru Space Data Initiative in Lima. Their ministers spoke at the "
            "Pacific Investment Initiative Forum.",
            [("Chile–Peru Space Data Initiative", "initiative", "announced")],
        ),
        (
            "Chile and Peru adopted an economic cooperation programme for the period up to 2030.",
            [("Chile–Peru Economic Cooperation Programme", "programme", "signed")],
        ),
        (
            "Chile and Peru issued a Joint Leaders’ Statement on Monday.",
            [("Chile–Peru Joint Leaders’ Statement", "declaration", "signed")],
        ),
        (
            # One instrument for another: its terms of reference, a roadmap to carry it out.
            "Chile and Peru signed the terms of reference (ToR) for a CEPA on Thursday.",
            [("Chile–Peru CEPA Terms of Reference", "terms_of_reference", "signed")],
        ),
        (
            "Their ministers talked about a roadmap for implementing an MoU between Chile and Peru.",
            [("Chile–Peru MoU Implementation Roadmap", "roadmap", "negotiating")],
        ),
        (
            # What the named one is, not a second agreement.
            "The Chile-Peru FTA signed in 2015 is a comprehensive agreement that covers a range of areas.",
            [("Chile–Peru Trade FTA", "fta", "signed")],
        ),
    ],
)
def test_what_instruments_cover_said_in_a_clause_of_their_own(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # Plural instruments with two countries: one with each, for the country the story is about.
            "Chile and Japan signed a pact on Monday. Talks for visiting forces agreements with Canada and "
            "France are also underway.",
            [
                ("Chile–Canada Visiting Forces Agreement", "agreement", "negotiating"),
                ("Chile–France Visiting Forces Agreement", "agreement", "negotiating"),
            ],
        ),
        (
            # A formal title and its short name are one agreement.
            "Chile and Peru signed the Agreement concerning the Facilitation of Reciprocal Access and "
            "Cooperation on Monday. The Chile-Peru Reciprocal Access Agreement was signed by both ministers.",
            [("Chile–Peru Facilitation of Reciprocal Access and Cooperation Agreement", "agreement", "signed")],
        ),
        (
            "The deal builds on a comprehensive strategic partnership declaration signed between Chile and Peru.",
            [("Chile–Peru Comprehensive Strategic Partnership Declaration", "declaration", "signed")],
        ),
        (
            # Which version, and the acronym as written: a PTA is no FTA by name.
            "An expanded PTA was subsequently signed by Chile and Peru in September 2016.",
            [("Chile–Peru Expanded PTA", "fta", "signed")],
        ),
    ],
)
def test_which_agreements_and_with_whom_when_the_wording_is_plural_long_or_versioned(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # A loose "pact" on what an MoU covered, later in the story, is that MoU; and the two countries named
            # together are its parties, not a third the sentence mentions.
            "Chile and Peru on Thursday signed three agreements, including an MoU on defence and military "
            "cooperation, and spoke of the war in Ukraine. The ministers also signed a defence and military "
            "cooperation pact.",
            [("Chile–Peru Defence MoU", "mou", "signed")],
        ),
        (
            # "the agreement on the pipeline": the one named before.
            "Chile and Peru signed agreements on a gas pipeline project on Monday. The feasibility study of the "
            "agreement on the pipeline would be concluded by July.",
            [("Chile–Peru Gas Pipeline Project Agreement", "agreement", "signed")],
        ),
        (
            # Where it reaches is not what it covers.
            "Chile and Peru signed an agreement on a gas pipeline. The pact extends to Bolivia and Europe.",
            [("Chile–Peru Gas Pipeline Agreement", "agreement", "signed")],
        ),
    ],
)
def test_one_agreement_said_again_loosely_is_one(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chile and Peru signed several deals. A Declaration of Intent between Chile’s General Secretariat of "
            "the Government and the Peruvian Ministry of Justice aims to support the modernisation of Chile’s "
            "Official Printing Office.",
            "Chile–Peru Modernisation of Chile’s Official Printing Office Declaration of Intent",
        ),
        (
            "Chile and Peru signed deals. Their deputy ministers signed an MoU between the two ministries in the "
            "area of technical regulations, standardisation and accreditation.",
            "Chile–Peru Technical Regulations MoU",
        ),
        (
            # Two bodies by name, neither only a country: the MoU is theirs, between their two countries.
            "Chile and Peru signed deals. The ministers also signed an MoU aimed at strengthening cooperation "
            "between the Chilean Institute for Training, Research, and Diplomatic Studies and the Peruvian "
            "Diplomatic Academy.",
            "Chilean Institute for Training, Research, and Diplomatic Studies–Peruvian Diplomatic Academy MoU",
        ),
    ],
)
def test_instruments_between_ministries_and_institutions(text, expected):
    [finding] = find_entities(text, Vocabulary(), datetime.date(2026, 3, 1)).agreements
    assert (finding.name, finding.parties, finding.status) == (expected, ("Chile", "Peru"), "signed")


@pytest.mark.parametrize(
    "text",
    [
        "Related Stories The MoUs signed last year",
        "The signing of this important security-related agreement with Peru will promote peace.",
        "The two countries have signed more than 40 bilateral agreements since 1990.",
        "Chile and Peru signed the most significant agreement in the history of our two countries.",
        "Chile and Peru signed up to the plan, the two ministries said in a joint statement on Monday.",
    ],
)
def test_chrome_fragments_references_back_and_counts_are_no_new_agreement(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Bundeskanzlerin Lena Hartmann empfing die Gäste.", "Lena Hartmann", "Bundeskanzlerin"),
        ("Außerdem sprach Verkehrsministerin Petra Lindqvist.", "Petra Lindqvist", "Verkehrsministerin"),
        ("Le Ministre Karim Benali a signé.", "Karim Benali", "Ministre"),
    ],
)
def test_titles_in_other_languages_introduce_officials(text, name, role):
    [person] = find_entities(text, Vocabulary()).officials
    assert (person.name, person.role) == (name, role)


# Stories in other languages: written here in the shapes real pages use, with made-up details.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "O presidente do Chile e o presidente do Peru assinaram nesta terça-feira em Lima um memorando de "
            "entendimento sobre a cooperação no campo da pesca. O governo disse que os dois países vão crescer.",
            [("Chile–Peru Memorando de entendimento sobre a cooperação no campo da pesca", "mou", "signed")],
        ),
        (
            "Le Chili et le Pérou ont signé mardi à Lima une déclaration d’intention relative à la coopération "
            "dans le domaine du sport. Les deux pays sont des partenaires pour la paix et pour le commerce.",
            [
                (
                    "Chile–Peru Déclaration d’intention relative à la coopération dans le domaine du sport",
                    "letter_of_intent",
                    "signed",
                )
            ],
        ),
        (
            "Los ministros de Chile y Perú firmaron el lunes en Lima un acuerdo sobre la pesca artesanal. "
            "También dijo el gobierno que los dos países son socios para la paz y que el comercio crece.",
            [("Chile–Peru Acuerdo sobre la pesca artesanal", "agreement", "signed")],
        ),
        (
            "Chile und Peru haben am Montag in Lima ein Fischereiabkommen unterzeichnet. Die beiden Länder und "
            "die Regierungen sind sich in der Frage der Fischerei auch einig, sagte der Minister mit Nachdruck.",
            [("Chile–Peru Fischereiabkommen", "agreement", "signed")],
        ),
        (
            "Presiden Chile hari ini menandatangani perjanjian perikanan bersama Presiden Peru di Lima. "
            "Perjanjian itu adalah yang pertama dan akan memperkuat hubungan kedua negara dengan baik.",
            [("Chile–Peru Perjanjian perikanan", "agreement", "signed")],
        ),
    ],
)
def test_stories_in_other_languages_get_their_agreements_named_as_written(text, expected):
    assert readings(text) == expected


def test_a_list_under_a_line_that_says_they_were_signed_is_one_signing_each_line():
    text = (
        "O presidente do Chile e o presidente do Peru estiveram em Lima. Confira a lista dos atos assinados:\n"
        "Acordo sobre trocas de moedas locais\n"
        "Memorando de entendimento na área de medidas sanitárias\n"
        "Protocolo de monitoramento do plano de cooperação\n"
    )
    assert [(kind, status) for _name, kind, status in readings(text)] == [
        ("agreement", "signed"),
        ("mou", "signed"),
        ("protocol", "signed"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A signing still to come is no signing; a bare "o acordo" names nothing.
        "O ministro disse que o acordo será assinado em breve pelos dois países, que são parceiros antigos.",
        "Le ministre a rappelé que l'accord a été signé et que les deux pays sont des partenaires pour la paix.",
    ],
)
def test_a_bare_kind_or_a_signing_to_come_in_another_language_is_no_new_signing(text):
    assert [status for _name, _kind, status in readings(text)] in ([], ["announced"])


def test_an_english_story_is_read_with_english_words_even_when_it_quotes_another_language():
    text = (
        "Chile and Peru signed an MoU on fisheries in Lima on Monday. The minister called it, in Spanish, "
        "'un acuerdo histórico para la pesca', and said the two countries would work on it."
    )
    assert readings(text) == [("Chile–Peru Fisheries MoU", "mou", "signed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each instrument takes the verb of its own clause.
        (
            "Chile and Peru inked a currency swap agreement on Monday, and agreed to begin talks on an FTA.",
            [
                ("Chile–Peru Currency Swap", "currency_swap", "signed"),
                ("Chile–Peru Trade FTA", "fta", "negotiating"),
            ],
        ),
        # The parties may stand between the kind and what it covers.
        (
            "Chile and Peru signed a Memorandum of Understanding between the Government of the Republic of Chile "
            "and the Government of the Republic of Peru on fisheries cooperation.",
            [("Chile–Peru Fisheries Cooperation MoU", "mou", "signed")],
        ),
        # A short form in brackets after the long one is the same instrument, once.
        (
            "Chile and Peru launched negotiations for a Comprehensive Economic Partnership Agreement (CEPA).",
            [("Chile–Peru Trade CEPA", "cepa", "negotiating")],
        ),
        # Statements are issued, not signed; how long a plan runs and how much a swap is worth are not its subject.
        (
            "A Joint Statement on maritime cooperation was issued by Chile and Peru at the end of the visit.",
            [("Chile–Peru Maritime Joint Statement", "declaration", "signed")],
        ),
        (
            "Chile and Peru signed a 10-year strategic roadmap in Lima.",
            [("Chile–Peru Strategic Roadmap", "roadmap", "signed")],
        ),
        (
            "Chile and Peru inked a currency swap agreement to the tune of USD 400 million.",
            [("Chile–Peru Currency Swap", "currency_swap", "signed")],
        ),
        # A deal to buy covers what is bought.
        (
            "Chile and Peru inked a mega deal to procure 12 patrol boats at a cost of USD 90 million.",
            [("Chile–Peru Patrol Boats Contract", "contract", "signed")],
        ),
        (
            "Chile and Peru signed the first ever MoU on fisheries following talks between the two leaders.",
            [("Chile–Peru Fisheries MoU", "mou", "signed")],
        ),
    ],
)
def test_more_wordings_of_what_was_signed_and_what_it_covers(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title after the name and a comma, in lower case too, and in French.
        (
            "“The next step is near,” said Ana Rojas, Chile’s ambassador to Peru, in a post.",
            ("Ana Rojas", "Ambassador to Peru", "CL"),
        ),
        (
            "The terms were signed by Tomas Vidal, joint secretary in the Department of Commerce, on Friday.",
            ("Tomas Vidal", "Joint secretary in the Department of Commerce", None),
        ),
        (
            "La déclaration a été signée par Karim Benali El Idrissi, ministre de l’Industrie, à Rabat.",
            ("Karim Benali El Idrissi", "Ministre de l’Industrie", None),
        ),
        # A long name set off by commas is read whole.
        (
            "Under the same framework, Saif bin Rashid Hamad Khalifa Al Zaabi, Under-Secretary of the Ministry "
            "of Energy, signed the MoU.",
            ("Saif bin Rashid Hamad Khalifa Al Zaabi", "Under-Secretary of the Ministry of Energy", None),
        ),
        # A title before a comma, with or without words of address between.
        (
            "Peru’s Defence Minister, Julio Paredes, said patrols would start in May.",
            ("Julio Paredes", "Defence Minister", "PE"),
        ),
        (
            "At the visit of the Sultan of Oman, His Majesty Faisal bin Harith, trade was discussed.",
            ("Faisal bin Harith", "Sultan of Oman", "OM"),
        ),
    ],
)
def test_titles_set_off_by_commas_before_or_after_a_name(text, expected):
    [person] = find_entities(text, Vocabulary()).officials
    assert (person.name, person.role, person.country) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In Lima, Ana Rojas said the harbour would reopen.",  # a place before the comma is no title
        "The report, Jordan Smith, an analyst at a bank, said trade would grow.",
        "Last week, Pacific Fisheries, the company, said it would invest.",
    ],
)
def test_commas_around_a_name_without_an_office_make_no_official(text):
    assert find_entities(text, Vocabulary()).officials == ()


def test_a_headline_says_what_an_agreement_the_story_only_mentions_covers():
    headline = "Cabinet approves MoU between Chile and Peru in the field of Rural Development"
    body = "The Cabinet has approved signing of a Memorandum of Understanding (MoU) between Chile and Peru."
    findings = find_entities(body, Vocabulary(), datetime.date(2026, 3, 1), headline)
    assert [(f.name, f.status) for f in findings.agreements] == [("Chile–Peru Rural Development MoU", "announced")]
    # Without it, the story's own sentence says no more than "an MoU between the two", too little to file.
    assert find_entities(body, Vocabulary()).agreements == ()


def test_a_headline_that_repeats_the_story_adds_no_second_agreement():
    headline = "Chile, Peru Seal 10-Year Fisheries Framework"
    body = "Chile and Peru on Friday signed a landmark 10-year Fisheries Framework Agreement in Lima."
    findings = find_entities(body, Vocabulary(), datetime.date(2026, 3, 1), headline)
    assert [(f.name, f.kind) for f in findings.agreements] == [("Fisheries Framework Agreement", "framework")]


def test_a_list_under_a_heading_takes_what_the_story_said_of_the_agreements_before_it():
    text = (
        "O governo do Chile assinou com o Peru quase 20 acordos nesta terça-feira em Lima.\n\n"
        "O ministro disse que a visita foi um sucesso para os dois países e para a região.\n\n"
        "Veja os principais acordos:\n\n"
        "Acordo técnico sobre pesca artesanal (conhecido como Mar Aberto);\n\n"
        "Protocolo de monitoramento do plano de pesca;\n\n"
        "Memorando de entendimento na área de medidas sanitárias;\n"
    )
    assert readings(text) == [
        ("Chile–Peru Acordo técnico sobre pesca artesanal", "agreement", "signed"),
        ("Chile–Peru Protocolo de monitoramento do plano de pesca", "protocol", "signed"),
        ("Chile–Peru Memorando de entendimento na área de medidas sanitárias", "mou", "signed"),
    ]


def test_the_fta_a_story_names_otherwise_is_one_agreement():
    text = (
        "Chile and Peru signed the Chile-Peru Economic Cooperation and Trade Agreement (ECTA) in Lima on Monday. "
        "The FTA was signed after three years of talks, the two ministers said."
    )
    assert [name for name, _kind, _status in readings(text)] == [
        "Chile-Peru Economic Cooperation and Trade Agreement"
    ]


def test_a_name_made_only_of_kind_words_is_told_apart_by_its_parties():
    text = "Chile and Peru signed a Preferential Trade Agreement (PTA) in Lima on Monday."
    assert readings(text) == [("Chile–Peru Preferential Trade Agreement", "agreement", "signed")]


def test_people_between_whom_a_signing_took_place_are_not_its_parties():
    text = (
        "Chile and Peru signed an MoU on fisheries following talks between President Ana Rojas and Peru's leader."
    )
    [agreement] = find_entities(text, Vocabulary()).agreements
    assert agreement.parties == ("Chile", "Peru")


def test_a_name_with_a_link_word_before_its_kind_is_kept_whole():
    text = "The Trade and Economic Partnership Agreement (TEPA) between Chile and Peru was signed in March."
    # Made only of kind words, the name carries its parties.
    assert readings(text) == [("Chile–Peru Trade and Economic Partnership Agreement", "cepa", "signed")]


def test_what_an_agreement_just_read_holds_is_no_signing_of_its_own():
    text = (
        "Chile and Peru signed a landmark Fisheries Framework Agreement in Lima. It establishes a decade-long "
        "roadmap for joint patrols and research."
    )
    assert [name for name, _kind, _status in readings(text)] == ["Fisheries Framework Agreement"]


def test_a_trade_agreement_beside_the_one_the_story_names_is_that_one():
    text = (
        "A trade agreement between Chile and Peru will come into force in October. The Trade and Economic "
        "Partnership Agreement (TEPA) was signed in March last year."
    )
    assert [name for name, _kind, _status in readings(text)] == [
        "Chile–Peru Trade and Economic Partnership Agreement"
    ]


# Titles in the desk's other languages and words of address after a title (shapes seen in Indonesian,
# Turkish and Nigerian pages; the texts are written here).


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Menteri Luar Negeri Siti Rahayu mengatakan kesepakatan itu membuka peluang kerja.",
            "Siti Rahayu",
            "Menteri Luar Negeri",
        ),
        ("Dışişleri Bakanı Kemal Aydın ile görüştü.", "Kemal Aydın", "Dışişleri Bakanı"),
        ("Maliye Bakanı Selim Tunç açıklama yaptı.", "Selim Tunç", "Maliye Bakanı"),
    ],
)
def test_a_portfolio_in_another_language_is_the_title_not_the_start_of_the_name(text, name, role):
    (official,) = find_entities(text, Vocabulary([], [])).officials
    assert (official.name, official.role) == (name, role)


def test_a_turkish_case_ending_after_an_apostrophe_is_no_part_of_the_name():
    text = (
        "Cumhurbaşkanı Murat Yalçınkaya ziyarette bulundu. Bakan, Murat Yalçınkaya’la görüşmenin ardından "
        "Cumhurbaşkanı Murat Yalçınkaya'nın mesajını iletti."
    )
    assert official_names(find_entities(text, Vocabulary([], []))) == {"Murat Yalçınkaya"}


def test_an_english_possessive_and_a_kenyan_apostrophe_stay_as_they_were():
    text = "Cabinet Secretary Daniel Ng'ang'a met Defence Minister Joseph Mung'aro's deputy in Nairobi."
    assert official_names(find_entities(text, Vocabulary([], []))) == {"Daniel Ng'ang'a", "Joseph Mung'aro"}


@pytest.mark.parametrize(
    "text",
    [
        "Kenya's Minister of Trade, Ruth Wambui, and her Ugandan counterpart, Mr. Peter Okello, signed the MoU.",
        "The deal was signed by the Group General Manager of the KPC, Mr. Peter Okello, in Nairobi.",
    ],
)
def test_a_word_of_address_between_a_title_and_a_new_name_still_introduces_it(text):
    assert "Peter Okello" in official_names(find_entities(text, Vocabulary([], [])))


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "Chile's Foreign Minister Ana Rojas and her Peruvian counterpart Luis Vega signed a maritime search "
            "and rescue agreement in Lima on Tuesday.",
            "maritime search and rescue",
        ),
        ("Kenya and Uganda signed a water and sanitation agreement in Kampala on Monday.", "water and sanitation"),
    ],
)
def test_an_and_between_the_words_before_a_kind_stays_in_what_it_covers(text, subject):
    (agreement,) = find_entities(text, Vocabulary([], [])).agreements
    assert agreement.subject == subject


def test_the_joint_agreement_is_the_one_the_story_signed_not_another():
    text = (
        "Kenya and Uganda signed a defence agreement in Kampala on Monday. The Ugandan minister said the joint "
        "agreement was based on mutual respect, and both sides welcomed the joint agreement."
    )
    assert agreement_names(find_entities(text, Vocabulary([], []))) == {"Kenya–Uganda Defence Agreement"}


@pytest.mark.parametrize(
    "text",
    [
        # A photo caption in title case between paragraphs.
        "Kenya and Uganda sign an alliance vowing to defend each other in conflict\n\nWilliam Ruto and Yoweri "
        "Museveni Signing Defence Agreement\n\nThe agreement is the third major alliance signed by Kenya.",
        # A clause after the kind read as its name.
        "Le Sénégal et la Mauritanie ont signé trois accords. Un accord de coopération a également été signé à "
        "Dakar dans le domaine de la pêche.",
    ],
)
def test_no_agreement_is_named_by_a_caption_or_a_clause(text):
    for agreement in find_entities(text, Vocabulary([], [])).agreements:
        assert not {"Signing", "été", "également"} & set(agreement.name.split()), agreement.name
