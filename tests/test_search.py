"""Story search: the same `q` on both databases, ranked full-text search on PostgreSQL, a word match on SQLite."""

import datetime

import pytest
from django.db import connection

from articles.importing import Importer
from articles.models import Article, Status
from articles.triggers import ensure

from .conftest import seed_path
from .factories import country, import_bytes, make_article

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (stemming, websearch syntax, the GIN index) does not exist on SQLite",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite matches the starts of words; PostgreSQL matches whole (stemmed) words instead",
)


def found(query: str) -> list[str]:
    return [article.headline for article in Article.objects.published().search(query)]


# Both databases


def test_search_finds_stories_with_every_word_in_headline_standfirst_dateline_or_body():
    make_article(headline="Ministers meet", body="Talks on phosphate exports.")
    make_article(headline="Phosphate deal signed", body="Exports will double.")
    make_article(headline="Rabat talks", dateline="Rabat", body="Nothing on minerals.")
    make_article(headline="Grain", standfirst="A phosphate and grain accord.", body="Exports of grain.")
    assert set(found("phosphate exports")) == {"Ministers meet", "Phosphate deal signed", "Grain"}
    assert found("Rabat minerals") == ["Rabat talks"]
    assert set(found("PHOSPHATE")) == {"Ministers meet", "Phosphate deal signed", "Grain"}


def test_a_headline_match_ranks_above_a_body_match_whatever_the_dates():
    make_article(
        headline="Trade figures", body="Phosphate is mentioned once.", published_on=datetime.date(2025, 6, 1)
    )
    make_article(headline="Phosphate talks", body="Ministers met.", published_on=datetime.date(2024, 1, 1))
    assert found("phosphate") == ["Phosphate talks", "Trade figures"]


def test_search_leaves_out_drafts():
    make_article(headline="Phosphate talks")
    make_article(headline="Phosphate draft", status=Status.DRAFT)
    assert found("phosphate") == ["Phosphate talks"]


@pytest.mark.parametrize("query", ['"', "-", "&|!:*()", "'", "\\"])
def test_a_query_of_punctuation_finds_nothing_and_never_fails(query):
    make_article(headline="The phosphate talks")
    assert found(query) == []


def test_the_list_searches_with_q_within_the_other_filters(client):
    on_morocco = make_article(headline="Phosphate talks in Rabat")
    on_morocco.countries.add(country("MA"))
    make_article(headline="Phosphate talks in Rome").countries.add(country("IT"))
    make_article(headline="Grain talks in Rabat").countries.add(country("MA"))
    response = client.get("/articles/?q=phosphate&country=morocco")
    assert [a.headline for a in response.context["object_list"]] == ["Phosphate talks in Rabat"]
    assert "<h1>Stories matching “phosphate”, mentioning Morocco</h1>" in response.content.decode()


def test_an_ordering_parameter_overrides_relevance(client):
    make_article(headline="Phosphate talks", published_on=datetime.date(2024, 1, 1))
    make_article(headline="Accord", body="On phosphate.", published_on=datetime.date(2025, 1, 1))
    response = client.get("/articles/?q=phosphate&ordering=-published_on")
    assert [a.headline for a in response.context["object_list"]] == ["Accord", "Phosphate talks"]


def test_a_blank_q_lists_every_story(client):
    make_article()
    make_article()
    assert len(client.get("/articles/?q=+++").context["object_list"]) == 2


# PostgreSQL


@on_postgresql
def test_postgresql_matches_other_forms_of_a_word():
    make_article(headline="India and Morocco signed two agreements")
    assert found("signing agreement") == ["India and Morocco signed two agreements"]


@on_postgresql
def test_postgresql_understands_phrases_or_and_exclusions():
    make_article(headline="Defence cooperation with Morocco")
    make_article(headline="Cooperation on defence with Italy")
    make_article(headline="Grain exports")
    assert found('"defence cooperation"') == ["Defence cooperation with Morocco"]
    assert found("defence -italy") == ["Defence cooperation with Morocco"]
    assert set(found("grain or italy")) == {"Cooperation on defence with Italy", "Grain exports"}


@on_postgresql
def test_postgresql_finds_what_the_importer_wrote_and_what_it_updated_later():
    importer = Importer()
    original = seed_path("000").read_bytes()
    import_bytes(importer, original, "story.txt")
    assert len(found("capacity building")) == 1
    assert found("xylophone") == []
    # A re-import saves with update_fields; the trigger keeps the search document current anyway.
    import_bytes(importer, original + b"\nThe delegation also heard a xylophone recital.\n", "story.txt")
    assert len(found("xylophone")) == 1


@on_postgresql
def test_postgresql_finds_stories_inserted_in_bulk():
    Article.objects.bulk_create(
        [Article(headline="Bulk phosphate", slug="bulk", body="Text.", raw_text="Text.", content_key="bulk")]
    )
    assert found("phosphate") == ["Bulk phosphate"]


@on_postgresql
def test_postgresql_answers_a_search_from_the_gin_index_on_a_few_thousand_stories():
    words = ["trade", "defence", "visit", "talks", "ports", "energy", "rail", "culture", "summit", "grain"]
    Article.objects.bulk_create(
        Article(
            headline=f"{words[n % 10]} {words[(n * 3) % 10]} story {n}",
            slug=f"bulk-{n}",
            body=" ".join(words[(n + k) % 10] for k in range(200)),
            raw_text="-",
            content_key=f"bulk-{n}",
        )
        for n in range(3000)
    )
    make_article(headline="Phosphate accord", body="A rare word.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    plan = Article.objects.published().search("phosphate").explain()
    assert "Bitmap Index Scan on article_search_idx" in plan, plan
    assert found("phosphate") == ["Phosphate accord"]


# SQLite


@on_sqlite
def test_sqlite_matches_the_starts_of_words_in_any_case_and_accent():
    make_article(headline="Défence MoU signed")
    assert found("DEFEN mou") == ["Défence MoU signed"]
    assert found("fence") == []


@on_sqlite
def test_sqlite_takes_search_operators_as_words():
    make_article(headline="Trade or aid")
    make_article(headline="Trade talks")
    assert found("trade OR aid") == ["Trade or aid"]
    assert found("NEAR trade") == []


@on_sqlite
def test_sqlite_index_follows_edits_and_deletions():
    story = make_article(headline="Phosphate talks")
    story.headline = "Grain talks"
    story.save()
    assert found("phosphate") == []
    assert found("grain") == ["Grain talks"]
    Article.objects.filter(pk=story.pk).update(body="Now about potash.")
    assert found("potash") == ["Grain talks"]
    story.delete()
    assert found("grain") == []


@on_sqlite
def test_sqlite_index_is_rebuilt_when_a_migration_dropped_its_triggers():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER article_search_insert")
    make_article(headline="Written meanwhile")
    assert found("meanwhile") == []
    ensure()
    assert found("meanwhile") == ["Written meanwhile"]
    make_article(headline="Written after")
    assert set(found("written")) == {"Written after", "Written meanwhile"}
