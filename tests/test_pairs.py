"""Pair pages (/ties/<a>-<b>/), the pairs on country and story pages, and the story list's `pair` filter."""

import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import pairs
from articles.merging import merge_entries
from articles.models import Agreement, AgreementEvent, Country, EventKind, Official, Status

from .factories import country, make_agreement, make_article, make_staff

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def pair_story(*codes, **fields):
    article = make_article(**fields)
    article.countries.add(*(country(code) for code in codes))
    return article


def test_a_pair_page_lists_only_the_published_stories_on_both_countries(client):
    shared = pair_story("IN", "MA", headline="Rabat talks")
    pair_story("IN", "MA", headline="Secret draft", status=Status.DRAFT)
    pair_story("IN", "IT", headline="Rome talks")
    response = client.get("/ties/india-morocco/")
    assert response.status_code == 200
    text = text_of(response)
    assert "India and Morocco" in text and shared.headline in text
    assert "Secret draft" not in text and "Rome talks" not in text
    assert "1 story, newest first" in text


def test_the_reversed_address_and_a_merged_country_s_old_slug_redirect_permanently(client):
    pair_story("IN", "MA")
    response = client.get("/ties/morocco-india/?page=1")
    assert (response.status_code, response["Location"]) == (301, "/ties/india-morocco/?page=1")
    kingdom = Country.objects.create(name="Kingdom of Morocco", iso_code="XM", slug="kingdom-of-morocco")
    merge_entries(country("MA"), [kingdom], user=make_staff("merger", superuser=True))
    response = client.get("/ties/india-kingdom-of-morocco/")
    assert (response.status_code, response["Location"]) == (301, "/ties/india-morocco/")


@pytest.mark.parametrize("path", ["/ties/india-italy/", "/ties/india-india/", "/ties/india-atlantis/", "/ties/x/"])
def test_a_pair_without_a_published_story_or_not_a_pair_is_a_404(client, path):
    pair_story("IN", "IT", status=Status.DRAFT)
    assert client.get(path).status_code == 404


def test_slugs_with_hyphens_make_pair_addresses_too(client):
    pair_story("IN", "US")
    assert client.get("/ties/india-united-states/").status_code == 200
    assert client.get("/ties/united-states-india/")["Location"] == "/ties/india-united-states/"


def test_a_pair_page_shows_its_agreements_newest_first_with_kind_signing_date_status_and_signatories(client):
    pair_story("IN", "MA")
    rajnath = Official.objects.get(name="Rajnath Singh")
    old = make_agreement(
        "Old Accord", parties="India; Morocco", kind="treaty", signed_on=datetime.date(2010, 1, 5)
    )
    new = make_agreement("New MoU", parties="India; Morocco", kind="mou", signed_on=datetime.date(2024, 3, 1))
    new.signatories.add(rajnath)
    AgreementEvent.objects.create(agreement=old, kind=EventKind.IN_FORCE, date=datetime.date(2011, 2, 1))
    make_agreement("Hidden", parties="India; Morocco", needs_review=True)
    make_agreement("Italy Pact", parties="India; Italy")
    text = text_of(client.get("/ties/india-morocco/"))
    assert "Hidden" not in text and "Italy Pact" not in text
    assert text.index("New MoU") < text.index("Old Accord")
    assert "Old Accord Treaty 5 January 2010 In force since February 2011" in text
    assert "New MoU Memorandum of Understanding 1 March 2024 Not known Rajnath Singh" in text


def test_a_pair_page_lists_each_side_s_officials_with_their_roles(client):
    article = pair_story("IN", "MA")
    rajnath, loudiyi = Official.objects.get(name="Rajnath Singh"), Official.objects.get(name="Abdellatif Loudiyi")
    rubio = Official.objects.get(name="Marco Rubio")
    article.officials.add(rajnath, loudiyi, rubio)
    text = text_of(client.get("/ties/india-morocco/"))
    assert "Officials of India Rajnath Singh Defence Minister" in text
    assert f"Officials of Morocco Abdellatif Loudiyi {loudiyi.role}" in text
    officials = text[text.index("Officials of India") : text.index("newest first")]
    assert "Marco Rubio" not in officials


def test_a_pair_page_has_a_feed_open_graph_json_ld_and_the_coverage_chart_with_its_table(client):
    pair_story("IN", "MA", published_on=datetime.date(2025, 9, 22))
    make_agreement("New MoU", parties="India; Morocco")
    html = client.get("/ties/india-morocco/").content.decode()
    assert 'title="Ties: India–Morocco" href="/ties/india-morocco/feed/">' in html
    assert '<meta property="og:title" content="India and Morocco · Ties">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "CollectionPage"
    assert [c["name"] for c in data["about"]] == ["India", "Morocco"]
    assert "New MoU" in [a["name"] for a in data["mentions"]]
    assert "<svg" in html and "<caption" not in html and ">September 2025</time></th><td>1</td>" in html


def test_the_pair_feed_has_the_pair_s_published_stories_and_redirects_when_reversed(client):
    pair_story("IN", "MA", headline="Rabat talks")
    pair_story("IN", "MA", headline="Secret draft", status=Status.DRAFT)
    feed = client.get("/ties/india-morocco/feed/").content.decode()
    assert "Rabat talks" in feed and "Secret draft" not in feed
    assert client.get("/ties/morocco-india/feed/").status_code == 301
    assert client.get("/ties/india-italy/feed/").status_code == 404


def test_a_country_page_lists_its_pairs_most_covered_first_with_story_and_agreement_counts(client):
    for _ in range(2):
        pair_story("IN", "MA")
    pair_story("IN", "IT")
    pair_story("IN", "IL", status=Status.DRAFT)
    make_agreement("New MoU", parties="India; Morocco")
    text = text_of(client.get("/countries/india/"))
    section = text[text.index("Ties of India") :]
    assert "India–Morocco 2 stories · " in section and "India–Italy 1 story · " in section
    assert section.index("India–Morocco") < section.index("India–Italy")
    assert "India–Israel" not in section


def test_a_story_page_links_the_pairs_it_is_about(client):
    article = pair_story("IN", "MA", "US")
    html = client.get(article.get_absolute_url()).content.decode()
    for slug in ("india-morocco", "india-united-states", "morocco-united-states"):
        assert f'href="/ties/{slug}/"' in html


def test_the_story_list_filters_by_pair(client):
    pair_story("IN", "MA", headline="Rabat talks")
    pair_story("IN", "IT", headline="Rome talks")
    text = text_of(client.get("/articles/?pair=india-morocco"))
    assert "Rabat talks" in text and "Rome talks" not in text
    assert client.get("/articles/?pair=morocco-india").status_code == 200
    assert "Rabat talks" in text_of(client.get("/articles/?pair=morocco-india"))
    assert "not a pair" in text_of(client.get("/articles/?pair=india-atlantis"))


def test_the_pair_page_costs_the_same_queries_for_5_stories_as_for_50(client):
    rajnath = Official.objects.get(name="Rajnath Singh")

    def add(count):
        for n in range(count):
            article = pair_story("IN", "MA")
            article.officials.add(rajnath)
            agreement = make_agreement(f"Accord {count}-{n}", parties="India; Morocco")
            agreement.signatories.add(rajnath)
            AgreementEvent.objects.create(
                agreement=agreement, kind=EventKind.SIGNED, date=datetime.date(2025, 1, 1)
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/ties/india-morocco/")
            assert response.status_code == 200
        return len(captured)

    add(5)
    five = queries()
    add(45)
    assert queries() == five


def test_pairs_count_only_published_stories():
    pair_story("IN", "MA")
    pair_story("IN", "MA", status=Status.DRAFT)
    assert pairs.story_count(country("IN"), country("MA")) == 1
    assert [(p.slug, p.story_count) for p in pairs.pairs(country("MA"))] == [("india-morocco", 1)]


def test_a_cached_pair_page_changes_with_a_new_story_a_publication_and_an_agreement_event(client, settings):
    settings.PAGE_CACHE_SECONDS = settings.QUERY_CACHE_SECONDS = 600
    pair_story("IN", "MA", headline="First talks")
    assert "First talks" in text_of(client.get("/ties/india-morocco/"))
    draft = pair_story("IN", "MA", headline="Second talks", status=Status.DRAFT)
    assert "Second talks" not in text_of(client.get("/ties/india-morocco/"))
    draft.status = Status.PUBLISHED
    draft.save()
    assert "Second talks" in text_of(client.get("/ties/india-morocco/"))
    mou = make_agreement("Cached MoU", parties="India; Morocco")
    assert "Cached MoU Agreement Not known Not known" in text_of(client.get("/ties/india-morocco/"))
    AgreementEvent.objects.create(agreement=mou, kind=EventKind.IN_FORCE, date=datetime.date(2025, 1, 1))
    assert "Cached MoU Agreement Not known In force since January 2025" in text_of(
        client.get("/ties/india-morocco/")
    )


def test_after_importing_the_seeds_the_pair_pages_show_the_india_morocco_defence_mou_and_its_signatories(
    client, seeds_dir
):
    from django.core.management import call_command

    call_command("import_articles", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    response = client.get("/ties/india-morocco/")
    assert response.status_code == 200
    text = text_of(response)
    row = text[text.index("India–Morocco Defence MoU Memorandum") :]
    assert row.startswith("India–Morocco Defence MoU Memorandum of Understanding 22 September 2025 Signed")
    signatories = row[: row.index("Officials of")]
    assert "Rajnath Singh" in signatories and "Abdellatif Loudiyi" in signatories
    assert client.get("/ties/india-israel/").status_code == 200
    assert client.get("/ties/india-italy/").status_code == 200


def test_an_agreement_page_shows_its_signatories_status_and_life_with_published_sources(client):
    story = pair_story("IN", "MA", headline="Rabat talks")
    draft = pair_story("IN", "MA", headline="Secret draft", status=Status.DRAFT)
    mou = make_agreement("Life MoU", parties="India; Morocco", kind="mou")
    mou.signatories.add(Official.objects.get(name="Rajnath Singh"))
    signing = AgreementEvent.objects.create(agreement=mou, kind=EventKind.SIGNED, date=datetime.date(2025, 9, 22))
    signing.sources.add(story, draft)
    AgreementEvent.objects.create(
        agreement=mou,
        kind=EventKind.RATIFIED,
        party=country("MA"),
        date=datetime.date(2026, 1, 1),
        date_precision="month",
    )
    text = text_of(client.get(mou.get_absolute_url()))
    assert "Signatories Rajnath Singh (India)" in text and "Status Ratified" in text
    assert "Signed : 22 September 2025 Reported in Rabat talks" in text
    assert "Ratified by Morocco: January 2026" in text
    assert "Secret draft" not in text


def test_a_pair_page_lists_its_latest_twenty_agreements_and_sends_to_the_ledger_for_the_rest(client):
    pair_story("IN", "MA")
    count = 25 - Agreement.objects.filter(parties=country("IN")).filter(parties=country("MA")).count()
    for n in range(count):
        make_agreement(f"Accord {n:02}", parties="India; Morocco", signed_on=datetime.date(2000 + n, 1, 1))
    text = text_of(client.get("/ties/india-morocco/"))
    assert "The latest 20 of 25; all of them in the ledger" in text
    assert f"Accord {count - 1:02}" in text and "Accord 00" not in text
