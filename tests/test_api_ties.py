"""The API's ties (/api/ties/), agreements with their life, and agreement events as editors write them."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.models import Agreement, AgreementEvent, EventKind, Official, Status

from .factories import country, make_agreement, make_article, make_official, make_user
from .test_api import client_for, populate

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 9, 22)


@pytest.fixture(autouse=True)
def no_earlier_requests_counted():
    """Throttling counts requests in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def editor():
    return client_for(make_user("editor", groups=("Editors",)))


def pair_story(*codes, **fields):
    article = make_article(**fields)
    article.countries.add(*(country(code) for code in codes))
    return article


@pytest.fixture
def signed_mou():
    Agreement.objects.all().delete()  # the starting vocabulary's: this test's agreements only
    story = pair_story("IN", "MA", slug="rabat-talks")
    draft = pair_story("IN", "MA", slug="secret-draft", status=Status.DRAFT)
    mou = make_agreement("Example MoU", kind="mou", parties="India; Morocco", signed_on=DAY)
    mou.signatories.add(Official.objects.get(name="Rajnath Singh"))
    signing = AgreementEvent.objects.create(agreement=mou, kind=EventKind.SIGNED, date=DAY)
    signing.sources.add(story, draft)
    AgreementEvent.objects.create(
        agreement=mou, kind=EventKind.TERMINATED, date=DAY.replace(2026), needs_review=True, origin="importer"
    )
    return mou


def test_an_agreement_gives_its_parties_signatories_status_and_events_with_published_sources(
    anonymous, signed_mou
):
    item = anonymous.get("/api/agreements/example-mou/").json()
    assert item["kind"] == "mou" and item["parties"] == ["India", "Morocco"]
    assert item["party_countries"] == [{"name": "India", "slug": "india"}, {"name": "Morocco", "slug": "morocco"}]
    assert item["signatories"] == [{"name": "Rajnath Singh", "slug": "rajnath-singh"}]
    assert (item["status"], item["status_on"]) == ("signed", "2025-09-22")
    [event] = item["events"]
    assert (event["kind"], event["date"], event["date_precision"], event["sources"]) == (
        "signed",
        "2025-09-22",
        "day",
        ["rabat-talks"],
    )


def test_an_editor_sees_the_suggested_events_and_draft_sources(editor, signed_mou):
    events = editor.get("/api/agreements/example-mou/").json()["events"]
    assert [(e["kind"], e["needs_review"]) for e in events] == [("signed", False), ("terminated", True)]
    assert events[0]["sources"] == ["rabat-talks", "secret-draft"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=morocco", ["example-mou"]),
        ("pair=morocco-india", ["example-mou"]),
        ("pair=india-italy", []),
        ("kind=treaty", []),
        ("status=signed", ["example-mou"]),
        ("status=terminated", []),
        ("signed_after=2025-09-22&signed_before=2025-09-22", ["example-mou"]),
        ("signed_after=2025-09-23", []),
    ],
)
def test_the_agreement_list_filters(anonymous, signed_mou, query, expected):
    response = anonymous.get(f"/api/agreements/?{query}")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"] if item["slug"] == "example-mou"] == expected


def test_a_bad_agreement_filter_is_a_400_naming_it(anonymous):
    response = anonymous.get("/api/agreements/?pair=india-atlantis")
    assert response.status_code == 400 and list(response.json()) == ["pair"]


def test_the_ties_list_gives_pairs_most_covered_first_with_counts_and_filters_by_country(anonymous, signed_mou):
    pair_story("IN", "MA")
    pair_story("IN", "IT")
    pair_story("IL", "IT", status=Status.DRAFT)
    results = anonymous.get("/api/ties/").json()["results"]
    assert [(r["slug"], r["story_count"], r["agreement_count"]) for r in results][:2] == [
        ("india-morocco", 2, 1),
        ("india-italy", 1, 0),
    ]
    assert "israel-italy" not in [r["slug"] for r in results]
    first = results[0]
    assert first["url"] == "http://testserver/api/ties/india-morocco/"
    assert first["html_url"] == "http://testserver/ties/india-morocco/"
    assert first["stories_url"] == "http://testserver/api/articles/?pair=india-morocco"
    assert [r["slug"] for r in anonymous.get("/api/ties/?country=italy").json()["results"]] == ["india-italy"]
    assert anonymous.get("/api/ties/?country=atlantis").status_code == 400


def test_a_pair_gives_its_agreements_with_status_and_each_side_s_officials(anonymous, signed_mou):
    story = pair_story("IN", "MA")
    story.officials.add(
        Official.objects.get(name="Rajnath Singh"), Official.objects.get(name="Abdellatif Loudiyi")
    )
    data = anonymous.get("/api/ties/india-morocco/").json()
    assert data["story_count"] == 2
    mou = next(a for a in data["agreements"] if a["slug"] == "example-mou")
    assert mou["status"] == "signed"
    sides = {side["country"]["slug"]: [o["name"] for o in side["officials"]] for side in data["officials"]}
    assert sides == {"india": ["Rajnath Singh"], "morocco": ["Abdellatif Loudiyi"]}
    assert anonymous.get("/api/ties/morocco-india/").status_code == 301
    assert anonymous.get("/api/ties/india-italy/").status_code == 404
    assert anonymous.get("/api/ties/no%00pe/").status_code == 404


def test_the_pair_filter_on_the_story_list(anonymous, signed_mou):
    pair_story("IN", "IT")
    response = anonymous.get("/api/articles/?pair=india-morocco")
    assert [item["slug"] for item in response.json()["results"]] == ["rabat-talks"]


# Writing events


def test_an_editor_adds_corrects_and_removes_an_event_with_history(editor, signed_mou):
    response = editor.post(
        "/api/agreement-events/",
        {
            "agreement": "example-mou",
            "kind": "ratified",
            "date": "2026-01-01",
            "date_precision": "month",
            "party": "morocco",
            "sources": ["rabat-talks"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    url = response["Location"]
    event = AgreementEvent.objects.get(kind="ratified")
    assert (event.party.slug, event.date_precision, [s.slug for s in event.sources.all()]) == (
        "morocco",
        "month",
        ["rabat-talks"],
    )
    assert editor.patch(url, {"kind": "in_force"}, format="json").status_code == 200
    assert Agreement.objects.with_status().get(slug="example-mou").status == "in_force"
    kinds = [h.kind for h in event.history.all()]
    assert kinds[0] == "in_force" and set(kinds[1:]) == {"ratified"}
    assert editor.delete(url).status_code == 204
    assert not AgreementEvent.objects.filter(pk=event.pk).exists()


def test_writing_events_needs_the_permission_to_change_agreements(anonymous, signed_mou):
    event = signed_mou.events.first()
    body = {"agreement": "example-mou", "kind": "signed", "date": "2026-01-01"}
    assert anonymous.post("/api/agreement-events/", body, format="json").status_code == 401
    viewer = client_for(make_user("viewer", permissions=("articles.view_agreement",)))
    assert viewer.post("/api/agreement-events/", body, format="json").status_code == 403
    assert viewer.delete(f"/api/agreement-events/{event.pk}/").status_code == 403
    changer = client_for(make_user("changer", permissions=("articles.change_agreement",)))
    assert changer.post("/api/agreement-events/", body, format="json").status_code == 201


def test_readers_do_not_see_suggested_events_or_draft_sources(anonymous, signed_mou):
    response = anonymous.get("/api/agreement-events/?agreement=example-mou")
    assert [(e["kind"], e["sources"]) for e in response.json()["results"]] == [("signed", ["rabat-talks"])]
    hidden = signed_mou.events.get(kind="terminated")
    assert anonymous.get(f"/api/agreement-events/{hidden.pk}/").status_code == 404
    assert anonymous.get("/api/agreement-events/x/").status_code == 404


# Query counts


def queries(api, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
        assert response.status_code == 200
    return len(captured)


def grow(rows: int) -> None:
    """`rows` stories on India and another country (`rows` pairs); each agreement with an event and signatory."""
    populate(rows)
    for agreement in Agreement.objects.filter(events__isnull=True):
        official = make_official(f"Signer of {agreement.pk}")
        agreement.signatories.add(official)
        event = AgreementEvent.objects.create(agreement=agreement, kind=EventKind.SIGNED, date=DAY)
        event.sources.add(*agreement.articles.all())


@pytest.mark.parametrize(
    "path",
    [
        "/api/ties/?page_size=100",
        "/api/ties/?country=india&page_size=100",
        "/api/ties/india-morocco/",
        "/api/agreements/?page_size=100",
        "/api/agreements/?pair=india-morocco&status=signed&page_size=100",
        "/api/agreement-events/?page_size=100",
    ],
)
def test_the_lists_cost_the_same_queries_for_5_rows_as_for_50(anonymous, path):
    Official.objects.all().delete()
    Agreement.objects.all().delete()
    grow(5)
    pair_story("IN", "MA")
    few = queries(anonymous, path)
    grow(50)
    assert queries(anonymous, path) == few
