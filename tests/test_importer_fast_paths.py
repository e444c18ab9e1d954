"""The importer's shortcuts find exactly what the plain way finds (no database).

Each shortcut skips work that a cheap look shows cannot change the result: positions found when asked for,
chrome patterns tried only on lines with their phrases, the signing pattern run only over the clauses with a
signing's verb. These tests hold each one against the plain way, on written cases and on generated text.
"""

import datetime
import re
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.ingest import agreements, entities, parsing
from articles.ingest.entities import KnownAgreement, KnownOfficial, Tokens, Vocabulary, find_entities
from articles.ingest.parsing import parse_text

# Text made of the pieces the tokeniser and the patterns care about, in any order.
PIECES = [
    *"abcdefghijk ABCDÉé12_.-'’–—,;:()\t\n\"?",
    *("of", "the", "al", "in", "bin", "’s", "'s", "O'Brien", "S.", "U.S.", "ı", "İ", "ſ", "K"),
    *("signed", "Inked", "concluded", "think", "co-signed", "resigned", "an MoU", "a pact", "was signed"),
    *("Memorandum of Understanding (MoU)", "treaty", "on defence", "between India and Morocco", "."),
]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join)
# The generated cases are the same on every run (derandomize), so that CI is repeatable.


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(texts)
def test_token_positions_found_when_asked_are_where_the_tokeniser_found_them(text):
    tokens = Tokens(text)
    where = [(match.group(), match.start(), match.end()) for match in entities.TOKEN.finditer(text)]
    assert [(tokens.texts[n], *tokens.span(n, n + 1)) for n in range(len(tokens))] == where


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(texts)
@example(". K Memorandum of Understanding (MoU)")  # the space after a full stop was a sentence of its own
def test_reading_only_the_sentences_with_an_instrument_finds_what_reading_every_sentence_finds(text):
    every_sentence = sorted({entities.sentence_around(text, at) for at in range(len(text))})
    plain = [reading for start, end in every_sentence for reading in agreements.read_sentence(text, start, end)]
    fast = [
        reading
        for start, end in entities._instrument_sentences(text)
        for reading in agreements.read_sentence(text, start, end)
    ]
    assert fast == plain


@pytest.mark.parametrize(
    "text",
    [
        "The talks went on; they were long. Later India and Kenya signed an MoU on health cooperation; done.",
        "India and Kenya met in Nairobi;signed an MoU on health cooperation.",
        "India and Kenya met in Nairobi.An MoU was signed on health cooperation",
    ],
)
def test_a_signing_after_other_sentences_and_clauses_is_found(text):
    findings = find_entities(text, Vocabulary(), datetime.date(2024, 3, 1))
    assert [(a.name, a.kind, a.subject) for a in findings.agreements] == [
        ("India–Kenya Health MoU", "mou", "health cooperation")
    ]


def test_letters_that_ignorecase_folds_unlike_lower_still_find_a_signing():
    # Since issue 10 no shortcut searches the lower-cased text; this holds the case-blind reading all the same.
    for verb in ("ınked", "İNKED", "ſigned"):
        findings = find_entities(f"India and Kenya {verb} an MoU on health.", Vocabulary(), None)
        assert [a.kind for a in findings.agreements] == ["mou"], verb


def test_a_known_name_is_found_across_a_dash_in_a_text_without_lower_case_words():
    vocabulary = Vocabulary(
        agreements=[KnownAgreement(7, "India–Morocco Defence MoU", (), "mou", ("India", "Morocco"))]
    )
    for text in ("India–Morocco Defence MoU", "India–Morocco Defence MoU was signed in Rabat"):
        assert [a.name for a in find_entities(text, vocabulary).agreements] == ["India–Morocco Defence MoU"], text


def test_the_word_cache_empties_when_full_and_words_stay_right(monkeypatch):
    monkeypatch.setattr(entities, "WORDS_KEPT", 3)
    entities._WORDS.clear()
    words = entities.words_of(["Rajnath", "Singh", "met", "Rajnath", "in", "Delhi"])
    assert [word.key for word in words] == ["rajnath", "singh", "met", "rajnath", "in", "delhi"]
    assert len(entities._WORDS) <= 3


def test_an_agreement_learnt_again_replaces_the_one_a_signing_is_matched_to():
    first = KnownAgreement(
        1, "India–Kenya Health MoU", (), "mou", ("India", "Kenya"), "health", datetime.date(2020, 1, 1)
    )
    vocabulary = Vocabulary(agreements=[first])
    moved = KnownAgreement(
        1, "India–Kenya Health MoU", (), "mou", ("India", "Kenya"), "health", datetime.date(2024, 3, 1)
    )
    vocabulary.add_agreement(moved)
    findings = find_entities("India and Kenya signed an MoU on health.", vocabulary, datetime.date(2024, 3, 10))
    assert [a.agreement for a in findings.agreements] == [moved]
    assert vocabulary.agreements == [moved]
    assert vocabulary.agreement_names == {"india–kenya health mou"}


def test_an_official_learnt_as_new_is_found_by_name_and_surname():
    vocabulary = Vocabulary()
    vocabulary.add_official(KnownOfficial(5, "Pete Hegseth", (), "US", "Secretary of Defense"))
    findings = find_entities("Pete Hegseth arrived. Hegseth said the talks went well.", vocabulary)
    assert [f.name for f in findings.officials] == ["Pete Hegseth"]


# --- Parsing ---------------------------------------------------------------------------------------------------


def test_chrome_that_may_stand_anywhere_in_its_line_is_still_dropped():
    text = (
        "Talks in Rabat went well and both sides signed.\n\n"
        "(This story has not been edited by our staff and is auto-generated from a syndicated feed.)\n\n"
        "Auto-generated from a syndicated news feed.\n\n"
        "© 2025 Example Media. All rights reserved.\n\n"
        "Example Media, all rights reserved."
    )
    assert parse_text(text).body == "Talks in Rabat went well and both sides signed."


def test_prose_with_a_chrome_word_in_it_stays():
    text = "The minister said all rights reserved for the states were kept, and the feed was edited later."
    assert parse_text(text).body == text


def test_chrome_glued_to_the_last_line_or_on_a_line_of_its_own_is_dropped():
    assert parse_text("Talks went well. Exit mobile version").body == "Talks went well."
    assert parse_text("Talks went well.\n\nExit Mobile Version\n").body == "Talks went well."
    assert parse_text("Exit mobile version talks went well.").body == "Exit mobile version talks went well."


def test_may_contain_is_true_wherever_ignorecase_would_find_the_phrase():
    for letter in string.ascii_letters:
        assert parsing.may_contain(f"x{letter}y", [f"x{letter.lower()}y"])
    for text, phrase in (("ſyndicated", "syndicated"), ("EDİTED", "edited"), ("edıted", "edited")):
        assert re.search(phrase, text, re.IGNORECASE)
        assert parsing.may_contain(text, [phrase]), text
    assert not parsing.may_contain("Talks went well.", ["syndicated "])
