"""Tests for the ISO country list and the country finder (pure Python, no database)."""

import re
from pathlib import Path

import pytest

from articles.ingest.countries import (
    CountryMention,
    all_countries,
    country_by_code,
    find_country_mentions,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def find_countries(text: str, **kwargs) -> list[str]:
    """The codes of the countries the text mentions, in order of first mention."""
    return list(dict.fromkeys(m.code for m in find_country_mentions(text, **kwargs)))


def _seed(prefix: str) -> str:
    """Return the text of the seed file whose name starts with prefix."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- the country list ---------------------------------------------------------------


def test_all_countries_lists_the_249_iso_countries_once_each():
    codes = [country.code for country in all_countries()]
    assert len(codes) == 249
    assert len(set(codes)) == 249


def test_every_slug_is_unique_and_url_safe():
    slugs = [country.slug for country in all_countries()]
    assert len(set(slugs)) == 249
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)


@pytest.mark.parametrize(
    ("code", "name", "slug"),
    [
        ("MA", "Morocco", "morocco"),
        ("US", "United States", "united-states"),
        ("GB", "United Kingdom", "united-kingdom"),
        ("RU", "Russia", "russia"),
        ("IR", "Iran", "iran"),
        ("KR", "South Korea", "south-korea"),
        ("VN", "Vietnam", "vietnam"),
        ("TR", "Türkiye", "turkiye"),
        ("CI", "Côte d'Ivoire", "cote-d-ivoire"),
        ("PS", "Palestine", "palestine"),
    ],
)
def test_country_by_code_gives_the_newsroom_name_and_slug(code, name, slug):
    country = country_by_code(code)
    assert (country.code, country.name, country.slug) == (code, name, slug)


def test_country_by_code_accepts_lower_case():
    assert country_by_code("ma").name == "Morocco"


def test_country_by_code_rejects_an_unknown_code():
    with pytest.raises(KeyError):
        country_by_code("XX")


def test_variants_hold_official_names_and_newsroom_short_forms():
    assert {"U.S.", "US", "USA", "America", "United States of America"} <= set(country_by_code("US").variants)
    assert {"UK", "Britain"} <= set(country_by_code("GB").variants)
    assert "Turkey" in country_by_code("TR").variants
    assert "Czech Republic" in country_by_code("CZ").variants
    assert "Kingdom of Morocco" in country_by_code("MA").variants


def test_iso_codes_from_countryinfo_are_not_variants():
    morocco = country_by_code("MA")
    assert "MA" not in morocco.variants
    assert "MAR" not in morocco.variants


def test_demonyms_are_adjective_forms():
    assert country_by_code("MA").demonyms == ("Moroccan",)
    assert "Indian" in country_by_code("IN").demonyms
    assert "American" in country_by_code("US").demonyms
    assert "British" in country_by_code("GB").demonyms
    assert "Israeli" in country_by_code("IL").demonyms


def test_a_shared_demonym_belongs_to_one_country_only():
    # countryinfo gives "Indian" to the British Indian Ocean Territory as well.
    assert "Indian" not in country_by_code("IO").demonyms
    assert "Dominican" not in country_by_code("DM").demonyms
    assert "Chinese" not in country_by_code("HK").demonyms


# --- the expected countries of the real seeds -----------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", {"IN", "MA"}),
        ("001", {"IN", "MA"}),
        ("002", {"MA", "IN", "US", "CN"}),
        ("003", {"IN", "IL"}),
        ("004", {"IN", "IT"}),
    ],
)
def test_seed_articles_name_exactly_their_countries(prefix, expected):
    assert set(find_countries(_seed(prefix))) == expected


def test_seed_002_finds_the_us_from_its_short_forms():
    found = {m.text for m in find_country_mentions(_seed("002")) if m.code == "US"}
    assert found == {"US", "America"}


def test_seed_003_does_not_count_israel_katz_as_the_country():
    text = _seed("003")
    katz = text.index("Israel Katz")
    assert all(m.start != katz for m in find_country_mentions(text))


# --- names, variants and demonyms -------------------------------------------------------


@pytest.mark.parametrize("text", ["U.S.", "US", "USA", "America", "American", "Americans"])
def test_united_states_short_forms_and_demonyms(text):
    assert find_countries(f"He met {text} officials.") == ["US"]


@pytest.mark.parametrize("text", ["UK", "U.K.", "Britain", "British", "United Kingdom"])
def test_united_kingdom_forms(text):
    assert find_countries(f"The {text} delegation arrived.") == ["GB"]


@pytest.mark.parametrize("text", ["Russia", "Russian", "Russian Federation"])
def test_russia_forms(text):
    assert find_countries(f"A {text} statement.") == ["RU"]


def test_south_and_north_korea_are_different_countries():
    assert find_countries("South Korea") == ["KR"]
    assert find_countries("North Korea") == ["KP"]
    assert find_countries("North Korean missiles") == ["KP"]


@pytest.mark.parametrize("text", ["Côte d'Ivoire", "Côte d’Ivoire", "Cote d'Ivoire", "Ivory Coast"])
def test_ivory_coast_in_every_spelling(text):
    assert find_countries(f"Talks with {text} resumed.") == ["CI"]


@pytest.mark.parametrize("text", ["Turkey", "Türkiye", "Turkish"])
def test_turkey_and_turkiye_are_one_country(text):
    assert find_countries(f"{text} officials") == ["TR"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kingdom of Morocco", "MA"),
        ("Republic of India", "IN"),
        ("State of Israel", "IL"),
        ("People's Republic of China", "CN"),
    ],
)
def test_official_long_names_are_one_mention_of_the_country(text, code):
    mentions = find_country_mentions(f"the {text} said")
    assert [(m.code, m.text) for m in mentions] == [(code, text)]


def test_secretary_of_state_is_not_a_country():
    assert find_countries("US Secretary of State Marco Rubio") == ["US"]
    assert find_countries("the Secretary of State in charge of Foreign Trade") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("his Moroccan counterpart", "MA"),
        ("Indian companies", "IN"),
        ("the Israeli Minister", "IL"),
        ("Chinese supply chains", "CN"),
        ("the Emirati minister", "AE"),
        ("the Saudi crown prince", "SA"),
    ],
)
def test_demonyms_identify_the_country(text, code):
    assert find_countries(text) == [code]


def test_plural_demonyms_count():
    assert find_countries("Indians and Moroccans and Israelis") == ["IN", "MA", "IL"]


def test_possessives_with_straight_and_curly_apostrophes_count():
    mentions = find_country_mentions("Morocco's ports and India’s mines")
    assert [(m.code, m.text) for m in mentions] == [("MA", "Morocco"), ("IN", "India")]


def test_each_side_of_a_hyphenated_pair_counts():
    assert find_countries("India-Italy talks") == ["IN", "IT"]
    assert find_countries("Morocco-India ties") == ["MA", "IN"]
    assert find_countries("India–Israel cooperation") == ["IN", "IL"]
    assert find_countries("the US-hosted meeting") == ["US"]


def test_lower_case_common_words_are_not_countries():
    assert find_countries("fine china and roast turkey with jordan almonds") == []


def test_words_that_contain_a_country_name_are_not_mentions():
    assert find_countries("Indiana and Omaha and Chadwick") == []


def test_short_iso_codes_are_not_matched_as_words():
    assert find_countries("IN THE MA PROGRAMME, IL MAR") == []


def test_us_dollar_prefix_is_a_currency_not_the_country():
    assert find_countries("a US$5 million loan") == []


def test_generic_regional_adjectives_are_not_countries():
    assert find_countries("Arab, African, European and Asian leaders") == []


def test_dominican_means_the_dominican_republic():
    assert find_countries("Dominican players") == ["DO"]


def test_congolese_means_dr_congo():
    assert find_countries("Congolese troops") == ["CD"]


def test_northern_ireland_is_the_uk_not_ireland():
    assert find_countries("Belfast, Northern Ireland") == ["GB"]


# --- longest match wins ---------------------------------------------------------------


def test_nigeria_is_not_niger():
    assert find_countries("Nigeria and Nigerian traders") == ["NG"]


def test_nigerien_is_niger():
    assert find_countries("Nigerien troops") == ["NE"]


def test_niger_alone_is_niger():
    assert find_countries("Niger's junta") == ["NE"]


def test_papua_new_guinea_is_not_guinea():
    assert find_countries("Papua New Guinea") == ["PG"]


def test_equatorial_guinea_and_guinea_bissau_are_not_guinea():
    assert find_countries("Equatorial Guinea and Guinea-Bissau") == ["GQ", "GW"]


def test_guinea_alone_is_guinea():
    assert find_countries("Guinea's capital Conakry") == ["GN"]


def test_south_sudan_is_not_sudan():
    assert find_countries("South Sudan") == ["SS"]


def test_dominican_republic_is_not_dominica():
    assert find_countries("Dominican Republic") == ["DO"]
    assert find_countries("Dominica") == ["DM"]


def test_mention_spans_cover_the_whole_longest_name():
    (mention,) = find_country_mentions("in Papua New Guinea.")
    assert mention == CountryMention("PG", 3, 19, "Papua New Guinea")


# --- phrases that are not countries -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the Indian Ocean",
        "the Western Indian Ocean Region",
        "New Mexico",
        "New Jersey",
        "New England",
        "New South Wales",
        "British Columbia",
        "Latin America",
        "the Indian Premier League",
        "an American Express card",
        "the South China Sea",
    ],
)
def test_places_and_institutions_named_after_a_country_are_not_countries(text):
    assert find_countries(text) == []


# --- Georgia, the state and the country ---------------------------------------------


@pytest.mark.parametrize("text", ["He flew to Atlanta, Georgia, on Monday.", "Savannah, Georgia"])
def test_place_comma_georgia_is_the_us_state(text):
    assert "GE" not in find_countries(text)


def test_state_of_georgia_is_the_us_state():
    assert find_countries("the state of Georgia") == []


@pytest.mark.parametrize(
    "text",
    ["Georgia's prime minister", "the Georgian government", "Armenia, Georgia and Azerbaijan"],
)
def test_georgia_the_country(text):
    assert "GE" in find_countries(text)


def test_capital_comma_georgia_is_the_country():
    assert find_countries("Tbilisi, Georgia") == ["GE"]


def test_sentence_opener_comma_georgia_is_the_country():
    assert find_countries("However, Georgia rejected the plan.") == ["GE"]


# --- country names that are given names ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Israel Katz said", "drummer Chad Smith said", "Jordan Peterson wrote", "singer India Arie said"],
)
def test_a_given_name_followed_by_a_surname_is_a_person(text):
    assert find_countries(text) == []


def test_a_given_name_before_an_institution_word_is_the_country():
    assert find_countries("the Israel Defense Forces said") == ["IL"]
    assert find_countries("he visited Israel Monday") == ["IL"]


def test_a_given_name_at_the_end_of_a_line_is_the_country():
    assert find_countries("ties with Israel\nThe ministry said") == ["IL"]


def test_given_name_rule_is_off_in_title_case_headlines():
    headline = "Morocco, India Strengthen Ties on Sidelines of US Critical Minerals Summit"
    assert find_countries(headline) == ["MA", "IN", "US"]


# --- skip_spans and extra_names ---------------------------------------------------------


def test_skip_spans_exclude_mentions_claimed_by_other_entities():
    text = "Jordan Smith of India met officials from Jordan."
    first = text.index("India")
    assert find_countries(text, skip_spans=[(first, first + len("India"))]) == ["JO"]


def test_a_skip_span_that_only_overlaps_a_name_excludes_it():
    assert find_countries("South Sudan", skip_spans=[(8, 9)]) == []


def test_extra_names_are_matched_like_variants():
    text = "The Sharifian Kingdom and Hexagon officials met in the Hexagon's capital."
    mentions = find_country_mentions(text, extra_names={"Sharifian Kingdom": "MA", "Hexagon": "fr"})
    assert [(m.code, m.text) for m in mentions] == [
        ("MA", "Sharifian Kingdom"),
        ("FR", "Hexagon"),
        ("FR", "Hexagon"),
    ]


def test_extra_names_do_not_leak_into_later_calls():
    find_countries("Hexagon", extra_names={"Hexagon": "FR"})
    assert find_countries("Hexagon") == []


# --- results --------------------------------------------------------------------------


def test_mentions_keep_the_original_text_and_offsets():
    text = "India’s ties with the U.S. grew."
    mentions = find_country_mentions(text)
    assert [(m.code, m.text) for m in mentions] == [("IN", "India"), ("US", "U.S.")]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_find_countries_lists_each_code_once_in_order_of_first_mention():
    assert find_countries("India, Morocco, India and then Indian and Moroccan firms") == ["IN", "MA"]


def test_once_a_story_names_the_us_state_georgia_every_georgia_in_it_is_the_state():
    text = (
        "Georgia Governor Brian Kemp met the delegation in Atlanta, Georgia. "
        "Indian firms praised Georgia's economy."
    )
    assert find_countries(text) == ["IN"]


def test_a_given_name_country_joined_to_another_country_is_a_country():
    assert find_countries("The India-Israel Bilateral Investment Treaty was signed.") == ["IN", "IL"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Deutschland und Polen unterzeichneten ein Abkommen.", {"DE", "PL"}),
        ("Le Maroc et la France ont signé une déclaration.", {"MA", "FR"}),
        ("O Brasil e a China assinaram acordos.", {"BR", "CN"}),
        ("Maurice Okafor spoke in Lagos, Nigeria.", {"NG"}),  # a translated name that is a given name in English
        # Scripts with spaces between words, their names as written there.
        ("भारत और जापान ने समझौते पर हस्ताक्षर किए।", {"IN", "JP"}),
        ("وقعت مصر و اليونان اتفاقية", {"EG", "GR"}),
        # Their names' ASCII spellings are no country: "mSr" is Egypt's only in Arabic script.
        ("The mSr and bhaart accounts were closed.", set()),
    ],
)
def test_a_story_in_another_language_gets_its_countries(text, codes):
    assert {mention.code for mention in find_country_mentions(text)} == codes
