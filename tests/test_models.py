"""Models, the starting vocabulary and what the database enforces."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.filters import ArticleFilter
from articles.models import VOCABULARIES, Agreement, Article, Country, Official, OfficialAlias, Status

from .factories import make_article, make_official, tagged_articles

pytestmark = pytest.mark.django_db


def test_the_starting_vocabulary_has_every_iso_country_with_common_names_and_ascii_slugs():
    assert Country.objects.count() == 249
    assert Country.objects.get(iso_code="US").slug == "united-states"
    assert Country.objects.get(iso_code="MA").slug == "morocco"
    assert Country.objects.get(iso_code="IR").name == "Iran"
    assert all(slug.isascii() for slug in Country.objects.values_list("slug", flat=True))


def test_the_starting_vocabulary_has_the_seed_officials_with_roles_and_countries():
    rajnath = Official.objects.get(name="Rajnath Singh")
    assert (rajnath.role, rajnath.country.iso_code) == ("Defence Minister", "IN")
    assert Official.objects.filter(name__endswith="Singh").count() == 3
    assert not Official.objects.filter(needs_review=True).exists()


def test_the_starting_vocabulary_has_the_seed_agreements():
    mou = Agreement.objects.get(name="India–Morocco Defence MoU")
    assert (mou.kind, mou.party_list) == ("mou", ["India", "Morocco"])
    assert Agreement.objects.get(slug="india-italy-joint-strategic-action-plan-2025-2029").kind == "action_plan"


def test_new_entries_get_ascii_slugs_and_unique_ones_on_clash():
    first = make_official("Sébastien Lecornu")
    second = make_official("Sebastien Lecornu")
    assert first.slug == "sebastien-lecornu"
    assert second.slug != first.slug and second.slug.startswith("sebastien-lecornu")


def test_the_database_refuses_an_unknown_status():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="secret")


def test_the_database_refuses_a_second_story_with_the_same_content_key():
    make_article(content_key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(content_key="same")


def test_an_alias_belongs_to_one_entry_only_whatever_its_case_or_accents():
    rajnath = Official.objects.get(name="Rajnath Singh")
    katz = Official.objects.get(name="Israel Katz")
    OfficialAlias.objects.create(entry=rajnath, name="Rājnāth")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialAlias.objects.create(entry=katz, name="RAJNATH")


def test_published_leaves_out_drafts():
    published = make_article()
    make_article(status=Status.DRAFT)
    assert list(Article.objects.published()) == [published]


def test_stories_are_newest_first_with_undated_ones_last():
    old = make_article(published_on="2024-01-01")
    undated = make_article(published_on=None)
    new = make_article(published_on="2025-06-01")
    assert list(Article.objects.all()) == [new, old, undated]


def test_paragraphs_split_the_body_on_blank_lines():
    assert make_article(body="One.\n\nTwo.\n\n\n").paragraphs == ["One.", "Two."]


def test_get_absolute_url_uses_the_slug():
    assert make_article(slug="a-story").get_absolute_url() == "/articles/a-story/"
    assert Country.objects.get(iso_code="MA").get_absolute_url() == "/countries/morocco/"


def read_list_with_tags() -> list[tuple]:
    return [
        (
            a.headline,
            [c.name for c in a.countries.all()],
            [o.name for o in a.officials.all()],
            [g.name for g in a.agreements.all()],
        )
        for a in Article.objects.published().with_vocabularies()[:20]
    ]


def test_a_list_of_twenty_stories_with_three_vocabularies_costs_the_same_queries_for_5_or_50_rows():
    tagged_articles(5)
    with CaptureQueriesContext(connection) as five:
        rows = read_list_with_tags()
    assert len(rows) == 5 and all(
        countries and officials and agreements for _, countries, officials, agreements in rows
    )
    tagged_articles(45)
    with CaptureQueriesContext(connection) as fifty:
        rows = read_list_with_tags()
    assert len(rows) == 20
    assert len(five) == len(fifty) == 4


def test_the_vocabulary_registry_names_each_vocabularys_models_as_the_schema_does():
    assert [vocabulary.field for vocabulary in VOCABULARIES] == ["countries", "officials", "agreements"]
    for vocabulary in VOCABULARIES:
        assert getattr(Article, vocabulary.field).through is vocabulary.through
        assert vocabulary.through.tag_model() is vocabulary.entry
        assert vocabulary.entry.aliases.rel.related_model is vocabulary.alias
        assert vocabulary.entry.vocabulary() is vocabulary
        assert vocabulary.parameter in ArticleFilter.base_filters
