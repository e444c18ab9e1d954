"""Merging vocabulary entries: the service the admin action calls."""

from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry

from articles.importing import Importer
from articles.merging import MergeError, merge_entries, plan_merge
from articles.models import (
    Agreement,
    AgreementAlias,
    Country,
    CountryAlias,
    Official,
    OfficialAlias,
    TaggedOfficial,
)

from .factories import country, import_bytes, make_agreement, make_article, make_official, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("merger", editor=True)


def names(tags) -> set[str]:
    return {tag.name for tag in tags.all()}


def test_a_merge_moves_every_story_to_the_survivor_and_removes_the_merged_entry(editor):
    survivor, duplicate = make_official("Rajnath Singh Jr"), make_official("R. Singh Jr", needs_review=True)
    first, second = make_article(), make_article()
    first.officials.add(duplicate)
    second.officials.add(duplicate)
    merge_entries(survivor, [duplicate], user=editor)
    assert not Official.objects.filter(pk=duplicate.pk).exists()
    assert names(first.officials) == names(second.officials) == {"Rajnath Singh Jr"}


def test_a_story_tagged_with_both_keeps_one_tag(editor):
    survivor, duplicate = make_official("Omar Hejira II"), make_official("Omar Hjira")
    article = make_article()
    article.officials.add(survivor, duplicate)
    plan = merge_entries(survivor, [duplicate], user=editor)
    assert (plan.merged[0].stories, plan.merged[0].shared_stories, plan.stories_moving) == (1, 1, 0)
    assert list(TaggedOfficial.objects.filter(content_object=article).values_list("tag__name", flat=True)) == [
        "Omar Hejira II"
    ]


def test_a_story_tagged_with_two_merged_entries_keeps_one_tag(editor):
    survivor = make_official("Nasser Bourita II")
    spellings = [make_official("Naser Bourita"), make_official("Nasser Burita")]
    article = make_article()
    article.officials.add(*spellings)
    merge_entries(survivor, spellings, user=editor)
    assert TaggedOfficial.objects.filter(content_object=article).count() == 1
    assert names(article.officials) == {"Nasser Bourita II"}


def test_merged_names_and_their_aliases_become_aliases_of_the_survivor_keeping_old_addresses(editor):
    survivor, duplicate = make_official("Neena Malhotra II"), make_official("N. Malhotra")
    OfficialAlias.objects.create(entry=duplicate, name="Nina Malhotra", former_slug="nina-malhotra")
    old_slug = duplicate.slug
    merge_entries(survivor, [duplicate], user=editor)
    aliases = dict(survivor.aliases.values_list("name", "former_slug"))
    assert aliases == {"N. Malhotra": old_slug, "Nina Malhotra": "nina-malhotra"}
    assert Official.by_slug_or_former_slug(old_slug) == (survivor, True)
    assert Official.by_slug_or_former_slug("nina-malhotra") == (survivor, True)


def test_an_old_address_still_leads_to_the_end_of_a_chain_of_merges(editor):
    a, b, c = make_agreement("Pact A"), make_agreement("Pact B"), make_agreement("Pact C")
    merge_entries(b, [a], user=editor)
    merge_entries(c, [b], user=editor)
    assert Agreement.by_slug_or_former_slug("pact-a") == (c, True)
    assert Agreement.by_slug_or_former_slug("pact-b") == (c, True)
    assert set(c.aliases.values_list("name", flat=True)) == {"Pact A", "Pact B"}


def test_the_next_import_maps_a_merged_name_to_the_survivor(editor):
    mou = Agreement.objects.get(name="India–Morocco Defence MoU")
    pact = make_agreement("Rabat Defence Pact", needs_review=True)
    merge_entries(mou, [pact], user=editor)
    text = "Rabat, May 2 (ANI): India and Morocco said the Rabat Defence Pact would deepen defence ties."
    result = import_bytes(Importer(), text.encode(), "after-merge.txt")
    assert names(result.article.agreements) == {"India–Morocco Defence MoU"}
    assert not Agreement.objects.filter(name="Rabat Defence Pact").exists()


def test_an_entry_cannot_be_merged_into_itself():
    official = make_official("Solo Person")
    with pytest.raises(MergeError, match="“Solo Person” cannot be merged into itself"):
        plan_merge(official, [official])
    with pytest.raises(MergeError, match="Choose at least one other entry"):
        plan_merge(official, [])


def test_only_entries_of_one_vocabulary_merge():
    with pytest.raises(MergeError, match="same vocabulary"):
        plan_merge(make_official("Someone"), [make_agreement("Something")])


def test_a_merged_name_that_is_another_entrys_alias_is_refused_and_nothing_changes(editor):
    survivor, duplicate, third = make_official("Aa Bee"), make_official("Cee Dee"), make_official("Ee Eff")
    OfficialAlias.objects.create(entry=third, name="Cee Dee")
    article = make_article()
    article.officials.add(duplicate)
    with pytest.raises(MergeError, match="“Cee Dee” is already an alias of “Ee Eff”"):
        merge_entries(survivor, [duplicate], user=editor)
    assert names(article.officials) == {"Cee Dee"}


def test_a_merged_name_that_folds_to_another_entrys_name_is_refused(editor):
    survivor, duplicate = make_official("Aa Bee"), make_official("Sébastien Lecornu")
    make_official("Sebastien Lecornu")
    with pytest.raises(MergeError, match="another official is called “Sebastien Lecornu”"):
        merge_entries(survivor, [duplicate], user=editor)


def test_names_that_fold_alike_each_keep_their_old_address(editor):
    survivor = make_official("Sebastien Lecornu II")
    accented, plain = make_official("Sébastien Lecornu"), make_official("Sebastien Lecornu")
    merge_entries(survivor, [accented, plain], user=editor)
    assert Official.by_slug_or_former_slug(accented.slug) == (survivor, True)
    assert Official.by_slug_or_former_slug(plain.slug) == (survivor, True)


def test_an_alias_of_the_merged_entry_spelt_like_its_name_takes_the_old_address(editor):
    survivor, duplicate = make_official("Pete Hegseth"), make_official("Peter Hegseth")
    OfficialAlias.objects.create(entry=duplicate, name="PETER HEGSETH")
    merge_entries(survivor, [duplicate], user=editor)
    assert list(survivor.aliases.values_list("name", "former_slug")) == [("PETER HEGSETH", "peter-hegseth")]


def test_merging_a_needs_review_entry_into_a_reviewed_one_leaves_the_reviewed_one(editor):
    reviewed, unreviewed = make_official("Marco Rubio II"), make_official("Marco Rubbio", needs_review=True)
    merge_entries(reviewed, [unreviewed], user=editor)
    reviewed.refresh_from_db()
    assert not reviewed.needs_review
    assert not Official.objects.filter(needs_review=True).exists()


def test_a_survivor_that_needs_review_still_needs_it_after_the_merge(editor):
    unreviewed, other = make_official("New Person", needs_review=True), make_official("New Persson")
    merge_entries(unreviewed, [other], user=editor)
    unreviewed.refresh_from_db()
    assert unreviewed.needs_review


def test_officials_of_a_merged_country_move_to_the_survivor(editor):
    survivor = country("MA")
    duplicate = Country.objects.create(name="Maroc", iso_code="XM")
    official = make_official("Someone From Maroc", country=duplicate)
    plan = plan_merge(survivor, [duplicate])
    assert plan.merged[0].references == ("1 official",)
    merge_entries(survivor, [duplicate], user=editor)
    official.refresh_from_db()
    assert official.country == survivor
    assert CountryAlias.objects.get(name="Maroc").entry == survivor


def test_the_merge_is_in_the_admin_history_with_who_did_it(editor):
    survivor, duplicate = make_agreement("Treaty One"), make_agreement("Treaty 1")
    article = make_article()
    article.agreements.add(duplicate)
    merge_entries(survivor, [duplicate], user=editor)
    logged = {(e.object_repr, e.action_flag, e.user.username) for e in LogEntry.objects.all()}
    assert logged == {
        ("Treaty One", CHANGE, "merger"),
        ("Treaty 1", DELETION, "merger"),
        (article.headline, CHANGE, "merger"),
    }
    survivor_entry = LogEntry.objects.get(object_repr="Treaty One")
    assert (
        survivor_entry.get_change_message()
        == "Merged “Treaty 1” into this agreement: 1 story moved, 0 stories already had it."
    )


def test_a_merge_that_fails_half_way_leaves_everything_as_it_was(editor):
    survivor, duplicate = make_official("Whole Name"), make_official("Half Name")
    article = make_article()
    article.officials.add(duplicate)
    with mock.patch("articles.merging._log", side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        merge_entries(survivor, [duplicate], user=editor)
    assert names(article.officials) == {"Half Name"}
    assert not OfficialAlias.objects.exists()
    assert Official.objects.filter(pk=duplicate.pk).exists()


def test_an_entry_merged_meanwhile_is_reported_not_resurrected(editor):
    survivor, duplicate = make_agreement("Kept"), make_agreement("Gone")
    Agreement.objects.filter(pk=duplicate.pk).delete()
    with pytest.raises(MergeError, match="“Gone” no longer exists"):
        merge_entries(survivor, [duplicate], user=editor)
    assert not AgreementAlias.objects.exists()
