"""The API's story list is built without serializers (articles/api/rows.py): it must answer what they would."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from articles.api.serializers import ArticleSerializer
from articles.models import Article, Status

from .factories import country, make_agreement, make_article, make_official, make_user, tagged_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return APIClient()


def serialized(stories) -> list:
    """What ArticleSerializer, which documents the list, gives for these stories."""
    request = APIRequestFactory().get("/api/articles/")
    return ArticleSerializer(stories, many=True, context={"request": request}).data


@pytest.fixture
def stories():
    """A story tagged in every vocabulary, each entry added before one whose name sorts first; an undated one."""
    tagged = make_article(
        slug="ministers-meet",
        headline="Défense ministers meet in Rabat",
        standfirst="Talks on drones.",
        dateline="Rabat",
        source="ANI",
        published_on=datetime.date(2025, 9, 22),
    )
    tagged.countries.add(country("MA"), country("IN"))
    tagged.officials.add(make_official("Zoe Zed"), make_official("Adam Able"))
    tagged.agreements.add(make_agreement("Rabat Accord"), make_agreement("Marrakesh Accord"))
    make_article(slug="undated", standfirst="", published_on=None)
    return Article.objects.published().with_vocabularies()


def test_the_list_sends_the_bytes_the_story_serializer_would(anonymous, stories):
    response = anonymous.get("/api/articles/")
    envelope = {"count": 2, "next": None, "previous": None, "results": serialized(stories)}
    assert response.content == JSONRenderer().render(envelope)
    tagged, undated = response.json()["results"]
    assert tagged == {
        "slug": "ministers-meet",
        "url": "http://testserver/api/articles/ministers-meet/",
        "html_url": "http://testserver/articles/ministers-meet/",
        "headline": "Défense ministers meet in Rabat",
        "standfirst": "Talks on drones.",
        "dateline": "Rabat",
        "published_on": "2025-09-22",
        "source": "ANI",
        "status": "published",
        "countries": [{"name": "India", "slug": "india"}, {"name": "Morocco", "slug": "morocco"}],
        "officials": [{"name": "Adam Able", "slug": "adam-able"}, {"name": "Zoe Zed", "slug": "zoe-zed"}],
        "agreements": [
            {"name": "Marrakesh Accord", "slug": "marrakesh-accord"},
            {"name": "Rabat Accord", "slug": "rabat-accord"},
        ],
    }
    assert (undated["slug"], undated["published_on"], undated["standfirst"]) == ("undated", None, "")
    assert undated["countries"] == undated["officials"] == undated["agreements"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"page": "2", "page_size": "1"},  # a deep page, read by id after a subquery
        {"q": "rabat"},  # ranked: the rank is not a field
        {"ordering": "headline"},
        {"country": "morocco", "official": "zoe-zed"},
    ],
)
def test_every_shape_of_list_gives_each_story_as_the_serializer_does(anonymous, stories, query):
    results = anonymous.get("/api/articles/", query).json()["results"]
    by_slug = {story["slug"]: story for story in serialized(stories)}
    assert results
    assert results == [by_slug[story["slug"]] for story in results]


def test_an_editor_s_draft_list_gives_drafts_as_the_serializer_does():
    draft = make_article(status=Status.DRAFT)
    draft.countries.add(country("IN"))
    editor = APIClient()
    editor.force_authenticate(make_user("editor", groups=("Editors",)))
    results = editor.get("/api/articles/", {"status": "draft"}).json()["results"]
    assert results == serialized([Article.objects.with_vocabularies().get(pk=draft.pk)])
    assert results[0]["status"] == "draft"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 3),  # the count, the page, the tags of all three vocabularies
        ({"ordering": "headline"}, 3),
        ({"q": "story"}, 3),
        # With the query cache off (tests/conftest.py): the country by its slug, and its stories' ids.
        ({"country": "india"}, 5),
    ],
)
def test_a_story_list_costs_the_same_queries_for_5_stories_as_for_50(anonymous, query, expected):
    counts = []
    for added, rows in ((5, 5), (45, 50)):
        tagged_articles(added)
        make_article(headline="Untagged, so that the country filter leaves it out")
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get("/api/articles/", {**query, "page_size": rows})
        assert len(response.json()["results"]) == rows
        counts.append(len(queries))
    assert counts == [expected, expected]
