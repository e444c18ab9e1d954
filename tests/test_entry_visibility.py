"""An entry the importer made that needs review is public only once a published story is tagged with it."""

import re

import pytest

from articles.models import AgreementAlias, Official, Status

from .factories import make_agreement, make_article, make_official, make_user
from .test_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted():
    """An official and an agreement that only a draft names, both awaiting review, as the importer leaves them."""
    official = make_official("Pete Hegseth", role="Secretary of Defense", needs_review=True)
    agreement = make_agreement("India–US Defence Framework", needs_review=True)
    draft = make_article(status=Status.DRAFT, headline="Draft about a framework")
    draft.officials.add(official)
    draft.agreements.add(agreement)
    return draft, official, agreement


def public_surfaces(entry) -> dict[str, str]:
    kind = entry._meta.model_name
    plural = str(entry._meta.verbose_name_plural)
    return {
        "page": entry.get_absolute_url(),
        "feed": f"{entry.get_absolute_url()}feed/",
        "api detail": f"/api/{plural}/{entry.slug}/",
        "list filter": f"/articles/?{kind}={entry.slug}",
        "api filter": f"/api/articles/?{kind}={entry.slug}",
    }


def sitemap_text(client) -> str:
    """The sitemap, with every sitemap an index points to."""
    text = client.get("/sitemap.xml").text
    for url in re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", text):
        text += client.get(url.replace("&amp;", "&")).text
    return text


def listed(client, entry) -> dict[str, bool]:
    plural = str(entry._meta.verbose_name_plural)
    return {
        "list": entry.name in client.get(f"/{plural}/").text,
        "api list": entry.slug in client.get(f"/api/{plural}/").text,
        "sitemap": entry.get_absolute_url() in sitemap_text(client),
        "home": entry.name in client.get("/").text,
    }


def answers(client, entry) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in public_surfaces(entry).items()}


def test_an_entry_awaiting_review_seen_only_in_a_draft_is_nowhere_public(client, drafted):
    _draft, official, agreement = drafted
    for entry in (official, agreement):
        assert answers(client, entry) == {
            "page": 404,
            "feed": 404,
            "api detail": 404,
            # Unknown to readers, exactly like a slug that does not exist.
            "list filter": 200,
            "api filter": 400,
        }
        assert "Select a valid choice" in client.get(public_surfaces(entry)["list filter"]).text
        assert listed(client, entry) == {"list": False, "api list": False, "sitemap": False, "home": False}


def test_once_a_story_naming_it_is_published_the_entry_is_public(client, drafted):
    draft, official, _agreement = drafted
    draft.status = Status.PUBLISHED
    draft.save()
    assert answers(client, official) == dict.fromkeys(public_surfaces(official), 200)
    assert listed(client, official) == {"list": True, "api list": True, "sitemap": True, "home": True}


def test_a_reviewed_entry_without_stories_keeps_its_page(client, drafted):
    _draft, official, _agreement = drafted
    Official.objects.filter(pk=official.pk).update(needs_review=False)
    assert client.get(official.get_absolute_url()).status_code == 200
    assert client.get(f"/api/officials/{official.slug}/").status_code == 200


def test_a_former_slug_does_not_lead_to_an_entry_awaiting_review(client, drafted):
    _draft, _official, agreement = drafted
    AgreementAlias.objects.create(entry=agreement, name="Old framework", former_slug="old-framework")
    assert client.get("/agreements/old-framework/").status_code == 404
    assert client.get("/api/agreements/old-framework/").status_code == 404


def test_editors_still_see_it_in_the_admin_and_the_api(editor_client, drafted):
    _draft, official, agreement = drafted
    assert official.name in editor_client.get("/admin/articles/official/").text
    assert editor_client.get(f"/admin/articles/agreement/{agreement.pk}/change/").status_code == 200
    api = client_for(make_user("desk", groups=("Editors",)))
    assert official.slug in api.get("/api/officials/").text
    assert api.get(f"/api/agreements/{agreement.slug}/").status_code == 200
    assert api.get(f"/api/articles/?status=draft&official={official.slug}").json()["count"] == 1
