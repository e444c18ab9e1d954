"""The editors' desk: what the importer leaves for review is findable, counted, and settled in one click."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.ingest import parsing
from articles.models import Article, Official, OfficialAlias, TaggedCountry, TaggedOfficial, TagOrigin

from .conftest import SEEDS
from .factories import country, make_article, make_official, make_staff

pytestmark = pytest.mark.django_db

ADMIN = "/admin/articles"
QUEUE = f"{ADMIN}/article/review/"


def importer_tag(through, article, entry, *, confidence=0.4, needs_review=False, evidence="A sentence."):
    return through.objects.create(
        content_object=article,
        tag=entry,
        origin=TagOrigin.IMPORTER,
        confidence=confidence,
        evidence=evidence,
        needs_review=needs_review,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# What the importer marks


def test_an_alias_the_importer_learns_is_marked_for_review_and_an_editors_is_not(editor_client, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Rabat, Sept 22 (ANI): Abdelatif Loudyi met his counterpart to talk about defence.\n")
    call_command("import_articles", str(story), stdout=io.StringIO())
    alias = OfficialAlias.objects.get(name="Abdelatif Loudyi")
    assert alias.needs_review
    assert not OfficialAlias.objects.create(entry=alias.entry, name="A. Loudiyi").needs_review


def test_a_headline_cut_from_the_first_sentence_is_marked_and_a_written_one_is_not():
    derived = parsing.parse_article(b"India and Morocco signed a defence pact in Rabat on Monday.\n")
    written = parsing.parse_article(b"India, Morocco sign defence pact\n\nThey signed it in Rabat on Monday.\n")
    assert derived.headline_derived
    assert not written.headline_derived


def test_the_seeds_leave_entries_and_aliases_to_review_and_the_filters_find_them(editor_client):
    call_command("import_articles", str(SEEDS), stdout=io.StringIO())
    waiting = OfficialAlias.objects.filter(needs_review=True)
    assert waiting.exists()
    page = editor_client.get(f"{ADMIN}/official/?review=aliases")
    assert {row.pk for row in page.context["cl"].result_list} == set(waiting.values_list("entry_id", flat=True))
    stories = editor_client.get(f"{ADMIN}/article/?needs_review=yes").context["cl"].result_count
    assert stories > 0


def test_marking_an_entry_reviewed_settles_its_aliases_too(editor_client):
    official = Official.objects.get(name="Abdellatif Loudiyi")
    OfficialAlias.objects.create(entry=official, name="Abdelatif Loudyi", needs_review=True)
    editor_client.post(f"{ADMIN}/official/", {"action": "mark_reviewed", "_selected_action": [official.pk]})
    assert not OfficialAlias.objects.filter(needs_review=True).exists()


# The admin index


def test_the_admin_is_branded_and_its_index_counts_what_waits(editor_client):
    article = make_article(headline_derived=True)
    importer_tag(TaggedCountry, article, country("MA"), needs_review=True)
    make_official("Gilbert Teodoro", needs_review=True)
    page = editor_client.get("/admin/")
    text = " ".join(page.text.split())
    assert "Django administration" not in text
    assert "<title>Editors&#x27; desk | Ties admin</title>" in page.text
    assert 'title="Models in the Stories application">Stories</a>' in page.text
    assert f'href="{QUEUE}#entries">Entries needing review</a></th><td class="count">1<' in page.text
    assert f'href="{QUEUE}#tags">Tags to confirm</a></th><td class="count">1<' in page.text
    assert 'Stories with a made-up headline or no date</a></th><td class="count">1<' in page.text


# The review queue


def test_the_queue_lists_unsure_tags_with_their_sentence_and_leaves_sure_and_editors_tags_out(editor_client):
    article = make_article(headline="India and Morocco sign a pact")
    importer_tag(TaggedCountry, article, country("MA"), confidence=0.35, evidence="talks with his Moroccan host")
    importer_tag(TaggedCountry, article, country("IN"), confidence=0.95)
    TaggedCountry.objects.create(content_object=article, tag=country("FR"))  # an editor's
    page = editor_client.get(QUEUE)
    (countries, *_others) = page.context["queue"]["tags"]
    assert [row.tag.name for row in countries.rows] == ["Morocco"]
    assert "“talks with his Moroccan host”" not in page.text  # the quotes are drawn by CSS around <q>
    assert '<q class="tag-evidence">talks with his Moroccan host</q>' in page.text
    assert "35%" in page.text


def test_accepting_a_tag_makes_it_the_editors_and_takes_it_off_the_queue(editor_client):
    article = make_article()
    tagged = importer_tag(TaggedCountry, article, country("MA"), needs_review=True)
    response = editor_client.post(QUEUE, {"action": "accept_tag", "kind": "country", "pk": tagged.pk}, follow=True)
    assert messages_of(response) == [f"Kept “Morocco” on “{article.headline}”."]
    tagged.refresh_from_db()
    assert (tagged.origin, tagged.needs_review, tagged.evidence) == (TagOrigin.EDITOR, False, "A sentence.")
    assert response.context["queue"]["tags"][0].total == 0


def test_removing_a_tag_untags_the_story_records_a_version_and_logs_who(editor_client):
    article = make_article()
    tagged = importer_tag(TaggedCountry, article, country("MA"), needs_review=True)
    versions = article.history.count()
    editor_client.post(QUEUE, {"action": "remove_tag", "kind": "country", "pk": tagged.pk})
    assert not article.countries.exists()
    assert article.history.count() == versions + 1
    assert LogEntry.objects.get(object_id=str(article.pk)).user.username == "editor"


def test_entries_needing_review_show_the_stories_and_sentences_they_came_from(editor_client):
    hegseth = make_official("Pete Hegseth", role="US Secretary of Defense", needs_review=True)
    article = make_article(headline="Hegseth meets Singh")
    importer_tag(TaggedOfficial, article, hegseth, confidence=0.9, evidence="US Secretary Pete Hegseth said")
    page = editor_client.get(QUEUE)
    text = " ".join(page.text.split())
    assert "Hegseth meets Singh" in text
    assert "US Secretary Pete Hegseth said" in text
    assert f"{ADMIN}/official/?q=Pete%20Hegseth" in page.text  # merge into…
    response = editor_client.post(QUEUE, {"action": "accept_entry", "kind": "official", "pk": hegseth.pk})
    assert response.status_code == 302
    hegseth.refresh_from_db()
    assert not hegseth.needs_review


def test_an_alias_is_accepted_or_removed_from_the_queue(editor_client):
    official = Official.objects.get(name="Abdellatif Loudiyi")
    kept = OfficialAlias.objects.create(entry=official, name="Abdelatif Loudyi", needs_review=True)
    wrong = OfficialAlias.objects.create(entry=official, name="A. Loudi", needs_review=True)
    editor_client.post(QUEUE, {"action": "accept_alias", "kind": "official", "pk": kept.pk})
    editor_client.post(QUEUE, {"action": "remove_alias", "kind": "official", "pk": wrong.pk})
    assert list(OfficialAlias.objects.values_list("name", "needs_review")) == [("Abdelatif Loudyi", False)]


def test_a_made_up_headline_is_kept_in_one_click_and_an_undated_story_waits_for_an_edit(editor_client):
    derived = make_article(headline_derived=True)
    undated = make_article(published_on=None)
    make_article()
    page = editor_client.get(QUEUE)
    assert [story.pk for story in page.context["queue"]["stories"][0].rows] == [undated.pk, derived.pk]
    editor_client.post(QUEUE, {"action": "accept_headline", "kind": "story", "pk": derived.pk})
    derived.refresh_from_db()
    assert not derived.headline_derived


def test_a_bad_review_action_changes_nothing_and_says_so(editor_client):
    tagged = importer_tag(TaggedCountry, make_article(), country("MA"), needs_review=True)
    for data in (
        {"action": "drop_table", "kind": "country", "pk": tagged.pk},
        {"action": "accept_tag", "kind": "planet", "pk": tagged.pk},
        {"action": "accept_tag", "kind": "country", "pk": "1 OR 1=1"},
    ):
        response = editor_client.post(QUEUE, data, follow=True)
        assert messages_of(response) == ["That review action was not understood; nothing changed."]
    response = editor_client.post(QUEUE, {"action": "accept_tag", "kind": "country", "pk": 999999}, follow=True)
    assert "gone already" in messages_of(response)[0]
    tagged.refresh_from_db()
    assert tagged.needs_review


def test_someone_who_may_only_view_stories_sees_the_queue_but_cannot_act(client):
    from django.contrib.auth.models import Permission

    viewer = make_staff("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    tagged = importer_tag(TaggedCountry, make_article(), country("MA"), needs_review=True)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert 'value="accept_tag"' not in page.text
    assert client.post(QUEUE, {"action": "remove_tag", "kind": "country", "pk": tagged.pk}).status_code == 403
    assert TaggedCountry.objects.filter(pk=tagged.pk).exists()


def test_the_queue_costs_the_same_queries_for_many_waiting_items(editor_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(QUEUE).status_code == 200
        return len(captured)

    def add_waiting(n):
        for i in range(n):
            article = make_article(headline_derived=True)
            official = make_official(f"New Official {article.pk}", needs_review=True)
            importer_tag(TaggedOfficial, article, official, needs_review=True)
            importer_tag(TaggedCountry, article, country("MA"), confidence=0.2)
            OfficialAlias.objects.create(entry=official, name=f"N. Official {i} {article.pk}", needs_review=True)

    add_waiting(2)
    few = queries()
    add_waiting(60)  # more than a page of each part: the counts are asked for too
    assert queries() <= few + 8  # one COUNT per full part, never one per row
    add_waiting(20)
    assert queries() == queries()


def test_the_story_form_shows_which_tags_came_from_the_importer_and_which_from_an_editor(editor_client):
    article = make_article()
    importer_tag(TaggedCountry, article, country("MA"), confidence=0.62, evidence="his Moroccan counterpart")
    TaggedCountry.objects.create(content_object=article, tag=country("IN"))
    page = editor_client.get(f"{ADMIN}/article/{article.pk}/change/")
    text = " ".join(page.text.split())
    assert "Importer 62%" in text
    assert '<q class="tag-evidence">his Moroccan counterpart</q>' in page.text
    assert "Editor" in text
    assert "tagged with" not in text


def test_saving_a_story_untouched_changes_nothing_and_records_no_version(editor_client):
    article = make_article(body="First paragraph.\n\nSecond paragraph.\nA line.")
    url = f"{ADMIN}/article/{article.pk}/change/"
    form = editor_client.get(url)
    data = {}
    for name, value in _form_data(form).items():
        data[name] = value.replace("\n", "\r\n") if isinstance(value, str) else value  # as browsers post them
    versions, updated = article.history.count(), article.updated_at
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == "First paragraph.\n\nSecond paragraph.\nA line."
    assert (article.history.count(), article.updated_at) == (versions, updated)
    assert "Changed" not in (LogEntry.objects.filter(object_id=str(article.pk)).first().get_change_message())


def test_editing_a_made_up_headline_clears_its_mark(editor_client):
    article = make_article(headline="India and Morocco signed a pact on", headline_derived=True)
    url = f"{ADMIN}/article/{article.pk}/change/"
    data = _form_data(editor_client.get(url))
    data["headline"] = "India and Morocco sign a defence pact"
    data.pop("headline_derived", None)  # an unticked checkbox is not posted
    data["headline_derived"] = "on"
    assert editor_client.post(url, data).status_code == 302
    assert not Article.objects.get(pk=article.pk).headline_derived


def _form_data(response) -> dict:
    from .test_admin import unchanged_form_data

    return unchanged_form_data(response)
