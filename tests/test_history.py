"""A story's versions keep its tags: every way of changing them, the history page, and reverting."""

from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import versions
from articles.importing import Importer
from articles.ingest.parsing import parse_article
from articles.merging import merge_entries
from articles.models import Article, Official, Status, TaggedCountry, TaggedOfficial

from .factories import country, import_bytes, make_article, make_official, make_staff, make_user
from .test_admin import STORIES, add_inline_row, messages_of, names, run_action, unchanged_form_data
from .test_api import client_for

pytestmark = pytest.mark.django_db


def tag_names(version) -> dict[str, set[str]]:
    """A version's tags by vocabulary, as names."""
    return {kind: {entry["name"] for entry in entries} for kind, entries in version.tags.items()}


def tagged(countries=(), officials=(), agreements=()) -> dict[str, set[str]]:
    return {"countries": set(countries), "officials": set(officials), "agreements": set(agreements)}


def save_form(client, article, *, rows=(), **fields):
    """Save the story's admin form with these field values and extra tag rows, (through model, entry) each."""
    url = f"{STORIES}{article.pk}/change/"
    form = client.get(url)
    data = unchanged_form_data(form) | fields
    for through, entry in rows:
        data = add_inline_row(data, form, through, tag=entry.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def revert_url(version) -> str:
    return f"{STORIES}{version.id}/history/{version.history_id}/"


def revert(client, version):
    """Press Revert on the version's page, changing nothing in the form."""
    data = unchanged_form_data(client.get(revert_url(version)))
    return client.post(revert_url(version), data, follow=True)


@pytest.fixture
def rajnath():
    return Official.objects.get(name="Rajnath Singh")


# Every way of changing tags leaves a version that carries them


def test_tags_edited_in_the_story_form_are_in_the_version_the_save_writes(editor_client, rajnath):
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedCountry, country("IN")), (TaggedOfficial, rajnath)])
    latest = article.history.latest()
    assert latest.history_user.username == "editor"
    assert tag_names(latest) == tagged(countries={"India"}, officials={"Rajnath Singh"})
    assert tag_names(article.history.earliest()) == tagged()


def test_a_story_added_in_the_admin_has_its_tags_in_its_first_version(editor_client, rajnath):
    form = editor_client.get(f"{STORIES}add/")
    data = unchanged_form_data(form) | {"headline": "Fresh", "slug": "fresh", "body": "Text."}
    data = add_inline_row(data, form, TaggedOfficial, tag=rajnath.pk)
    assert editor_client.post(f"{STORIES}add/", data).status_code == 302
    [version] = Article.objects.get(slug="fresh").history.all()
    assert (version.history_type, tag_names(version)) == ("+", tagged(officials={"Rajnath Singh"}))


def test_adding_and_removing_entries_on_many_stories_writes_a_version_of_each_by_the_editor(editor_client):
    india = country("IN")
    first, second = make_article(), make_article()
    run_action(editor_client, STORIES, "add_entries", [first, second], apply="1", countries=[india.pk])
    for article in (first, second):
        latest = article.history.latest()
        assert (latest.history_user.username, latest.history_change_reason) == ("editor", "tags added")
        assert tag_names(latest) == tagged(countries={"India"})
    run_action(editor_client, STORIES, "remove_entries", [first], apply="1", countries=[india.pk])
    latest = first.history.latest()
    assert (latest.history_change_reason, tag_names(latest)) == ("tags removed", tagged())
    assert second.history.latest().history_change_reason == "tags added"


def test_publishing_writes_a_version_that_still_carries_the_tags(editor_client):
    draft = make_article(status=Status.DRAFT)
    save_form(editor_client, draft, rows=[(TaggedCountry, country("MA"))])
    run_action(editor_client, STORIES, "publish", [draft])
    latest = draft.history.latest()
    assert (latest.status, latest.history_change_reason) == (Status.PUBLISHED, "published")
    assert tag_names(latest) == tagged(countries={"Morocco"})


def test_rerunning_automatic_tagging_writes_a_version_for_each_story_that_gained_tags(editor_client):
    found = make_article(body="Defence Minister Rajnath Singh spoke to reporters.")
    nothing = make_article(body="The weather was mild all week.")
    run_action(editor_client, STORIES, "retag_selected", [found, nothing])
    latest = found.history.latest()
    assert (latest.history_user.username, latest.history_change_reason) == ("editor", "automatic tagging re-run")
    assert "Rajnath Singh" in tag_names(latest)["officials"]
    assert nothing.history.count() == 1


def story_text(n: int) -> bytes:
    return (
        f" date 2026-01-{n + 1:02d} Rabat, Jan {n + 1} Defence Minister Rajnath Singh met Israel Katz in Rabat "
        f"for round {n} of talks on maritime security.\n"
    ).encode()


TALKS_TAGS = tagged(countries={"India", "Israel"}, officials={"Rajnath Singh", "Israel Katz"})


def test_a_story_imported_on_its_own_has_its_tags_in_its_first_version():
    result = import_bytes(Importer(), story_text(1), "talks.txt")
    [version] = result.article.history.all()
    assert version.history_type == "+"
    assert tag_names(version) == TALKS_TAGS


def test_stories_imported_in_a_batch_have_their_tags_in_their_first_version():
    batch = [(f"talks-{n}.txt", parse_article(story_text(n))) for n in range(3)]
    results = Importer().import_batch(batch)
    for result in results:
        [version] = result.article.history.all()
        assert (version.history_type, version.history_change_reason) == ("+", "imported")
        assert tag_names(version) == TALKS_TAGS


def test_a_re_imported_story_keeps_its_tags_in_the_new_version():
    importer = Importer()
    article = import_bytes(importer, story_text(1), "talks.txt").article
    import_bytes(importer, story_text(1) + b"A correction follows.\n", "talks.txt")
    latest = article.history.latest()
    assert latest.history_change_reason == "re-imported from talks.txt"
    assert tag_names(latest) == TALKS_TAGS


def test_a_story_added_through_the_api_has_its_tags_in_its_first_version():
    api = client_for(make_user("writer", groups=("Editors",)))
    response = api.post(
        "/api/articles/",
        {"headline": "Talks", "body": "Rabat: talks.", "countries": ["india", "morocco"]},
        format="json",
    )
    assert response.status_code == 201
    [version] = Article.objects.get(slug=response.json()["slug"]).history.all()
    assert tag_names(version) == tagged(countries={"India", "Morocco"})


def test_changing_tags_through_the_api_leaves_a_version_with_the_new_ones(rajnath):
    api = client_for(make_user("writer", groups=("Editors",)))
    article = make_article(status=Status.DRAFT)
    article.countries.add(country("IN"))
    response = api.patch(
        f"/api/articles/{article.slug}/",
        {"headline": "Better", "countries": ["morocco"], "officials": [rajnath.slug]},
        format="json",
    )
    assert response.status_code == 200
    latest = article.history.latest()
    assert (latest.headline, latest.history_change_reason) == ("Better", "changed through the API")
    assert tag_names(latest) == tagged(countries={"Morocco"}, officials={"Rajnath Singh"})


def test_a_merge_gives_each_story_it_touched_a_version_with_the_survivor_by_who_merged(editor, monkeypatch):
    monkeypatch.setattr(versions, "CHUNK", 2)  # more stories than one batch of versions
    survivor, duplicate = make_official("Karim Bennani"), make_official("Karim Benani")
    touched = [make_article() for _ in range(5)]
    for article in touched:
        article.officials.add(duplicate)
    untouched = make_article()
    merge_entries(survivor, [duplicate], user=editor)
    for article in touched:
        latest = article.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            editor,
            "Official “Karim Benani” merged into “Karim Bennani”.",
        )
        assert tag_names(latest) == tagged(officials={"Karim Bennani"})
    assert untouched.history.count() == 1


# The history page


def test_the_history_page_shows_who_changed_which_tags(editor_client, rajnath):
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedCountry, country("IN")), (TaggedOfficial, rajnath)])
    amina = Client()
    amina.force_login(make_staff("amina", editor=True))
    run_action(amina, STORIES, "remove_entries", [article], apply="1", officials=[rajnath.pk])
    response = editor_client.get(f"{STORIES}{article.pk}/history/")
    rows = [
        (record.history_user and record.history_user.username, getattr(record, "history_delta_changes", []))
        for record in response.context["page_obj"]
    ]
    assert rows == [
        ("amina", [{"field": "Officials", "old": "Rajnath Singh", "new": "—"}]),
        (
            "editor",
            [
                {"field": "Countries", "old": "—", "new": "India"},
                {"field": "Officials", "old": "—", "new": "Rajnath Singh"},
            ],
        ),
        (None, []),
    ]
    shown = " ".join(response.text.split())
    assert "<strong>Officials:</strong> Rajnath Singh &nbsp;&rarr;&nbsp;&nbsp;—" in shown


def test_the_history_page_costs_the_same_queries_for_5_and_50_versions(editor_client):
    article = make_article()
    india = country("IN")
    url = f"{STORIES}{article.pk}/history/"

    def grow_to(count: int):
        while article.history.count() < count:
            if article.countries.exists():
                article.countries.remove(india)
            else:
                article.countries.add(india)
            versions.write_versions([article])

    def queries() -> int:
        editor_client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(url)
        assert response.status_code == 200
        return len(captured)

    grow_to(5)
    with_5 = queries()
    grow_to(50)
    assert queries() == with_5


# Reverting


def test_reverting_a_version_restores_its_fields_and_tags_as_a_new_version_by_the_editor(editor_client, rajnath):
    article = make_article(headline="Right headline")
    save_form(editor_client, article, rows=[(TaggedCountry, country("IN")), (TaggedOfficial, rajnath)])
    good = article.history.latest()
    save_form(editor_client, article, headline="Wrong headline", rows=[(TaggedCountry, country("MA"))])
    run_action(editor_client, STORIES, "remove_entries", [article], apply="1", officials=[rajnath.pk])
    response = revert(editor_client, good)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Right headline"
    assert (names(article.countries), names(article.officials)) == ({"India"}, {"Rajnath Singh"})
    latest = article.history.latest()
    assert latest.history_user.username == "editor"
    assert latest.history_change_reason.startswith("reverted to the version of ")
    assert tag_names(latest) == tag_names(good)


def test_a_revert_restores_fields_and_tags_together_or_not_at_all(editor_client):
    article = make_article(headline="Right headline")
    save_form(editor_client, article, rows=[(TaggedCountry, country("IN"))])
    good = article.history.latest()
    save_form(editor_client, article, headline="Wrong headline", rows=[(TaggedCountry, country("MA"))])
    count = article.history.count()
    with (
        mock.patch("articles.admin.restore_tags", side_effect=DatabaseError("connection lost")),
        pytest.raises(DatabaseError),
    ):
        revert(editor_client, good)
    article.refresh_from_db()
    assert article.headline == "Wrong headline"
    assert names(article.countries) == {"India", "Morocco"}
    assert article.history.count() == count


def test_an_entry_merged_since_the_version_comes_back_as_its_survivor(editor_client, editor):
    survivor, duplicate = make_official("Karim Bennani"), make_official("Karim Benani")
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedOfficial, duplicate)])
    version = article.history.latest()
    run_action(editor_client, STORIES, "remove_entries", [article], apply="1", officials=[duplicate.pk])
    merge_entries(survivor, [duplicate], user=editor)
    response = revert(editor_client, version)
    assert names(article.officials) == {"Karim Bennani"}
    assert (
        "Official “Karim Benani” has been merged into “Karim Bennani” since: the story gets "
        "“Karim Bennani”." in messages_of(response)
    )


def test_an_entry_merged_twice_since_comes_back_as_the_last_survivor(editor_client, editor):
    first, second, last = (
        make_official("Leila Amrani"),
        make_official("Leila Amraani"),
        make_official("Leila El Amrani"),
    )
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedOfficial, first)])
    version = article.history.latest()
    merge_entries(second, [first], user=editor)
    merge_entries(last, [second], user=editor)
    run_action(editor_client, STORIES, "remove_entries", [article], apply="1", officials=[last.pk])
    revert(editor_client, version)
    assert names(article.officials) == {"Leila El Amrani"}


def test_an_entry_deleted_since_is_left_out_and_the_editor_is_told(editor_client):
    gone = make_official("Someone Deleted")
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedOfficial, gone), (TaggedCountry, country("IN"))])
    version = article.history.latest()
    gone.delete()
    response = revert(editor_client, version)
    assert (names(article.countries), names(article.officials)) == ({"India"}, set())
    assert "Official “Someone Deleted” no longer exists and cannot be restored." in messages_of(response)


def test_the_revert_page_shows_the_version_s_tags_and_what_cannot_come_back(editor_client, editor):
    survivor, duplicate = make_official("Karim Bennani"), make_official("Karim Benani")
    gone = make_official("Someone Deleted")
    article = make_article()
    save_form(editor_client, article, rows=[(TaggedOfficial, duplicate), (TaggedOfficial, gone)])
    version = article.history.latest()
    merge_entries(survivor, [duplicate], user=editor)
    gone.delete()
    restore = editor_client.get(revert_url(version)).context["tag_restore"]
    assert [entry.name for entry in restore.entries["officials"]] == ["Karim Bennani"]
    page = editor_client.get(revert_url(version)).text
    assert "Tags in this version" in page
    assert "has been merged into “Karim Bennani” since" in page
    assert "Official “Someone Deleted” no longer exists and cannot be restored." in page


def test_a_version_saved_before_versions_kept_tags_reverts_its_fields_and_leaves_the_tags(editor_client):
    article = make_article(headline="Old headline")
    article.countries.add(country("IN"))
    article.headline = "New headline"
    article.save()
    old = article.history.earliest()
    Article.history.filter(history_id=old.history_id).update(tags=None)
    old.refresh_from_db()
    assert "reverting to it leaves the story's tags as they are" in editor_client.get(revert_url(old)).text
    response = revert(editor_client, old)
    article.refresh_from_db()
    assert (article.headline, names(article.countries)) == ("Old headline", {"India"})
    assert "This version was saved before versions kept tags: the tags were left as they are." in messages_of(
        response
    )
