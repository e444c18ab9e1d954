"""Story lists cost the same few queries however large the archive, with pages rendered afresh each time.

Each list is requested twice per archive size: the first request after a write computes and keeps what it
counts over the whole archive (until the next write); the second is what every other reader costs.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import country, make_article, tagged_articles

pytestmark = pytest.mark.django_db

LISTS = [
    "/articles/",
    "/articles/?page=2",
    "/articles/?country=india",
    "/articles/?country=india&country=morocco&official={official}",
    "/articles/?q=story",
    "/countries/india/",
    "/countries/india/?page=2",
    "/",
    "/api/articles/",
    "/api/articles/?page=2",
    "/api/articles/?country=india",
    "/api/articles/?q=story",
]


@pytest.fixture(autouse=True)
def pages_rendered_counts_kept(settings):
    """Whole pages are not cached; what lists count over the archive is (tests/conftest.py turns both off)."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.QUERY_CACHE_SECONDS = 600


def queries_for(client, path: str) -> tuple[int, int]:
    """(queries of the first request, queries of the next one)."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            assert response.status_code == 200, path
        counts.append(len(queries))
    return counts[0], counts[1]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_at_most_five_queries_and_the_same_for_25_stories_as_for_50(client, path):
    stories = tagged_articles(25)
    path = path.format(official=stories[0].officials.get().slug)
    first_25, next_25 = queries_for(client, path)
    tagged_articles(25)
    first_50, next_50 = queries_for(client, path)
    assert (first_25, next_25) == (first_50, next_50)
    assert next_50 <= 5


def test_an_entry_costs_the_same_found_from_its_tag_rows_or_from_the_newest_stories(client, monkeypatch):
    # Below the threshold its stories are found from a list of ids; above, by walking the newest stories.
    monkeypatch.setattr("articles.models.FEW_STORIES", 10)
    tagged_articles(5)
    few = queries_for(client, "/articles/?country=india")
    tagged_articles(45)
    many = queries_for(client, "/articles/?country=india")
    assert few == many


def list_sql(client, path: str) -> str:
    """The query that reads the page's stories."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    (sql,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "articles_article"' in q["sql"].split("WHERE")[0]
    ]
    return sql


@pytest.mark.parametrize("path", ["/articles/", "/articles/?page=2", "/countries/india/", "/api/articles/"])
def test_lists_leave_the_body_out_of_the_rows_they_sort(client, path):
    tagged_articles(25)
    sql = list_sql(client, path)
    assert '"articles_article"."body"' not in sql
    assert '"articles_article"."raw_text"' not in sql


def test_a_deep_page_skips_rows_in_a_subquery_of_ids(client):
    tagged_articles(45)
    sql = list_sql(client, "/articles/?page=3")
    outer, inner = sql.split("IN (SELECT", 1)
    # The outer query looks the page's rows up by id; it neither skips rows nor filters them again.
    assert "OFFSET" not in outer
    assert '"status"' not in outer.split("WHERE", 1)[1]
    assert "OFFSET 40" in inner


@pytest.mark.parametrize("query", ["", "&country=morocco", "&ordering=headline", "&q=story"])
def test_a_deep_page_holds_the_same_stories_as_the_list_read_from_the_start(client, query):
    stories = tagged_articles(45)
    for number, story in enumerate(stories):
        story.headline = f"Story {(number * 7) % 45:02d}"
        story.save()
    everything = client.get(f"/api/articles/?page_size=100{query}").json()["results"]
    pages = [client.get(f"/api/articles/?page_size=10&page={n}{query}").json()["results"] for n in (1, 2, 3, 4, 5)]
    assert [story["slug"] for page in pages for story in page] == [story["slug"] for story in everything]


def test_the_facets_offer_the_most_covered_entries_and_keep_a_chosen_one(client, monkeypatch):
    monkeypatch.setattr("articles.facets.FACET_SIZE", 1)
    tagged_articles(2)  # India and Morocco on each
    make_article().countries.add(country("IT"))
    html = client.get("/articles/").content.decode()
    # India and Morocco tie; the name decides.
    assert 'value="india" id="id_country_0"> <span class="facet__name">India</span>' in html
    assert 'value="morocco"' not in html and 'value="italy"' not in html
    html = client.get("/articles/?country=italy").content.decode()
    assert 'value="italy" id="id_country_0" checked> <span class="facet__name">Italy</span>' in html
    assert 'value="india"' not in html  # no story about Italy mentions India


def test_facet_counts_narrow_with_the_filters_and_cost_the_same_for_more_stories(client):
    def counts(path):
        html = client.get(path).content.decode()
        found = re.findall(
            r'value="([a-z-]+)" id="id_country_\d+"[^>]*> <span class="facet__name">[^<]*</span> '
            r'<span class="facet__count">(\d+)<',
            html,
        )
        return {slug: int(n) for slug, n in found}

    tagged_articles(3)  # India and Morocco
    make_article().countries.add(country("IN"), country("IT"))
    assert counts("/articles/") == {"india": 4, "morocco": 3, "italy": 1}
    assert counts("/articles/?country=italy") == {"italy": 1, "india": 1}
    assert counts("/articles/?country=morocco") == {"morocco": 3, "india": 3}
    few = queries_for(client, "/articles/?country=india&published_after=2020-01-01")
    tagged_articles(10)
    assert queries_for(client, "/articles/?country=india&published_after=2020-01-01") == few


TIES = [
    "/ties/india-morocco/",
    "/ties/india-morocco/?page=2",
    "/articles/?pair=india-morocco",
    "/countries/india/",
    "/agreements/",
    "/agreements/?pair=india-morocco&ordering=-stories",
    "/agreements.csv",
    "/api/ties/",
    "/api/ties/india-morocco/",
    "/api/agreements/?pair=india-morocco",
]


@pytest.mark.parametrize("path", TIES)
def test_the_ties_pages_cost_the_same_queries_for_25_stories_as_for_50(client, path):
    import datetime

    from articles.models import Agreement, AgreementEvent, EventKind

    def grow():
        stories = tagged_articles(25)
        for n, story in enumerate(stories):
            agreement = Agreement.objects.create(name=f"Accord {story.pk}", slug=f"accord-{story.pk}")
            agreement.parties.add(country("IN"), country("MA"))
            agreement.signatories.add(*story.officials.all())
            event = AgreementEvent.objects.create(
                agreement=agreement, kind=EventKind.SIGNED, date=datetime.date(2025, 1, 1 + n)
            )
            event.sources.add(story)

    grow()
    first_25, next_25 = queries_for(client, path)
    grow()
    first_50, next_50 = queries_for(client, path)
    assert (first_25, next_25) == (first_50, next_50)
    assert next_50 <= 8, next_50
