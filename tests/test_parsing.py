"""Tests for articles.ingest.parsing: decoding, normalising and field extraction (no database)."""

import datetime
import io
import random
from pathlib import Path

import pytest

from articles.ingest.parsing import (
    MAX_FILE_BYTES,
    ParseError,
    content_key,
    is_ticker,
    normalise,
    parse_article,
    parse_text,
    read_limited,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LONG_SENTENCE = (
    "The foreign ministers of the two kingdoms agreed on Tuesday to open three new consulates, "
    "expand student exchanges and double direct flights before the end of the decade."
)


def parse_seed(prefix: str):
    """Parse the seed file whose name starts with prefix."""
    return parse_article(next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes())


def article_with(*paragraphs: str) -> str:
    """Join paragraphs the way a plain-text news file does."""
    return "\n\n".join(paragraphs) + "\n"


# --- Seeds -------------------------------------------------------------------------------------
def test_seed_000_yields_date_dateline_and_a_headline_cut_from_the_first_sentence():
    article = parse_seed("000")
    assert article.published_on == datetime.date(2025, 9, 22)
    assert article.dateline == "Rabat"
    assert article.source == ""
    assert article.headline.startswith(
        "Defence Minister Rajnath Singh and Morocco's Defence Minister Abdeltif Loudiyi held a bilateral meeting"
    )
    # Cut where a clause ends (before "in Rabat"), with no "…" (issue 10: derived headlines read as clauses).
    assert article.headline == (
        "Defence Minister Rajnath Singh and Morocco's Defence Minister Abdeltif Loudiyi held a bilateral meeting"
    )
    assert article.body.startswith("Defence Minister Rajnath Singh and Morocco's")
    assert article.warnings == ()


def test_seed_001_yields_date_and_two_word_dateline():
    article = parse_seed("001")
    assert article.published_on == datetime.date(2025, 9, 24)
    assert article.dateline == "New Delhi"
    assert article.body.startswith("Union Minister of State for External Affairs")


def test_seed_001_keeps_abbreviations_inside_the_body():
    assert "Delighted to meet H.E. Mr Omar Hejira" in parse_seed("001").body


def test_seed_002_takes_the_headline_line_and_drops_the_site_chrome():
    article = parse_seed("002")
    assert article.headline == "Morocco, India Strengthen Ties on Sidelines of US Critical Minerals Summit"
    assert article.source == "21stNews"
    assert article.dateline == "Marrakech"
    assert article.published_on is None
    assert article.body.startswith("Foreign Minister Nasser Bourita met with")
    for chrome in ("Site icon", "Exit mobile version", "Read also", "Strengthen Ties on Sidelines"):
        assert chrome not in article.body
    assert article.body.endswith("King Mohammed VI’s 2015 visit to India.")


def test_seed_003_has_no_dateline_and_single_blank_lines_between_paragraphs():
    article = parse_seed("003")
    assert article.published_on == datetime.date(2025, 11, 5)
    assert article.dateline == ""
    assert article.body.startswith("India and Israel have reaffirmed")
    assert "\n\n\n" not in article.body
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 13
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in paragraphs)


def test_seed_003_takes_the_source_from_the_based_on_report_line():
    article = parse_seed("003")
    assert article.source == "ANI"
    assert "Based On" not in article.body


def test_seed_004_takes_the_closing_agency_line_as_source():
    article = parse_seed("004")
    assert article.published_on == datetime.date(2025, 4, 16)
    assert article.source == "ANI"
    assert article.dateline == ""
    assert not article.body.endswith("ANI")
    assert article.body.endswith("mutual growth in the defence sector.")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_raw_text_is_the_decoded_file_unchanged(prefix):
    raw = next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes().decode("utf-8")
    assert parse_seed(prefix).raw_text == raw


# --- Decoding ----------------------------------------------------------------------------------
def test_utf8_is_decoded_without_warnings():
    article = parse_article("Café in Rabat – “quoted”.".encode())
    assert (article.body, article.raw_text, article.warnings) == ("Café in Rabat – “quoted”.",) * 2 + ((),)


def test_utf8_bom_is_dropped_from_text_and_raw_text():
    article = parse_article(b"\xef\xbb\xbfRabat talks went well.\n")
    assert article.body == "Rabat talks went well."
    assert not article.raw_text.startswith("\ufeff")
    assert article.warnings == ()  # read as UTF-8


def test_windows_1252_is_decoded_with_a_warning():
    article = parse_article(b"\x93quoted\x94 caf\xe9")
    assert article.body == "“quoted” café"
    assert article.warnings == ("decoded as Windows-1252",)


def test_windows_1252_warning_reaches_the_parsed_article():
    article = parse_article(b"The caf\xe9 reopened on Monday.\n")
    assert article.body == "The café reopened on Monday."
    assert "decoded as Windows-1252" in article.warnings


def test_crlf_and_lone_cr_line_endings_become_lf():
    expected = parse_text("Rabat talks.\n\nSecond paragraph.\n").body
    assert parse_article(b"Rabat talks.\r\n\r\nSecond paragraph.\r\n").body == expected
    assert parse_article(b"Rabat talks.\r\rSecond paragraph.\r").body == expected
    assert expected == "Rabat talks.\n\nSecond paragraph."


def test_raw_text_keeps_the_text_exactly_as_received():
    text = "Rabat talks.\r\n\r\n\r\n\r\nSecond  paragraph.   \r\n"
    assert parse_text(text).raw_text == text


@pytest.mark.parametrize("data", [b"", b"   ", b" \n\t\r\n\xc2\xa0\n"])
def test_empty_or_whitespace_only_file_is_refused(data):
    with pytest.raises(ParseError, match="file is empty"):
        parse_article(data)


def test_file_with_only_site_chrome_is_refused():
    data = b"Site icon 21stNews\n\nSkip to content\nAdvertisement\n\nExit mobile version"
    with pytest.raises(ParseError, match="no article text after removing site chrome"):
        parse_article(data)


def test_file_with_only_a_date_marker_is_refused():
    with pytest.raises(ParseError, match="no article text"):
        parse_article(b" date 2025-09-22 \n\n\n")


def test_nul_bytes_are_refused_as_binary():
    with pytest.raises(ParseError, match="binary"):
        parse_article(b"Rabat talks\x00\x00 went well.")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)),
        bytes(range(1, 256)),
        # Random bytes that Windows-1252 can decode, so only the text check can refuse them.
        bytes(byte for byte in random.Random(7).randbytes(4000) if byte not in b"\x00\x81\x8d\x8f\x90\x9d"),
    ],
    ids=["all-bytes", "all-bytes-but-nul", "random-cp1252-decodable"],
)
def test_random_bytes_are_refused(data):
    with pytest.raises(ParseError, match="not text|binary"):
        parse_article(data)


def test_printable_random_bytes_are_refused_because_no_encoding_reads_them_as_text():
    # No control characters and every byte decodable as cp1252: only the detector can tell.
    noise = random.Random(11).randbytes(4000)
    data = bytes(byte for byte in noise if byte >= 0x20 and byte not in b"\x7f\x81\x8d\x8f\x90\x9d")
    with pytest.raises(ParseError, match="no text encoding fits it"):
        parse_article(data)


def test_text_that_is_mostly_control_characters_is_refused():
    with pytest.raises(ParseError, match="control characters"):
        parse_article(bytes(range(1, 9)) * 50 + b"some words")


def test_utf16_file_is_refused_with_advice():
    with pytest.raises(ParseError, match="UTF-16"):
        parse_article("Rabat talks".encode("utf-16"))


def test_parse_error_is_a_value_error_with_a_one_line_reason():
    with pytest.raises(ValueError) as caught:
        parse_article(b"\x00")
    assert "\n" not in str(caught.value)


# --- Size limit --------------------------------------------------------------------------------
class CountingStream(io.BytesIO):
    """A binary stream that counts the bytes handed out."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


class TrickleStream(io.RawIOBase):
    """A stream that returns at most 1000 bytes per read, like some upload handlers."""

    def __init__(self, data: bytes):
        self._source = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._source.read(min(size, 1000) if size >= 0 else 1000)


def test_read_limited_refuses_a_file_one_byte_over_the_limit():
    with pytest.raises(ParseError, match="file is larger than 2 MiB"):
        read_limited(io.BytesIO(b"a" * (MAX_FILE_BYTES + 1)))


def test_read_limited_stops_reading_just_past_the_limit():
    stream = CountingStream(b"a" * (MAX_FILE_BYTES * 3))
    with pytest.raises(ParseError):
        read_limited(stream)
    assert stream.bytes_read == MAX_FILE_BYTES + 1


def test_read_limited_accepts_a_file_exactly_at_the_limit():
    assert len(read_limited(io.BytesIO(b"a" * MAX_FILE_BYTES))) == MAX_FILE_BYTES


def test_read_limited_gathers_short_reads():
    assert read_limited(TrickleStream(b"b" * 5000), limit=10_000) == b"b" * 5000
    with pytest.raises(ParseError, match="larger than"):
        read_limited(TrickleStream(b"b" * 5000), limit=4000)


def test_parse_article_refuses_oversized_bytes():
    with pytest.raises(ParseError, match="larger than 2 MiB"):
        parse_article(b"word " * (MAX_FILE_BYTES // 5 + 1))


# --- Normalising and content keys --------------------------------------------------------------
def test_normalise_turns_odd_spaces_into_plain_spaces_and_drops_invisible_characters():
    text = "Rabat\u00a0talks\u202fwent\u2007well\tand\u200b the\ufeff end  \n"
    assert normalise(text) == "Rabat talks went well and the end"


def test_normalise_collapses_blank_line_runs_but_keeps_paragraphs():
    assert normalise("One.\n\n\n\n\nTwo.\n \n\t\nThree.\n\n\n") == "One.\n\nTwo.\n\nThree."


def test_normalise_composes_unicode_to_nfc():
    assert normalise("Cafe\u0301") == "Caf\u00e9"


def test_content_key_ignores_line_endings_bom_and_trailing_spaces():
    plain = "Rabat talks.\n\nSecond paragraph.\n"
    variants = [
        plain.replace("\n", "\r\n"),
        plain.replace("\n", "\r"),
        "\ufeff" + plain,
        "Rabat talks.   \n\n\n\nSecond paragraph.\t\n\n",
    ]
    assert {content_key(variant) for variant in variants} == {content_key(plain)}
    assert len(content_key(plain)) == 64


def test_content_key_changes_when_the_text_changes():
    assert content_key("Rabat talks.\n") != content_key("Rabat talks!\n")
    assert content_key("Rabat talks.\n") != content_key("Rabat  talks.\n\nMore.")


def test_the_text_read_is_normalised():
    assert parse_article(b"Line one.  \r\n\r\n\r\nLine two.\r\n").body == "Line one.\n\nLine two."


# --- Date marker -------------------------------------------------------------------------------
def test_missing_date_marker_leaves_published_on_empty_without_warnings():
    article = parse_text("Rabat talks went well on Monday.\n")
    assert article.published_on is None
    assert article.warnings == ()


def test_date_marker_is_tolerant_of_case_and_whitespace():
    article = parse_text("\n\n   DATE:  2024-02-29   \n\nThe talks went well.\n")
    assert article.published_on == datetime.date(2024, 2, 29)
    assert article.body == "The talks went well."


def test_malformed_date_gives_a_warning_not_a_crash():
    article = parse_text(" date 2025-02-30 The talks went well.\n")
    assert article.published_on is None
    assert any("2025-02-30" in warning for warning in article.warnings)
    assert article.body == "The talks went well."


def test_text_after_the_date_marker_is_body_text():
    article = parse_text(" date 2025-01-02 The talks went well.\n\nMore followed.\n")
    assert article.body == "The talks went well.\n\nMore followed."


def test_a_year_after_the_word_date_is_not_a_marker():
    article = parse_text("Date 2025 will be remembered in Rabat.\n")
    assert article.warnings == ()
    assert article.body == "Date 2025 will be remembered in Rabat."


def test_a_body_that_starts_with_the_word_date_is_not_a_marker():
    article = parse_text("Date palms grow well in Marrakech.\n")
    assert article.published_on is None
    assert article.body == "Date palms grow well in Marrakech."


# --- Dateline ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("paragraph", "place", "source"),
    [
        ("Rabat [Morocco], September 22 : The ministers met.", "Rabat", ""),
        ("New Delhi, Sep 24 The ministers met.", "New Delhi", ""),
        ("New Delhi [India], February 6 (ANI): The ministers met.", "New Delhi", "ANI"),
        ("Marrakech – The ministers met.", "Marrakech", ""),
        ("Marrakech — The ministers met.", "Marrakech", ""),
        ("WASHINGTON (Reuters) - The ministers met.", "Washington", "Reuters"),
        ("LONDON, Jan 5 (AFP) — The ministers met.", "London", "AFP"),
        ("RIO DE JANEIRO, March 3, 2025 (Reuters) - The ministers met.", "Rio de Janeiro", "Reuters"),
        ("New Delhi: The ministers met.", "New Delhi", ""),
    ],
)
def test_dateline_variants_give_the_place_and_are_stripped_from_the_body(paragraph, place, source):
    article = parse_text(paragraph + "\n\nA second paragraph.\n")
    assert article.dateline == place
    assert article.source == source
    assert article.body == "The ministers met.\n\nA second paragraph."


@pytest.mark.parametrize(
    "paragraph",
    [
        "India and Israel have reaffirmed their partnership.",
        "Defence Secretary Rajesh Kumar Singh undertook an official visit to Rome.",
        "Prime Minister Narendra Modi – who arrived on Monday – met the king.",
        "Rajnath Singh — the defence minister — met his counterpart.",
        "Tata Advanced Systems (TASL) opened a plant in Berrechid.",
        "On Monday, Singh met Mezzour in Rabat.",
        "Note: this story was updated.",
        "India–Morocco ties deepen as trade grows.",
    ],
)
def test_a_sentence_that_starts_with_capitalised_words_is_not_a_dateline(paragraph):
    article = parse_text(paragraph + "\n")
    assert article.dateline == ""
    assert article.body == paragraph


def test_a_dateline_on_its_own_line_is_not_taken_for_a_headline():
    article = parse_text("NEW DELHI, Sep 24 (PTI)\n\nThe ministers met on Wednesday.\n")
    assert article.dateline == "New Delhi"
    assert article.source == "PTI"
    assert article.headline == "The ministers met on Wednesday"
    assert article.body == "The ministers met on Wednesday."


def test_a_short_first_line_that_starts_with_a_dateline_is_not_a_headline():
    article = parse_text("WASHINGTON (Reuters) - Talks go on\n\nThe ministers met again.\n")
    assert article.dateline == "Washington"
    assert article.body == "Talks go on\n\nThe ministers met again."


# --- Headline ----------------------------------------------------------------------------------
def test_made_up_headline_is_cut_where_a_clause_ends_under_110_characters():
    headline = parse_text(LONG_SENTENCE + "\n").headline
    assert len(headline) <= 110
    assert LONG_SENTENCE.startswith(headline)
    assert not headline.endswith(("…", ",", " and", " the"))
    # The cut is at a phrase boundary: the next words open a phrase or follow a punctuation mark.
    following = LONG_SENTENCE[len(headline) :]
    assert following.startswith((",", " in ", " on ", " to ", " and ", " with ", " for ", " at ", " of ")), (
        following
    )


def test_a_sentence_with_no_phrase_boundary_is_cut_at_a_word_with_an_ellipsis():
    sentence = "Ministers " + " ".join(["Anandakrishnamurthyswaminathan"] * 6) + " agreed."
    headline = parse_text(sentence + "\n").headline
    assert headline.endswith("…")
    assert sentence.startswith(headline.removesuffix("…"))
    assert len(headline) <= 111


def test_short_first_sentence_becomes_the_headline_without_final_punctuation():
    article = parse_text("Morocco and India sign a defence pact. Details follow later.\n")
    assert article.headline == "Morocco and India sign a defence pact"


def test_headline_sentence_split_skips_abbreviations_and_initials():
    text = "Mr. Singh met S. Jaishankar and Dr. Rao in the U.S. on Monday. They talked.\n"
    assert parse_text(text).headline == "Mr. Singh met S. Jaishankar and Dr. Rao in the U.S. on Monday"


def test_explicit_headline_line_is_used_and_not_repeated_in_the_body():
    title = "Morocco Opens Consulate in Mumbai"
    article = parse_text(article_with(title, "The kingdom opened it on Monday."))
    assert article.headline == title
    assert article.body == "The kingdom opened it on Monday."


def test_headline_line_repeated_as_first_paragraph_is_dropped_once():
    title = "Morocco Opens Consulate in Mumbai"
    article = parse_text(article_with(title, title, "The kingdom opened it on Monday."))
    assert article.body == "The kingdom opened it on Monday."


def test_headline_line_with_a_colon_is_a_headline_not_a_dateline():
    title = "Rubio: Morocco Plays Key Role in Minerals"
    article = parse_text(article_with(title, "Marrakech – The ministers met."))
    assert article.headline == title
    assert article.dateline == "Marrakech"
    assert article.body == "The ministers met."


def test_a_first_paragraph_ending_in_a_period_is_not_a_headline_line():
    article = parse_text(article_with("The kingdom opened a consulate.", "More followed."))
    assert article.body == "The kingdom opened a consulate.\n\nMore followed."
    assert article.headline == "The kingdom opened a consulate"


# --- Source ------------------------------------------------------------------------------------
@pytest.mark.parametrize("closing", ["ANI", "PTI", "IANS", "Reuters", "AFP", "AP", "(ANI)", "— Reuters"])
def test_closing_agency_line_becomes_the_source_and_leaves_the_body(closing):
    article = parse_text(article_with("The ministers met.", closing))
    assert article.source == closing.strip("()— ")
    assert article.body == "The ministers met."


def test_unknown_short_all_caps_closing_token_is_accepted_as_source():
    article = parse_text(article_with("The ministers met.", "MWN"))
    assert article.source == "MWN"
    assert article.body == "The ministers met."


def test_closing_wire_end_marker_is_not_a_source():
    article = parse_text(article_with("The ministers met.", "ENDS"))
    assert article.source == ""
    assert article.body == "The ministers met."


def test_closing_ordinary_word_stays_in_the_body():
    article = parse_text(article_with("The ministers met.", "Morocco"))
    assert article.source == ""
    assert article.body.endswith("Morocco")


def test_agency_credit_beats_the_site_name():
    text = article_with("Site icon 21stNews", "New Delhi, Feb 6 (ANI): The ministers met.")
    assert parse_text(text).source == "ANI"


def test_generic_agency_credit_names_no_source():
    article = parse_text(article_with("The ministers met.", "(With inputs from agencies)"))
    assert article.source == ""
    assert article.body == "The ministers met."


# --- Site chrome -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "chrome",
    [
        "Skip to content",
        "Share this:",
        "Follow us on Twitter and Facebook",
        "Advertisement",
        "Subscribe to our newsletter",
        "Read more: Morocco and India sign MoU",
        "Also read: Rubio praises Morocco",
        "Read also: Marco Rubio: Morocco Plays ‘Key Role’",
        "(This story has not been edited by Devdiscourse staff and is auto-generated from a syndicated feed.)",
        "Exit mobile version",
        "By Staff Reporter",
        "By Jane Okafor and Lars Holm",
        "Skip to navigationSkip to contentSkip to footerHelp using this website",
        "Share this @example-news.com",
    ],
)
def test_site_chrome_lines_are_removed_from_the_body(chrome):
    article = parse_text(article_with("The ministers met.", chrome, "Trade grew."))
    assert article.body == "The ministers met.\n\nTrade grew."


@pytest.mark.parametrize(
    "sentence",
    [
        "By Monday, the ministers had agreed on a roadmap.",
        "Subscribers to the service rose by a third.",
        "Advertisement spending in Morocco rose by a fifth.",
        "Based on these reports the army moved north.",
    ],
)
def test_sentences_that_merely_start_like_chrome_stay_in_the_body(sentence):
    article = parse_text(article_with("The ministers met.", sentence))
    assert article.body == f"The ministers met.\n\n{sentence}"


def test_chrome_glued_to_the_end_of_the_last_line_is_removed():
    article = parse_text("The ministers met.\n\nTrade grew. Exit mobile version")
    assert article.body == "The ministers met.\n\nTrade grew."


def test_whitespace_inside_a_paragraph_is_collapsed():
    article = parse_text("The   ministers\nmet\t on\u00a0Monday.\n\n\n\nTrade  grew.\n")
    assert article.body == "The ministers met on Monday.\n\nTrade grew."


def test_wire_reporting_credits_are_removed_from_the_body():
    parsed = parse_text(
        " date 2026-03-14 NEW DELHI, March 14 (Reuters) - India and France signed a deal.\n\n"
        "(Reporting by Shivam Patel; Editing by Kim Coghill)\n"
    )
    assert parsed.body == "India and France signed a deal."
    assert parsed.source == "Reuters"


# --- The story's own date, in the shapes pages show it (issue 10) --------------------------------------------
PROSE = (
    "The two governments agreed on Monday to expand cooperation in trade, defence and energy, officials said "
    "after the talks, which ran for most of the day in the capital and ended with a joint statement."
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated : 07:40 PM Mar 3, 2025 IST", datetime.date(2025, 3, 3)),
        ("Published 12 May 2024", datetime.date(2024, 5, 12)),
        ("Posted: 2024-05-12 09:30", datetime.date(2024, 5, 12)),
        ("Posted On: 02 JUN 2024 5:06PM by the press office", datetime.date(2024, 6, 2)),
        ("4 Nov 2025", datetime.date(2025, 11, 4)),
        ("March 3, 2025", datetime.date(2025, 3, 3)),
        ("By Jane Doe | Monday, 22 September 2025 | 3 min read", datetime.date(2025, 9, 22)),
    ],
)
def test_a_date_shown_above_the_story_is_its_date(line, expected):
    article = parse_text(f"Ministers meet in the capital\n{line}\n\n{PROSE}\n")
    assert article.published_on == expected
    assert line not in article.body


def test_a_menu_headline_and_byline_run_together_give_the_headline_and_leave_the_body_clean():
    text = (
        "Skip to content\nMenu\nHome | World | Asia | Business\nIndia and Morocco sign a defence pact\n"
        "By Staff Reporter\nMarch 3, 2025\n\nRabat – " + PROSE + "\n"
    )
    article = parse_text(text)
    assert article.headline == "India and Morocco sign a defence pact"
    assert article.dateline == "Rabat"
    assert article.published_on == datetime.date(2025, 3, 3)
    assert article.body == PROSE
    for word in ("Menu", "Home", "Asia", "Skip"):
        assert word not in article.headline + article.body


def test_a_headline_line_with_its_first_paragraph_on_the_very_next_line_stands_alone():
    article = parse_text(f"Chile and Peru Nearing Fisheries Pact\nChile and Peru are close to a deal. {PROSE}\n")
    assert article.headline == "Chile and Peru Nearing Fisheries Pact"
    assert article.body.startswith("Chile and Peru are close to a deal.")


def test_a_byline_after_the_date_marker_is_no_headline():
    text = f" date 2025-12-05 By Jane Okafor and Lars Holm\n\nChile and Peru sign fisheries deals\n\n{PROSE}\n"
    article = parse_text(text)
    assert (article.headline, article.published_on) == (
        "Chile and Peru sign fisheries deals",
        datetime.date(2025, 12, 5),
    )
    assert "Okafor" not in article.body


def test_a_published_label_beats_an_updated_label_and_a_dateline():
    text = f"Updated: May 14, 2024\nPublished: May 12, 2024\n\nHanoi, May 13 (Reuters) - {PROSE} 2024.\n"
    assert parse_text(text).published_on == datetime.date(2024, 5, 12)


def test_a_dateline_without_a_year_takes_the_latest_year_the_text_names():
    text = f"Hanoi, May 12 (Reuters) - {PROSE} The pact of 2021 was renewed in 2024, for use until 2090.\n"
    assert parse_text(text).published_on == datetime.date(2024, 5, 12)


def test_a_date_the_story_merely_mentions_is_not_its_date():
    text = f"{PROSE}\n\nThe pact was signed on June 2, 2021.\n\nMarch 3, 2022\n"
    assert parse_text(text).published_on is None


def test_the_date_marker_beats_every_other_date():
    text = f" date 2025-09-22 Published 12 May 2024\n\n{PROSE}\n"
    assert parse_text(text).published_on == datetime.date(2025, 9, 22)


def test_an_impossible_date_is_no_date():
    assert parse_text(f"Published: February 30, 2024\n\n{PROSE}\n").published_on is None


STORY = "Chile and Peru signed a fisheries accord in Lima on Monday, the ministry said in a statement."


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # A label after a byline, in the desk's other languages, and numbers read day first.
        ("Lima Post\n\nFisheries pact signed\nReuters | Lima | Updated: 04-07-2024 16:31 IST\n", (2024, 7, 4)),
        (
            "Pacto pesquero firmado\nPor Ana Ruiz, en Lima 13/05/2025 - 09h23 (Actualizado el 14/05/2025)\n",
            (2025, 5, 14),
        ),
        ("Fisheries pact signed\nAtualizado em 13.05.2025 09h25\n", (2025, 5, 13)),
        # United States time zones write the month first.
        ("Fisheries pact signed\n\n07/10/2021 | 04:38am EDT\n", (2021, 7, 10)),
        # A credit line in brackets and a timestamp with its clock time stand anywhere in the story.
        (f"Fisheries pact signed\n\n{STORY}\n\n[Andes News Service/01.11.2025]\n", (2025, 11, 1)),
        (f"Fisheries pact signed\n\n{STORY}\n\n| @andesnews | Apr 05, 2025, at 03:36 pm\n", (2025, 4, 5)),
        # The site's own clock at the top of the page says when it was fetched, not written.
        (
            "February 05, 2026 12:58 pm (IST)\nMenu\n\nFisheries pact signed\n\n| | Jul 05, 2016, at 11:48 pm\n",
            (2016, 7, 5),
        ),
        ("Lima Post\nMonday, December 23, 2024 | 02:02 AM IST\n\nFisheries pact signed\n", None),
    ],
)
def test_the_dates_pages_show_in_their_heads_bylines_and_credits(head, expected):
    article = parse_text(head + "\n" + STORY + "\n")
    assert article.published_on == (datetime.date(*expected) if expected else None)


def test_share_buttons_and_a_ticker_of_other_headlines_are_chrome():
    text = (
        "Follow us:\nfacebook-white sharing button\ntwitter-white sharing button\n"
        "Floods close the coast road for a week | Court backs the new port tariff after appeal | Heat wave "
        "grips the north as power cuts spread | Ministers meet on the budget again\n\n"
        "Chile and Peru sign fisheries accord\n\n" + STORY + "\n"
    )
    article = parse_text(text)
    assert article.headline == "Chile and Peru sign fisheries accord"
    assert article.body == STORY


def test_a_byline_with_bars_is_no_ticker():
    assert not is_ticker("Reuters | Lima | Updated: 04-07-2024 16:31 IST | Created: 04-07-2024 16:31 IST")
