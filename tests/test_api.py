"""The JSON API, as a partner newsroom's program and an editor's script use it."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.ingest.parsing import content_key
from articles.models import Agreement, AgreementAlias, Article, Country, CountryAlias, Official, Status

from .factories import country, make_agreement, make_article, make_official, make_user, tagged_articles

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(autouse=True)
def no_earlier_requests_counted():
    """Throttling counts requests in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture
def anonymous():
    return APIClient()


def client_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


@pytest.fixture
def editor():
    return client_for(make_user("editor", groups=("Editors",)))


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


# Reading stories


def test_the_story_list_gives_each_story_with_its_tags_as_names_and_slugs(anonymous):
    [article] = tagged_articles(1, headline="Defence ministers meet", source="ANI", dateline="Rabat")
    response = anonymous.get("/api/articles/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    [item] = response.json()["results"]
    assert item["headline"] == "Defence ministers meet"
    assert (item["source"], item["dateline"], item["status"]) == ("ANI", "Rabat", "published")
    assert item["url"] == f"http://testserver/api/articles/{article.slug}/"
    assert item["html_url"] == f"http://testserver/articles/{article.slug}/"
    assert item["countries"] == [{"name": "India", "slug": "india"}, {"name": "Morocco", "slug": "morocco"}]
    assert [official["slug"] for official in item["officials"]] == [Official.objects.first().slug]
    assert [agreement["slug"] for agreement in item["agreements"]] == [Agreement.objects.first().slug]
    assert "body" not in item


def test_a_story_s_own_url_adds_its_body(anonymous):
    article = make_article(body="First paragraph.\n\nSecond paragraph.")
    response = anonymous.get(f"/api/articles/{article.slug}/")
    assert response.status_code == 200
    assert response.json()["body"] == "First paragraph.\n\nSecond paragraph."


def test_drafts_never_reach_anonymous_clients_in_lists_details_or_counts(anonymous):
    published = make_article()
    draft = make_article(status=Status.DRAFT)
    draft.countries.add(country("MA"))
    published.countries.add(country("MA"))
    assert slugs(anonymous.get("/api/articles/")) == [published.slug]
    assert anonymous.get("/api/articles/", {"status": "draft"}).json()["count"] == 0
    assert anonymous.get(f"/api/articles/{draft.slug}/").status_code == 404
    assert anonymous.get("/api/countries/morocco/").json()["article_count"] == 1


def test_a_signed_in_user_without_the_view_permission_sees_no_drafts_either():
    draft = make_article(status=Status.DRAFT)
    reader = client_for(make_user("reader"))
    assert reader.get("/api/articles/", {"status": "draft"}).json()["count"] == 0
    assert reader.get(f"/api/articles/{draft.slug}/").status_code == 404


def test_editors_list_drafts_with_status_draft_and_read_them_by_slug(editor):
    published = make_article()
    draft = make_article(status=Status.DRAFT)
    assert slugs(editor.get("/api/articles/")) == [published.slug]
    assert slugs(editor.get("/api/articles/", {"status": "draft"})) == [draft.slug]
    assert editor.get(f"/api/articles/{draft.slug}/").json()["status"] == "draft"


# Filtering, ordering, pages


def test_a_repeated_country_means_stories_tagged_with_all_of_them(anonymous):
    both = make_article()
    both.countries.add(country("IN"), country("MA"))
    india_only = make_article()
    india_only.countries.add(country("IN"))
    assert set(slugs(anonymous.get("/api/articles/?country=india"))) == {both.slug, india_only.slug}
    assert slugs(anonymous.get("/api/articles/?country=india&country=morocco")) == [both.slug]


def test_officials_and_agreements_filter_by_slug(anonymous):
    official = make_official("Rahul Example")
    agreement = make_agreement("Example Accord")
    tagged = make_article()
    tagged.officials.add(official)
    tagged.agreements.add(agreement)
    make_article()
    assert slugs(anonymous.get("/api/articles/", {"official": official.slug})) == [tagged.slug]
    assert slugs(anonymous.get("/api/articles/", {"agreement": agreement.slug})) == [tagged.slug]


def test_dates_bound_the_list_on_both_sides(anonymous):
    make_article(slug="january", published_on=datetime.date(2025, 1, 15))
    make_article(slug="march", published_on=datetime.date(2025, 3, 15))
    make_article(slug="may", published_on=datetime.date(2025, 5, 15))
    response = anonymous.get("/api/articles/", {"published_after": "2025-02-01", "published_before": "2025-04-30"})
    assert slugs(response) == ["march"]


def test_q_searches_as_the_reader_site_does(anonymous):
    make_article(slug="drones", headline="Drone factory opens in Casablanca")
    make_article(slug="trade", headline="Phosphate trade grows")
    assert slugs(anonymous.get("/api/articles/", {"q": "drone casablanca"})) == ["drones"]


def test_stories_order_by_headline_or_date(anonymous):
    make_article(slug="b", headline="Bravo", published_on=datetime.date(2025, 1, 1))
    make_article(slug="a", headline="Alpha", published_on=datetime.date(2025, 2, 1))
    assert slugs(anonymous.get("/api/articles/")) == ["a", "b"]
    assert slugs(anonymous.get("/api/articles/?ordering=headline")) == ["a", "b"]
    assert slugs(anonymous.get("/api/articles/?ordering=published_on")) == ["b", "a"]


def test_empty_parameters_count_as_absent_as_from_a_blank_form(anonymous):
    make_article()
    response = anonymous.get("/api/articles/?country=&published_after=&q=&ordering=&status=&page=&page_size=")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=atlantis", "country"),
        ("country=india&country=atlantis", "country"),
        ("official=nobody", "official"),
        ("agreement=no-such-mou", "agreement"),
        ("published_after=2025-13-01", "published_after"),
        ("published_before=yesterday", "published_before"),
        ("ordering=sideways", "ordering"),
        ("status=secret", "status"),
        ("page_size=-3", "page_size"),
        ("page_size=ten", "page_size"),
        ("country=%00", "country"),
        ("q=" + "x" * 500, "q"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(anonymous, query, field):
    response = anonymous.get(f"/api/articles/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) for message in response.json()[field])


def test_pages_are_numbered_with_count_and_links(anonymous):
    for _ in range(3):
        make_article()
    first = anonymous.get("/api/articles/?page_size=2").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert first["next"] == "http://testserver/api/articles/?page=2&page_size=2"
    second = anonymous.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)


def test_a_huge_page_size_is_capped_at_100(anonymous):
    response = anonymous.get("/api/countries/?page_size=1000000")
    assert response.json()["count"] == Country.objects.count() > 100
    assert len(response.json()["results"]) == 100


def test_a_page_past_the_end_is_a_json_404(anonymous):
    response = anonymous.get("/api/articles/?page=99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_a_slug_that_cannot_exist_is_a_json_404(anonymous):
    for path in ["/api/articles/%00/", "/api/countries/caf%C3%A9/", "/api/officials/a.b/"]:
        response = anonymous.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


# Vocabularies


def test_a_country_gives_its_code_aliases_and_published_story_count(anonymous):
    morocco = country("MA")
    CountryAlias.objects.create(entry=morocco, name="Maroc")
    for status in [Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]:
        make_article(status=status).countries.add(morocco)
    response = anonymous.get("/api/countries/morocco/")
    assert response.json() == {
        "slug": "morocco",
        "url": "http://testserver/api/countries/morocco/",
        "html_url": "http://testserver/countries/morocco/",
        "name": "Morocco",
        "aliases": ["Maroc"],
        "article_count": 2,
        "needs_review": False,
        "iso_code": "MA",
    }


def test_the_country_list_is_by_name_with_counts(anonymous):
    make_article().countries.add(country("AF"))
    [afghanistan, *_] = anonymous.get("/api/countries/").json()["results"]
    assert (afghanistan["name"], afghanistan["article_count"]) == ("Afghanistan", 1)


def test_an_official_gives_role_and_country(anonymous):
    make_official("Rahul Example", role="Trade Minister", country=country("IN"))
    response = anonymous.get("/api/officials/rahul-example/").json()
    assert response["role"] == "Trade Minister"
    assert response["country"] == {"name": "India", "slug": "india"}


def test_an_agreement_gives_kind_signing_date_and_parties(anonymous):
    make_agreement("Example MoU", kind="mou", signed_on=datetime.date(2025, 9, 22), parties="India; Morocco")
    response = anonymous.get("/api/agreements/example-mou/").json()
    assert (response["kind"], response["signed_on"]) == ("mou", "2025-09-22")
    assert response["parties"] == ["India", "Morocco"]


def test_a_merged_entry_s_old_slug_redirects_to_the_survivor(anonymous):
    survivor = make_official("Rahul Example")
    survivor.aliases.create(name="R. Example", former_slug="r-example")
    response = anonymous.get("/api/officials/r-example/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/officials/{survivor.slug}/"
    assert anonymous.get("/api/officials/nobody-at-all/").status_code == 404


# Who may write


def test_anonymous_writes_are_told_to_authenticate(anonymous):
    article = make_article()
    assert anonymous.post("/api/articles/", {"headline": "x", "body": "y"}, format="json").status_code == 401
    assert anonymous.patch(f"/api/articles/{article.slug}/", {"headline": "x"}, format="json").status_code == 401
    assert anonymous.patch("/api/countries/morocco/", {"name": "x"}, format="json").status_code == 401
    assert Article.objects.get().headline == article.headline


def test_a_user_without_model_permissions_may_read_but_not_write():
    reader = client_for(make_user("reader"))
    assert reader.get("/api/countries/morocco/").status_code == 200
    assert reader.patch("/api/countries/morocco/", {"name": "Maroc"}, format="json").status_code == 403
    assert reader.post("/api/officials/", {"name": "Someone"}, format="json").status_code == 403


def test_nothing_is_deleted_through_the_api(editor):
    article = make_article()
    assert editor.delete(f"/api/articles/{article.slug}/").status_code == 405
    assert editor.delete("/api/countries/morocco/").status_code == 405


def test_a_signed_in_editor_writes_with_the_session_and_its_csrf_token():
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(make_user("editor", groups=("Editors",)))
    refused = browser.post("/api/officials/", {"name": "Someone New"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    response = browser.post("/api/officials/", {"name": "Someone New"}, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201


# Editors writing stories


def test_an_editor_adds_a_story_as_a_draft_with_tags_by_slug(editor):
    official = make_official("Rahul Example")
    response = editor.post(
        "/api/articles/",
        {
            "headline": "Ministers sign a defence MoU",
            "body": "Rabat, September 22: the ministers signed.\n\nMore follows.",
            "published_on": "2025-09-22",
            "countries": ["india", "morocco"],
            "officials": [official.slug],
        },
        format="json",
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["slug"], created["status"]) == ("ministers-sign-a-defence-mou", "draft")
    assert response["Location"] == created["url"]
    assert [c["slug"] for c in created["countries"]] == ["india", "morocco"]
    article = Article.objects.get(slug=created["slug"])
    assert [o.name for o in article.officials.all()] == ["Rahul Example"]
    assert article.raw_text == article.body


def test_the_same_text_cannot_be_added_twice(editor):
    make_article(body="Exactly this.", raw_text="Exactly this.", content_key=content_key("Exactly this."))
    response = editor.post("/api/articles/", {"headline": "Again", "body": "Exactly this."}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["body"]


def test_an_editor_changes_a_story_and_replaces_its_countries(editor):
    article = make_article(status=Status.DRAFT)
    article.countries.add(country("IN"))
    response = editor.patch(
        f"/api/articles/{article.slug}/", {"headline": "Better headline", "countries": ["morocco"]}, format="json"
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Better headline"
    assert [c.slug for c in article.countries.all()] == ["morocco"]
    assert article.history.first().history_user.username == "editor"


def test_an_editor_publishes_a_draft(editor):
    draft = make_article(status=Status.DRAFT)
    response = editor.patch(f"/api/articles/{draft.slug}/", {"status": "published"}, format="json")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_published


def test_publishing_or_unpublishing_needs_the_publish_permission():
    writer = client_for(
        make_user(
            "writer", permissions=("articles.view_article", "articles.add_article", "articles.change_article")
        )
    )
    draft = make_article(status=Status.DRAFT)
    published = make_article()
    assert writer.patch(f"/api/articles/{draft.slug}/", {"headline": "Fine"}, format="json").status_code == 200
    assert writer.patch(f"/api/articles/{draft.slug}/", {"status": "published"}, format="json").status_code == 403
    assert writer.patch(f"/api/articles/{published.slug}/", {"status": "draft"}, format="json").status_code == 403
    new = {"headline": "Straight out", "body": "Text.", "status": "published"}
    assert writer.post("/api/articles/", new, format="json").status_code == 403
    assert list(Article.objects.published()) == [published]


def test_invalid_story_data_is_a_400_with_messages_per_field(editor):
    response = editor.post(
        "/api/articles/",
        {"headline": "", "body": 42, "published_on": "2025-02-30", "countries": ["atlantis"], "status": "secret"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"headline", "body", "published_on", "countries", "status"}
    assert not Article.objects.exists()


@pytest.mark.parametrize("body", ["{not json", '{"headline": "x", "body": "y", "status": "\\ud800"}'])
def test_malformed_json_or_a_lone_surrogate_is_a_400(editor, body):
    response = editor.generic("POST", "/api/articles/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize("value", [["no-such-country"], ["nul\u0000"], [""], [7], {"india": 1}, "india"])
def test_tags_must_be_a_list_of_known_slugs(editor, value):
    response = editor.post("/api/articles/", {"headline": "x", "body": "y", "countries": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["countries"]


# Editors writing vocabulary entries


def test_an_editor_adds_an_official_with_a_country_and_aliases(editor):
    response = editor.post(
        "/api/officials/",
        {"name": "Rahul Example", "role": "Trade Minister", "country": "india", "aliases": ["R. Example"]},
        format="json",
    )
    assert response.status_code == 201
    created = response.json()
    assert response["Location"] == created["url"] == "http://testserver/api/officials/rahul-example/"
    assert (created["name"], created["role"], created["aliases"]) == (
        "Rahul Example",
        "Trade Minister",
        ["R. Example"],
    )
    assert (created["country"], created["article_count"]) == ({"name": "India", "slug": "india"}, 0)
    assert Official.objects.get(slug="rahul-example").alias_names() == ["R. Example"]


def test_aliases_sent_replace_the_entry_s_aliases(editor):
    morocco = country("MA")
    CountryAlias.objects.create(entry=morocco, name="Maroc")
    CountryAlias.objects.create(entry=morocco, name="Al-Maghrib")
    response = editor.patch("/api/countries/morocco/", {"aliases": ["maroc", "Marruecos"]}, format="json")
    assert response.status_code == 200
    assert sorted(morocco.alias_names()) == ["Marruecos", "maroc"]


def test_an_alias_of_another_entry_is_refused(editor):
    CountryAlias.objects.create(entry=country("MA"), name="Maroc")
    response = editor.patch("/api/countries/france/", {"aliases": ["MAROC"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"aliases": ["'Maroc' is already an alias of Morocco."]}


def test_an_editor_updates_an_agreement_s_parties_and_kind(editor):
    agreement = make_agreement("Example Accord", kind="agreement")
    response = editor.patch(
        f"/api/agreements/{agreement.slug}/", {"kind": "treaty", "parties": ["India", "Morocco"]}, format="json"
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert (agreement.kind, agreement.party_list) == ("treaty", ["India", "Morocco"])
    assert set(agreement.parties.values_list("iso_code", flat=True)) == {"IN", "MA"}
    assert response.json()["parties"] == ["India", "Morocco"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Morocco", "iso_code": "XM"}, "name"),
        ({"name": "MOROCCO", "iso_code": "XM"}, "name"),
        ({"name": "Atlantis", "iso_code": "MA"}, "iso_code"),
        ({"name": "Atlantis", "iso_code": "at"}, "iso_code"),
        ({"name": "Atlantis", "iso_code": "XA", "slug": "café"}, "slug"),
        ({"name": "Atlantis", "iso_code": "XA", "needs_review": "yes"}, "needs_review"),
        ({"name": 7, "iso_code": "XA"}, "name"),
        ({"name": "Atlantis", "iso_code": "XA", "aliases": ["..."]}, "aliases"),
    ],
)
def test_invalid_vocabulary_data_is_a_400_naming_the_field(editor, data, field):
    response = editor.post("/api/countries/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_agreement_parties_cannot_hold_semicolons(editor):
    response = editor.post("/api/agreements/", {"name": "X", "parties": ["India; Morocco"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["parties"]
    assert not AgreementAlias.objects.exists()


# Conditional requests and throttling


@pytest.mark.parametrize("path", ["/api/articles/", "/api/articles/a-story/", "/api/countries/"])
def test_an_unchanged_list_or_story_answers_its_etag_with_304(anonymous, path):
    make_article(slug="a-story")
    first = anonymous.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = anonymous.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_story_changes_the_etag(anonymous):
    article = make_article(slug="a-story")
    etag = anonymous.get("/api/articles/a-story/")["ETag"]
    Article.objects.filter(pk=article.pk).update(headline="Corrected headline")
    response = anonymous.get("/api/articles/a-story/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["headline"] == "Corrected headline"


def test_answers_vary_on_who_asks(anonymous):
    assert "Authorization" in anonymous.get("/api/articles/")["Vary"]


def test_anonymous_clients_are_throttled_at_the_rate_the_readme_documents(anonymous, editor):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    assert f"`{rate}`" in README.read_text()
    allowed = int(rate.split("/")[0])
    statuses = [anonymous.get("/api/countries/india/").status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]
    refused = anonymous.get("/api/countries/india/")
    assert int(refused["Retry-After"]) > 0
    assert editor.get("/api/countries/india/").status_code == 200


# Query counts


def populate(rows: int) -> None:
    """`rows` stories, officials and agreements, each story tagged with its own entries and countries."""
    countries = list(Country.objects.order_by("name")[:rows])
    for n in range(Article.objects.count(), rows):
        official = make_official(f"Official {n}", country=countries[n])
        official.aliases.create(name=f"O. {n}")
        agreement = make_agreement(f"Agreement {n}", parties="India; Morocco")
        agreement.aliases.create(name=f"Accord {n}")
        countries[n].aliases.create(name=f"Country alias {n}")
        article = make_article()
        article.countries.add(countries[n], country("IN"))
        article.officials.add(official)
        article.agreements.add(agreement)


def queries_for(api, path: str, rows: int) -> int:
    populate(rows)
    # In the path: the test client drops a path's own query string when it is given parameters apart.
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{path}{separator}page_size={rows}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    return len(queries)


@pytest.fixture
def only_generated_entries():
    """Leave out the starting officials and agreements, so that every listed row has aliases and stories."""
    Official.objects.all().delete()
    Agreement.objects.all().delete()


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/api/articles/", 3), ("/api/countries/", 3), ("/api/officials/", 3), ("/api/agreements/", 6)],
)
def test_a_list_costs_the_same_queries_for_5_rows_as_for_50(anonymous, only_generated_entries, path, expected):
    assert queries_for(anonymous, path, 5) == queries_for(anonymous, path, 50) == expected


def test_an_editor_s_filtered_story_list_costs_the_same_queries_for_5_rows_as_for_50(
    editor, only_generated_entries
):
    path = "/api/articles/?country=india&status=published&ordering=headline"
    assert queries_for(editor, path, 5) == queries_for(editor, path, 50)
