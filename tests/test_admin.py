"""The editors' admin: pages, actions, history, aliases, merging, rights and query counts."""

import json
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import importing
from articles.models import (
    Agreement,
    Article,
    Country,
    Official,
    OfficialAlias,
    Status,
    TaggedAgreement,
    TaggedCountry,
    TaggedOfficial,
)

from .factories import country, make_agreement, make_article, make_official, make_staff, tagged_articles

pytestmark = pytest.mark.django_db

ADMIN = "/admin/articles"
STORIES = f"{ADMIN}/article/"


def staff_with(username: str, *codenames: str):
    """A staff user holding exactly these articles permissions."""
    user = make_staff(username)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


def names(tags) -> set[str]:
    return {tag.name for tag in tags.all()}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def unchanged_form_data(response) -> dict:
    """What the change form on this page posts when nothing is edited, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        management = inline.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form[name].html_name] = value
    return data


def add_inline_row(data: dict, response, model, **fields) -> dict:
    """Post data with one more row in the inline editing `model`."""
    (formset,) = [i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is model]
    total = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    data[f"{formset.prefix}-TOTAL_FORMS"] = total + 1
    data.update({f"{formset.prefix}-{total}-{name}": value for name, value in fields.items()})
    return data


def run_action(client, changelist: str, action: str, objects, *, follow: bool = False, **data):
    """Post an admin action for `objects` as the changelist's action bar does."""
    selected = [entry.pk for entry in objects]
    return client.post(changelist, {"action": action, "_selected_action": selected, **data}, follow=follow)


# The story list


def test_the_story_list_shows_headline_date_status_source_and_countries_newest_first(editor_client):
    old = make_article(headline="Older talks", published_on="2025-01-01", source="ANI")
    new = make_article(headline="Newer talks", published_on="2025-06-01", status=Status.DRAFT)
    old.countries.add(country("IN"), country("MA"))
    response = editor_client.get(STORIES)
    assert list(response.context["cl"].result_list) == [new, old]
    html = response.text
    assert "India, Morocco" in html
    assert "ANI" in html and "Draft" in html


def test_the_story_list_filters_offer_only_the_entries_in_use(editor_client):
    article = make_article()
    article.countries.add(country("MA"))
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    response = editor_client.get(STORIES)
    choices = {
        spec.title: [c["display"] for c in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["country"] == ["All", "Morocco"]
    assert choices["official"] == ["All", "Rajnath Singh"]
    assert "agreement" not in choices  # no story has one, so there is nothing to filter by


def test_stories_filter_by_entry_and_by_entries_needing_review(editor_client):
    rajnath, newcomer = Official.objects.get(name="Rajnath Singh"), make_official("New Face", needs_review=True)
    with_rajnath, with_newcomer, plain = make_article(), make_article(), make_article()
    with_rajnath.officials.add(rajnath)
    with_newcomer.officials.add(newcomer)

    def listed(query):
        return set(editor_client.get(STORIES + query).context["cl"].result_list)

    assert listed(f"?official={rajnath.pk}") == {with_rajnath}
    assert listed("?needs_review=yes") == {with_newcomer}
    assert listed("?needs_review=no") == {with_rajnath, plain}
    assert listed("?status__exact=published&official=x") == set()


def test_search_finds_stories_by_headline_body_and_dateline(editor_client):
    by_headline = make_article(headline="Minerals summit opens")
    by_body = make_article(body="Talks covered critical minerals.")
    by_dateline = make_article(dateline="Rabat")
    make_article(headline="Something else")

    def found(term):
        return set(editor_client.get(STORIES, {"q": term}).context["cl"].result_list)

    assert found("minerals") == {by_headline, by_body}
    assert found("rabat") == {by_dateline}


# The story form


def test_the_story_form_edits_vocabularies_with_autocompletes_not_taggit_text_boxes(editor_client):
    article = make_article()
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    response = editor_client.get(f"{STORIES}{article.pk}/change/")
    formsets = {inline.formset.model: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert set(formsets) == {TaggedCountry, TaggedOfficial, TaggedAgreement}
    assert 'data-ajax--url="/admin/autocomplete/"' in response.text
    assert 'data-model-name="taggedofficial"' in response.text
    assert 'name="officials"' not in response.text and 'name="countries"' not in response.text


def test_the_story_form_prefills_the_slug_and_keeps_import_details_read_only(editor_client):
    article = make_article(raw_text="As received, word for word.", source_file="000_story.txt")
    response = editor_client.get(f"{STORIES}{article.pk}/change/")
    form = response.context["adminform"].form
    assert "raw_text" not in form.fields and "source_file" not in form.fields
    assert "As received, word for word." in response.text and "000_story.txt" in response.text
    prepopulated = json.loads(editor_client.get(f"{STORIES}add/").context["prepopulated_fields_json"])
    assert [(field["id"], field["dependency_ids"]) for field in prepopulated] == [("#id_slug", ["#id_headline"])]


def test_view_on_site_is_the_public_page_for_published_stories_and_the_preview_for_drafts(editor_client):
    published, draft = make_article(slug="out-now"), make_article(status=Status.DRAFT)
    assert editor_client.get(f"{STORIES}{published.pk}/change/").context["absolute_url"] == "/articles/out-now/"
    preview = f"{STORIES}{draft.pk}/preview/"
    assert editor_client.get(f"{STORIES}{draft.pk}/change/").context["absolute_url"] == preview


def test_a_draft_preview_is_for_staff_only(client, editor_client):
    draft = make_article(status=Status.DRAFT, headline="Not yet out", slug="not-yet-out")
    response = editor_client.get(f"{STORIES}{draft.pk}/preview/")
    assert response.status_code == 200
    assert "Not yet out" in response.text and "Preview of a draft" in response.text
    client.logout()
    assert client.get(f"{STORIES}{draft.pk}/preview/").status_code == 302
    assert client.get("/articles/not-yet-out/").status_code == 404


def test_an_official_added_through_the_inline_is_logged_with_who_added_it(editor_client):
    article = make_article()
    rajnath = Official.objects.get(name="Rajnath Singh")
    url = f"{STORIES}{article.pk}/change/"
    form = editor_client.get(url)
    data = add_inline_row(unchanged_form_data(form), form, TaggedOfficial, tag=rajnath.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert names(article.officials) == {"Rajnath Singh"}
    history = editor_client.get(f"{STORIES}{article.pk}/history/").text
    # Each tag row is labelled by its entry, not by "<the story's whole headline> tagged with <entry>".
    assert "Added story official “Rajnath Singh”" in history
    assert LogEntry.objects.get(object_id=str(article.pk)).user.username == "editor"


def test_without_the_right_to_publish_the_status_is_read_only_and_new_stories_are_drafts(client):
    client.force_login(staff_with("writer", "view_article", "add_article", "change_article"))
    form = client.get(f"{STORIES}add/")
    assert "status" not in form.context["adminform"].form.fields
    data = unchanged_form_data(form) | {"headline": "Fresh", "slug": "fresh", "body": "Text."}
    assert client.post(f"{STORIES}add/", data).status_code == 302
    assert Article.objects.get(slug="fresh").status == Status.DRAFT


# History


def test_every_change_to_a_story_is_kept_with_who_when_and_what_changed(editor_client):
    article = make_article(headline="First headline")
    url = f"{STORIES}{article.pk}/change/"
    data = unchanged_form_data(editor_client.get(url)) | {"headline": "Second headline"}
    assert editor_client.post(url, data).status_code == 302
    latest = article.history.latest()
    assert (latest.history_user.username, latest.headline) == ("editor", "Second headline")
    page = editor_client.get(f"{STORIES}{article.pk}/history/").text
    assert "First headline" in page and "Second headline" in page and "editor" in page


def test_an_editor_can_restore_an_earlier_version(editor_client):
    article = make_article(headline="Right headline", raw_text="The original file.")
    article.headline = "Wrong headline"
    article.save()
    first = article.history.earliest()
    url = f"{STORIES}{article.pk}/history/{first.history_id}/"
    data = unchanged_form_data(editor_client.get(url))
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.raw_text) == ("Right headline", "The original file.")
    assert article.history.latest().history_user.username == "editor"


def test_a_user_who_may_only_view_stories_cannot_restore_a_version(client):
    article = make_article(headline="Kept")
    article.headline = "Also kept"
    article.save()
    client.force_login(staff_with("reader", "view_article"))
    url = f"{STORIES}{article.pk}/history/{article.history.earliest().history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"headline": "Kept"}).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Also kept"


# Story actions


def test_publish_and_unpublish_are_kept_in_the_history_with_who_did_it(editor_client):
    draft, published = make_article(status=Status.DRAFT), make_article()
    response = run_action(editor_client, STORIES, "publish", [draft, published], follow=True)
    assert "Published 1 story." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    record = draft.history.latest()
    assert (record.history_user.username, record.history_change_reason) == ("editor", "published")
    run_action(editor_client, STORIES, "unpublish", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.history.latest().history_change_reason == "unpublished"


def test_adding_an_entry_asks_which_with_autocompletes_then_tags_every_selected_story(editor_client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    first, already = make_article(), make_article()
    already.officials.add(rajnath)
    page = run_action(editor_client, STORIES, "add_entries", [first, already])
    assert page.status_code == 200
    assert 'data-model-name="taggedofficial"' in page.text and "2 selected stories" in page.text
    response = run_action(
        editor_client, STORIES, "add_entries", [first, already], apply="1", officials=[rajnath.pk], follow=True
    )
    assert "Added 1 tag on 1 story." in messages_of(response)
    assert names(first.officials) == names(already.officials) == {"Rajnath Singh"}
    assert TaggedOfficial.objects.filter(content_object=already).count() == 1
    logged = LogEntry.objects.get(object_id=str(first.pk))
    assert logged.get_change_message() == "Added story official “Rajnath Singh”."


def test_adding_nothing_asks_again(editor_client):
    article = make_article()
    response = run_action(editor_client, STORIES, "add_entries", [article], apply="1")
    assert response.status_code == 200
    assert "Choose at least one country, official or agreement." in response.text


def test_removing_an_entry_untags_the_selected_stories_only(editor_client):
    india, morocco = country("IN"), country("MA")
    selected, other = make_article(), make_article()
    for article in (selected, other):
        article.countries.add(india, morocco)
    run_action(editor_client, STORIES, "remove_entries", [selected], apply="1", countries=[india.pk])
    assert names(selected.countries) == {"Morocco"}
    assert names(other.countries) == {"India", "Morocco"}
    assert (
        "Deleted story country “India”." in LogEntry.objects.get(object_id=str(selected.pk)).get_change_message()
    )


def test_rerunning_automatic_tagging_adds_what_the_importer_finds_and_keeps_editors_tags(editor_client):
    body = "Rabat, May 2 (ANI): Defence Minister Rajnath Singh met Ghana's Trade Minister Kwame Mensah in Rabat."
    article = make_article(body=body)
    editors_choice = make_official("Chosen By Editor")
    article.officials.add(editors_choice)
    other = make_article(body="Rajnath Singh spoke again.")
    with mock.patch.object(importing, "load_vocabulary", wraps=importing.load_vocabulary) as load:
        response = run_action(editor_client, STORIES, "retag_selected", [article, other], follow=True)
    assert load.call_count == 1
    assert {"Rajnath Singh", "Kwame Mensah", "Chosen By Editor"} <= names(article.officials)
    assert {"India", "Ghana"} <= names(article.countries)
    assert Official.objects.get(name="Kwame Mensah").needs_review
    assert any(message.startswith("New, to review: official Kwame Mensah") for message in messages_of(response))
    assert "official Rajnath Singh" in LogEntry.objects.get(object_id=str(article.pk)).get_change_message()


# Vocabularies


def test_vocabulary_lists_count_published_stories_only(editor_client):
    morocco = country("MA")
    for status in (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT):
        make_article(status=status).countries.add(morocco)
    response = editor_client.get(f"{ADMIN}/country/", {"q": "Morocco"})
    (row,) = response.context["cl"].result_list
    assert row.story_count == 2
    ranked = editor_client.get(f"{ADMIN}/country/", {"o": "-4"}).context["cl"].result_list
    assert ranked[0] == morocco


def test_vocabularies_are_searched_by_name_and_by_alias(editor_client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    OfficialAlias.objects.create(entry=rajnath, name="Raksha Mantri")
    assert list(editor_client.get(f"{ADMIN}/official/", {"q": "raksha"}).context["cl"].result_list) == [rajnath]
    assert rajnath in editor_client.get(f"{ADMIN}/official/", {"q": "rajnath"}).context["cl"].result_list


def test_vocabulary_filters_for_review_country_and_kind(editor_client):
    newcomer = make_official("New Face", needs_review=True, country=country("GH"))
    listed = editor_client.get(f"{ADMIN}/official/", {"needs_review__exact": "1"}).context["cl"].result_list
    assert list(listed) == [newcomer]
    by_country = editor_client.get(f"{ADMIN}/official/", {"country__id__exact": country("GH").pk})
    assert list(by_country.context["cl"].result_list) == [newcomer]
    treaty = make_agreement("Some Treaty", kind="treaty")
    treaties = editor_client.get(f"{ADMIN}/agreement/", {"kind__exact": "treaty"}).context["cl"].result_list
    assert list(treaties) == [treaty]


def alias_post(client, entry, alias_name):
    url = f"{ADMIN}/{entry._meta.model_name}/{entry.pk}/change/"
    form = client.get(url)
    data = add_inline_row(unchanged_form_data(form), form, type(entry).aliases.rel.related_model, name=alias_name)
    return client.post(url, data)


def test_an_alias_is_added_on_its_entry(editor_client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    assert alias_post(editor_client, rajnath, "Raksha Mantri").status_code == 302
    assert rajnath.alias_names() == ["Raksha Mantri"]


def test_an_alias_of_another_entry_is_refused_with_a_clear_message(editor_client):
    rajnath, katz = Official.objects.get(name="Rajnath Singh"), Official.objects.get(name="Israel Katz")
    OfficialAlias.objects.create(entry=katz, name="Defence Chief")
    response = alias_post(editor_client, rajnath, "DEFENCE chief")
    assert response.status_code == 200
    assert (
        "“Defence Chief” is already an alias of “Israel Katz”. An alias belongs to one entry only" in response.text
    )
    assert rajnath.alias_names() == []


def test_another_entrys_name_is_refused_as_an_alias(editor_client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    response = alias_post(editor_client, rajnath, "israel katz")
    assert "“Israel Katz” is the name of another official. Merge the two entries" in response.text
    assert rajnath.alias_names() == []


def test_an_entry_cannot_be_named_like_another_entrys_alias(editor_client):
    OfficialAlias.objects.create(entry=Official.objects.get(name="Israel Katz"), name="Defence Chief")
    response = editor_client.post(f"{ADMIN}/official/add/", {"name": "Defence Chief", "slug": "defence-chief"})
    assert "“Defence Chief” is an alias of “Israel Katz”" in response.text
    assert not Official.objects.filter(name="Defence Chief").exists()


def test_mark_reviewed_clears_the_mark_and_is_logged(editor_client):
    newcomer = make_official("New Face", needs_review=True)
    response = run_action(editor_client, f"{ADMIN}/official/", "mark_reviewed", [newcomer], follow=True)
    assert "Marked 1 official reviewed." in messages_of(response)
    newcomer.refresh_from_db()
    assert not newcomer.needs_review
    assert LogEntry.objects.get(object_id=str(newcomer.pk)).user.username == "editor"


# Merging through the admin


def test_the_merge_asks_which_entry_to_keep_and_shows_what_will_move(editor_client):
    keep, duplicate = make_official("Pete Hegseth"), make_official("Peter Hegseth", needs_review=True)
    OfficialAlias.objects.create(entry=duplicate, name="P. Hegseth")
    shared, moving = make_article(), make_article()
    shared.officials.add(keep, duplicate)
    moving.officials.add(duplicate)
    page = run_action(editor_client, f"{ADMIN}/official/", "merge", [keep, duplicate])
    assert page.status_code == 200
    # The one with more published stories is suggested, even though it still needs review.
    assert page.context["chosen"] == str(duplicate.pk)
    text = " ".join(page.text.split())
    assert "“Pete Hegseth” has 1 published story." in text
    assert "“Peter Hegseth” (needs review) has 2 published stories; aliases: P. Hegseth." in text
    assert (
        "“Peter Hegseth” (needs review): 2 stories move (1 already tagged with “Pete Hegseth” keeps one tag)"
        in text
    )
    assert "New aliases: “P. Hegseth”, “Peter Hegseth”." in text
    assert "/officials/peter-hegseth/ redirects to /officials/pete-hegseth/" in text
    assert Official.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_suggests_a_new_empty_entry_last_and_a_reviewed_one_among_equals(editor_client):
    empty = make_official("Gilbert Teodoro")
    imported = make_official("Gilberto Teodoro", needs_review=True)
    make_article().officials.add(imported)
    page = run_action(editor_client, f"{ADMIN}/official/", "merge", [empty, imported])
    assert page.context["chosen"] == str(imported.pk)
    make_article().officials.add(empty)
    page = run_action(editor_client, f"{ADMIN}/official/", "merge", [empty, imported])
    assert page.context["chosen"] == str(empty.pk)


def test_confirming_the_merge_merges_and_says_so(editor_client):
    keep, duplicate = make_official("Pete Hegseth"), make_official("Peter Hegseth")
    make_article().officials.add(duplicate)
    response = run_action(
        editor_client, f"{ADMIN}/official/", "merge", [keep, duplicate], confirm="1", survivor=keep.pk, follow=True
    )
    assert messages_of(response) == [
        "Merged “Peter Hegseth” into “Pete Hegseth”: 1 story moved; the old names are now aliases and their pages "
        "redirect."
    ]
    assert not Official.objects.filter(pk=duplicate.pk).exists()
    assert LogEntry.objects.get(object_id=str(keep.pk)).user.username == "editor"


def test_merging_a_single_entry_into_itself_is_refused_with_a_clear_message(editor_client):
    morocco = country("MA")
    response = run_action(editor_client, f"{ADMIN}/country/", "merge", [morocco], follow=True)
    assert messages_of(response) == [
        "“Morocco” cannot be merged into itself: select it together with the entries to merge into it."
    ]
    assert Country.objects.filter(pk=morocco.pk).exists()


def test_a_merge_that_would_steal_another_entrys_alias_is_refused_on_the_confirmation_page(editor_client):
    keep, duplicate, third = make_agreement("Pact One"), make_agreement("Pact Two"), make_agreement("Pact Three")
    third.aliases.create(name="Pact Two")
    page = run_action(editor_client, f"{ADMIN}/agreement/", "merge", [keep, duplicate])
    assert "“Pact Two” is already an alias of “Pact Three”" in page.text
    response = run_action(
        editor_client, f"{ADMIN}/agreement/", "merge", [keep, duplicate], confirm="1", survivor=keep.pk
    )
    assert response.status_code == 200
    assert "“Pact Two” is already an alias of “Pact Three”" in " ".join(messages_of(response))
    assert Agreement.objects.filter(pk=duplicate.pk).exists()


def test_each_vocabulary_has_its_own_merge_right(client):
    client.force_login(
        staff_with(
            "official-merger",
            "view_official",
            "change_official",
            "merge_official",
            "view_country",
            "change_country",
        )
    )
    a, b = make_official("Aa Bee"), make_official("Aa Bea")
    run_action(client, f"{ADMIN}/official/", "merge", [a, b], confirm="1", survivor=a.pk, follow=True)
    assert not Official.objects.filter(pk=b.pk).exists()
    duplicate = Country.objects.create(name="Maroc", iso_code="XM")
    response = run_action(
        client,
        f"{ADMIN}/country/",
        "merge",
        [country("MA"), duplicate],
        confirm="1",
        survivor=country("MA").pk,
        follow=True,
    )
    assert messages_of(response) == ["No action selected."]
    assert Country.objects.filter(pk=duplicate.pk).exists()


# Rights


USERS = ("anonymous", "staff without rights", "editor", "superuser")


def log_in(client, who: str):
    if who != "anonymous":
        client.force_login(make_staff(who.replace(" ", "-"), editor=who == "editor", superuser=who == "superuser"))
    return client


@pytest.fixture
def world():
    """One of everything the admin pages and actions work on."""
    published = make_article(headline="Published story", body="Defence Minister Rajnath Singh spoke.")
    draft = make_article(headline="Draft story", status=Status.DRAFT)
    katz = Official.objects.get(name="Israel Katz")
    published.officials.add(katz)
    return {
        "published": published,
        "draft": draft,
        "katz": katz,
        "newcomer": make_official("New Face", needs_review=True),
        "duplicate": make_official("Israel Katz II"),
        "agreement": Agreement.objects.first(),
    }


PAGES = {
    "story list": lambda w: STORIES,
    "new story": lambda w: f"{STORIES}add/",
    "story form": lambda w: f"{STORIES}{w['published'].pk}/change/",
    "story history": lambda w: f"{STORIES}{w['published'].pk}/history/",
    "draft preview": lambda w: f"{STORIES}{w['draft'].pk}/preview/",
    "country list": lambda w: f"{ADMIN}/country/",
    "country form": lambda w: f"{ADMIN}/country/{country('MA').pk}/change/",
    "official list": lambda w: f"{ADMIN}/official/",
    "official form": lambda w: f"{ADMIN}/official/{w['katz'].pk}/change/",
    "agreement list": lambda w: f"{ADMIN}/agreement/",
    "agreement form": lambda w: f"{ADMIN}/agreement/{w['agreement'].pk}/change/",
    "official autocomplete": lambda w: (
        "/admin/autocomplete/?app_label=articles&model_name=taggedofficial&field_name=tag&term=katz"
    ),
}
PAGE_STATUS = {"anonymous": 302, "staff without rights": 403, "editor": 200, "superuser": 200}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_each_admin_page(client, world, who, page):
    response = log_in(client, who).get(PAGES[page](world))
    assert response.status_code == PAGE_STATUS[who]
    if who == "anonymous":
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("staff without rights", 403), ("editor", 403), ("superuser", 200)]
)
def test_only_a_superuser_may_delete_stories_or_manage_users(client, world, who, status):
    log_in(client, who)
    assert client.get(f"{STORIES}{world['published'].pk}/delete/").status_code == status
    assert client.get("/admin/auth/user/").status_code == status
    assert client.get("/admin/auth/group/").status_code == status


ACTIONS = {
    "publish": (STORIES, "draft", {}, lambda w: Article.objects.get(pk=w["draft"].pk).is_published),
    "unpublish": (STORIES, "published", {}, lambda w: not Article.objects.get(pk=w["published"].pk).is_published),
    "add_entries": (
        STORIES,
        "draft",
        {"apply": "1", "officials": "katz"},
        lambda w: w["katz"] in w["draft"].officials.all(),
    ),
    "remove_entries": (
        STORIES,
        "published",
        {"apply": "1", "officials": "katz"},
        lambda w: w["katz"] not in w["published"].officials.all(),
    ),
    "retag_selected": (
        STORIES,
        "published",
        {},
        lambda w: w["published"].officials.filter(name="Rajnath Singh").exists(),
    ),
    "mark_reviewed": (
        f"{ADMIN}/official/",
        "newcomer",
        {},
        lambda w: not Official.objects.get(pk=w["newcomer"].pk).needs_review,
    ),
    "merge": (
        f"{ADMIN}/official/",
        "duplicate",
        {"confirm": "1", "survivor": "katz"},
        lambda w: not Official.objects.filter(pk=w["duplicate"].pk).exists(),
    ),
}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_run_each_action(client, world, who, action):
    changelist, selected, data, done = ACTIONS[action]
    objects = [world[selected], world["katz"]] if action == "merge" else [world[selected]]
    data = {key: world[value].pk if value in world else value for key, value in data.items()}
    response = run_action(log_in(client, who), changelist, action, objects, **data)
    allowed = who in ("editor", "superuser")
    assert response.status_code == {"anonymous": 302, "staff without rights": 403}.get(who, 302)
    assert done(world) is allowed


def test_without_the_right_to_publish_the_publish_action_does_nothing(client):
    client.force_login(staff_with("writer", "view_article", "change_article"))
    draft = make_article(status=Status.DRAFT)
    response = run_action(client, STORIES, "publish", [draft], follow=True)
    assert messages_of(response) == ["No action selected."]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# Query counts


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (content types, session) so that both measurements start alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


COUNTED_PAGES = {
    "story list": lambda a: STORIES,
    "story list, filtered": lambda a: f"{STORIES}?country={country('IN').pk}&needs_review=no&q=story",
    "story form": lambda a: f"{STORIES}{a.pk}/change/",
    "new story": lambda a: f"{STORIES}add/",
    "story history": lambda a: f"{STORIES}{a.pk}/history/",
    "country list": lambda a: f"{ADMIN}/country/",
    "country form": lambda a: f"{ADMIN}/country/{country('IN').pk}/change/",
    "official list": lambda a: f"{ADMIN}/official/",
    "official form": lambda a: f"{ADMIN}/official/{Official.objects.first().pk}/change/",
    "agreement list": lambda a: f"{ADMIN}/agreement/",
    "agreement form": lambda a: f"{ADMIN}/agreement/{Agreement.objects.first().pk}/change/",
}


@pytest.mark.parametrize("page", COUNTED_PAGES)
def test_query_counts_do_not_grow_with_the_number_of_stories(editor_client, page):
    first = tagged_articles(5)[0]
    url = COUNTED_PAGES[page](first)
    with_5 = queries_for(editor_client, url)
    tagged_articles(45)
    with_50 = queries_for(editor_client, url)
    print(f"{page}: {with_5} queries with 5 stories, {with_50} with 50")
    assert with_5 == with_50
