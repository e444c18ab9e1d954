"""Each entry's `story_count` follows every way of writing, on both databases (articles/counting.py)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import counting
from articles.merging import merge_entries
from articles.models import Article, Country, Official, Status, TaggedCountry
from articles.signals import after_migrate
from articles.triggers import STORY_COUNTS

from .factories import country, make_article, make_official, make_user

pytestmark = pytest.mark.django_db


def counted(model) -> dict[str, int]:
    """What the tag rows say, for entries with any published story."""
    rows = model.objects.annotate(
        n=Count("tagged_articles", filter=Q(tagged_articles__content_object__status=Status.PUBLISHED))
    )
    return {entry.name: entry.n for entry in rows if entry.n}


def kept(model) -> dict[str, int]:
    return dict(model.objects.exclude(story_count=0).values_list("name", "story_count"))


def test_tagging_counts_published_stories_only():
    india, morocco = country("IN"), country("MA")
    for _ in range(2):
        make_article().countries.add(india, morocco)
    make_article(status=Status.DRAFT).countries.add(india)
    assert kept(Country) == {"India": 2, "Morocco": 2} == counted(Country)

    story = Article.objects.filter(status=Status.PUBLISHED).first()
    story.countries.remove(morocco)
    assert kept(Country) == {"India": 2, "Morocco": 1}
    story.countries.clear()
    assert kept(Country) == {"India": 1, "Morocco": 1} == counted(Country)


def test_publishing_and_unpublishing_move_every_entry_of_the_story():
    singh = make_official("Yara Testperson")
    drafts = [make_article(status=Status.DRAFT) for _ in range(3)]
    for story in drafts:
        story.countries.add(country("IL"))
        story.officials.add(singh)
    assert kept(Country) == {} and kept(Official) == {}

    # The admin's bulk action and the importer publish with update(), which sends no signal.
    Article.objects.filter(pk__in=[story.pk for story in drafts]).update(status=Status.PUBLISHED)
    assert kept(Country) == {"Israel": 3} and kept(Official) == {"Yara Testperson": 3}

    drafts[0].status = Status.DRAFT
    drafts[0].save()
    assert kept(Country) == {"Israel": 2} == counted(Country)
    # Saving without a change of status moves nothing.
    drafts[1].refresh_from_db()
    drafts[1].headline = "Edited"
    drafts[1].save()
    assert kept(Official) == {"Yara Testperson": 2} == counted(Official)


def test_deleting_a_story_uncounts_it():
    story = make_article()
    story.countries.add(country("IT"))
    make_article().countries.add(country("IT"))
    story.delete()
    assert kept(Country) == {"Italy": 1} == counted(Country)


def test_bulk_inserted_tag_rows_count():
    stories = [make_article() for _ in range(4)] + [make_article(status=Status.DRAFT)]
    india = country("IN")
    TaggedCountry.objects.bulk_create([TaggedCountry(content_object=story, tag=india) for story in stories])
    assert kept(Country) == {"India": 4} == counted(Country)


def test_a_merge_adds_the_merged_entry_s_stories_to_the_survivor_s_once():
    survivor, duplicate = make_official("Amal Testperson"), make_official("Amal Testpersonn")
    both = make_article()
    both.officials.add(survivor, duplicate)
    make_article().officials.add(duplicate)
    make_article().officials.add(survivor)
    merge_entries(survivor, [duplicate], user=make_user("merger"))
    assert kept(Official) == {"Amal Testperson": 3} == counted(Official)


def test_recount_repairs_what_was_written_without_the_triggers():
    make_article().countries.add(country("MA"))
    Country.objects.filter(iso_code="MA").update(story_count=40)
    Country.objects.filter(iso_code="IN").update(story_count=-2)
    counting.recount()
    assert kept(Country) == {"Morocco": 1}
    # Installing again is harmless, and the counts still follow writes.
    STORY_COUNTS.install()
    make_article().countries.add(country("MA"))
    assert kept(Country) == {"Morocco": 2}


def test_without_the_triggers_counts_stand_still_until_migrate_puts_them_back():
    STORY_COUNTS.uninstall()
    make_article().countries.add(country("IL"))
    assert kept(Country) == {}
    after_migrate(sender=None, using="default")
    assert kept(Country) == {"Israel": 1}
    make_article().countries.add(country("IL"))
    assert kept(Country) == {"Israel": 2} == counted(Country)


def test_a_migrate_that_changes_nothing_neither_writes_a_trigger_nor_recounts():
    make_article().countries.add(country("MA"))
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    assert not [query for query in queries if query["sql"].split()[0].upper() in ("CREATE", "DROP", "COMMENT")]
    assert not [query for query in queries if "story_count" in query["sql"]]
    make_article().countries.add(country("MA"))
    assert kept(Country) == {"Morocco": 2} == counted(Country)


@pytest.mark.parametrize(
    "path", ["/countries/morocco/", "/articles/?country=morocco", "/articles/?country=morocco&ordering=headline"]
)
def test_pages_of_one_entry_take_their_story_count_from_it(client, path):
    for status in (Status.PUBLISHED, Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT):
        make_article(status=status).countries.add(country("MA"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.context["paginator"].count == 3
    assert not [query for query in queries if "__count" in query["sql"]]


def test_a_list_narrowed_further_counts_its_stories():
    for headline in ("Phosphate deal", "Grain deal"):
        make_article(headline=headline).countries.add(country("MA"))
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/articles/?country=morocco&q=phosphate")
    assert response.context["paginator"].count == 1
    assert [query for query in queries if "__count" in query["sql"]]
