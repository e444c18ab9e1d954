"""Agreements' life: party countries, events, the status read from the latest event, and the importer's events."""

import datetime
import io

import pytest

from articles.models import Agreement, AgreementEvent, EventKind, Official, TagOrigin

from .factories import country, make_agreement, make_article

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 9, 22)


def test_parties_named_as_countries_become_party_countries_and_other_names_stay_written():
    agreement = make_agreement("Example Industry MoU", parties="India; SIDM; Morocco;  ")
    assert set(agreement.parties.values_list("iso_code", flat=True)) == {"IN", "MA"}
    assert agreement.other_parties == "SIDM"
    assert agreement.party_list == ["India", "Morocco", "SIDM"]
    assert agreement in country("MA").agreements.all()


def test_the_status_is_the_latest_reviewed_event_and_follows_every_edit():
    agreement = make_agreement("Example Treaty")
    assert Agreement.objects.with_status().get(pk=agreement.pk).status is None
    AgreementEvent.objects.create(agreement=agreement, kind=EventKind.SIGNED, date=DAY)
    in_force = AgreementEvent.objects.create(agreement=agreement, kind=EventKind.IN_FORCE, date=DAY.replace(2026))
    AgreementEvent.objects.create(
        agreement=agreement, kind=EventKind.TERMINATED, date=DAY.replace(2027), needs_review=True
    )
    row = Agreement.objects.with_status().get(pk=agreement.pk)
    assert (row.status, row.status_on) == ("in_force", DAY.replace(2026))
    in_force.delete()
    assert Agreement.objects.with_status().get(pk=agreement.pk).status == "signed"


def test_an_event_keeps_its_history():
    event = AgreementEvent.objects.create(agreement=make_agreement("X MoU"), kind=EventKind.SIGNED, date=DAY)
    event.kind = EventKind.RATIFIED
    event.party = country("MA")
    event.save()
    assert [h.kind for h in event.history.all()] == ["ratified", "signed"]


def test_an_unsure_event_of_a_draft_is_hidden_from_readers_until_reviewed_or_published():
    draft = make_article(status="draft")
    agreement = make_agreement("Y MoU")
    event = AgreementEvent.objects.create(
        agreement=agreement,
        kind=EventKind.SIGNED,
        date=DAY,
        origin=TagOrigin.IMPORTER,
        needs_review=True,
    )
    event.sources.add(draft)
    assert not AgreementEvent.objects.public().filter(agreement=agreement).exists()
    draft.status = "published"
    draft.save()
    assert list(AgreementEvent.objects.public().filter(agreement=agreement)) == [event]


def test_dates_read_at_their_precision():
    event = AgreementEvent(agreement=Agreement(name="Z"), kind=EventKind.SIGNED, date=DAY)
    assert event.date_text == "22 September 2025"
    event.date_precision = "month"
    assert event.date_text == "September 2025"
    event.date_precision = "year"
    assert event.date_text == "2025"


# --- The importer's events ------------------------------------------------------------------------


def import_seeds(seeds_dir):
    from django.core.management import call_command

    call_command("import_articles", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_seeds_report_the_india_morocco_signing_once_with_its_sources_and_signatories(seeds_dir):
    import_seeds(seeds_dir)
    mou = Agreement.objects.with_status().get(name="India–Morocco Defence MoU")
    signing = mou.events.get()
    assert (signing.kind, signing.date, mou.status) == ("signed", DAY, "signed")
    assert signing.sources.count() == 2
    assert {o.name for o in mou.signatories.all()} == {"Rajnath Singh", "Abdellatif Loudiyi"}
    assert set(mou.parties.values_list("iso_code", flat=True)) == {"IN", "MA"}


def test_importing_the_seeds_twice_adds_no_event_and_no_source(seeds_dir):
    import_seeds(seeds_dir)
    before = list(AgreementEvent.objects.values_list("pk", "sources"))
    import_seeds(seeds_dir)
    assert list(AgreementEvent.objects.values_list("pk", "sources")) == before


def test_a_signing_reported_the_next_month_within_a_week_is_the_same_event(tmp_path):
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    sentence = "Norway and Japan signed a memorandum of understanding on fisheries cooperation in Oslo."
    first.write_text(f" date 2025-09-30 Oslo, Sept 30 {sentence}\n", encoding="utf-8")
    second.write_text(f" date 2025-10-02 Oslo, Oct 2 Officials said that {sentence}\n", encoding="utf-8")
    from django.core.management import call_command

    call_command("import_articles", str(first), str(second), stdout=io.StringIO())
    event = AgreementEvent.objects.get(agreement__name__icontains="fisheries")
    assert (event.kind, event.date, event.origin, event.sources.count()) == (
        "signed",
        datetime.date(2025, 9, 30),
        "importer",
        2,
    )
    assert set(event.agreement.parties.values_list("iso_code", flat=True)) == {"NO", "JP"}


def test_an_undated_story_records_no_event(tmp_path):
    story = tmp_path / "a.txt"
    story.write_text("Oslo: Norway and Japan signed a memorandum of understanding on fisheries cooperation.\n")
    from django.core.management import call_command

    call_command("import_articles", str(story), stdout=io.StringIO())
    agreement = Agreement.objects.get(name__icontains="fisheries")
    assert agreement.tagged_articles.exists()
    assert not agreement.events.exists()


def test_an_unsure_reading_is_an_event_for_review_that_sets_no_status(tmp_path):
    story = tmp_path / "a.txt"
    story.write_text(
        " date 2026-02-03 Oslo, Feb 3 Norway and Japan resumed negotiations on a Bilateral Investment Treaty "
        "in Oslo.\n"
    )
    from django.core.management import call_command

    call_command("import_articles", str(story), stdout=io.StringIO())
    event = AgreementEvent.objects.get(agreement__kind="bit")
    assert (event.kind, event.needs_review) == ("negotiating", True)
    assert Agreement.objects.with_status().get(pk=event.agreement_id).status is None


def signing_story(n: int) -> bytes:
    """The seeds' India–Morocco MoU signed again, in month n after January 2021: one new event per story."""
    year, month = 2021 + n // 12, n % 12 + 1
    return (
        f" date {year}-{month:02d}-10 Rabat, {DAY.replace(month=month):%b} 10 Defence Minister Rajnath Singh and "
        f"Abdellatif Loudiyi signed the India–Morocco Defence MoU in Rabat, round {n}.\n"
    ).encode()


def test_a_batch_records_its_events_with_the_same_queries_whatever_its_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.importing import Importer
    from articles.ingest.parsing import parse_article

    importer = Importer()
    counts = []
    for first, size in ((0, 4), (10, 30)):
        batch = [(f"s{n}.txt", parse_article(signing_story(n))) for n in range(first, first + size)]
        with CaptureQueriesContext(connection) as queries:
            importer.import_batch(batch)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    mou = Agreement.objects.get(name="India–Morocco Defence MoU")
    assert mou.events.filter(date__year__lt=2025, origin=TagOrigin.IMPORTER).count() == 34
    assert all(event.sources.count() == 1 for event in mou.events.filter(origin=TagOrigin.IMPORTER))


def test_the_importer_s_event_versions_are_the_rows_simple_history_writes(tmp_path):
    """The importer writes events' versions in bulk (versions.write_event_versions); they must read as
    simple-history's own: the same fields, and the sources copied the same way."""
    from django.apps import apps
    from django.core.management import call_command

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    sentence = "Norway and Japan signed a memorandum of understanding on fisheries cooperation in Oslo."
    first.write_text(f" date 2025-09-30 Oslo, Sept 30 {sentence}\n", encoding="utf-8")
    second.write_text(f" date 2025-10-02 Oslo, Oct 2 Officials said that {sentence}\n", encoding="utf-8")
    call_command("import_articles", str(first), stdout=io.StringIO())
    call_command("import_articles", str(second), stdout=io.StringIO())
    event = AgreementEvent.objects.get(agreement__name__icontains="fisheries")
    assert [version.history_type for version in event.history.all()] == ["~", "+"]
    ours = event.history.first()
    event.save()  # simple-history's own version of the same state
    theirs = event.history.first()
    assert theirs.history_id != ours.history_id
    model = type(ours)
    same = [field.attname for field in model.tracked_fields if field.attname != "updated_at"]
    assert [getattr(ours, name) for name in same] == [getattr(theirs, name) for name in same]
    rows = apps.get_model("articles", "HistoricalAgreementEvent_sources").objects

    def copied(version):
        return sorted(rows.filter(history=version).values_list("id", "agreementevent_id", "article_id"))

    assert len(copied(ours)) == 2
    assert copied(ours) == copied(theirs)


# --- The admin ------------------------------------------------------------------------------------


def add_events(agreement, count):
    for n in range(count):
        story = make_article()
        event = AgreementEvent.objects.create(
            agreement=agreement, kind=EventKind.SIGNED, date=DAY + datetime.timedelta(days=n), party=country("MA")
        )
        event.sources.add(story)


def test_an_editor_edits_an_agreement_s_events_inline_and_each_event_keeps_its_history(editor_client):
    agreement = make_agreement("Admin MoU", parties="India; Morocco")
    add_events(agreement, 1)
    event = agreement.events.get()
    response = editor_client.get(f"/admin/articles/agreement/{agreement.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="events-0-kind"' in html and 'name="parties"' in html and 'name="signatories"' in html
    event.kind = EventKind.IN_FORCE
    event.save()
    history = editor_client.get(f"/admin/articles/agreementevent/{event.pk}/history/")
    assert history.status_code == 200 and "Admin MoU: in force" in history.content.decode()
    assert [h.kind for h in event.history.all()][:2] == ["in_force", "signed"]


def test_an_editor_adds_a_ratification_by_a_party_inline(editor_client):
    from .test_admin import add_inline_row, unchanged_form_data

    agreement = make_agreement("Inline MoU", parties="India; Morocco")
    url = f"/admin/articles/agreement/{agreement.pk}/change/"
    response = editor_client.get(url)
    offered = [
        label
        for _value, label in response.context["inline_admin_formsets"][1]
        .formset.empty_form.fields["party"]
        .choices
    ]
    assert offered == ["---------", "India", "Morocco"]
    data = add_inline_row(
        unchanged_form_data(response),
        response,
        AgreementEvent,
        kind="ratified",
        date="2026-01-15",
        date_precision="day",
        party=country("MA").pk,
    )
    saved = editor_client.post(url, data)
    assert saved.status_code == 302, saved.context["inline_admin_formsets"][1].formset.errors
    event = agreement.events.get()
    assert (event.kind, event.party.iso_code, event.origin) == ("ratified", "MA", "editor")


@pytest.mark.parametrize(
    "url",
    [
        lambda agreement: f"/admin/articles/agreement/{agreement.pk}/change/",
        lambda agreement: "/admin/articles/agreementevent/",
        lambda agreement: "/admin/articles/agreement/",
    ],
)
def test_the_admin_s_agreement_and_event_pages_cost_the_same_queries_for_5_events_as_for_50(editor_client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreement = make_agreement("Counted MoU", parties="India; Morocco")

    def queries():
        editor_client.get(url(agreement))
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url(agreement)).status_code == 200
        return len(captured)

    add_events(agreement, 5)
    five = queries()
    add_events(agreement, 45)
    assert queries() == five


def test_merging_agreements_moves_events_parties_and_signatories_to_the_survivor():
    from articles.merging import merge_entries

    from .factories import make_staff

    survivor = make_agreement("Kept MoU", parties="India")
    duplicate = make_agreement("Duplicate MoU", parties="India; Morocco")
    duplicate.signatories.add(Official.objects.get(name="Rajnath Singh"))
    AgreementEvent.objects.create(agreement=duplicate, kind=EventKind.SIGNED, date=DAY)
    merge_entries(survivor, [duplicate], user=make_staff("merger", superuser=True))
    assert [e.kind for e in survivor.events.all()] == ["signed"]
    assert set(survivor.parties.values_list("iso_code", flat=True)) == {"IN", "MA"}
    assert [o.name for o in survivor.signatories.all()] == ["Rajnath Singh"]


def test_merging_countries_moves_their_agreements_to_the_survivor():
    from articles.merging import merge_entries
    from articles.models import Country

    from .factories import make_staff

    kingdom = Country.objects.create(name="Kingdom of Morocco", iso_code="XM", slug="kingdom-of-morocco")
    both = make_agreement("Both MoU", parties="Morocco; Kingdom of Morocco; India")
    only_old = make_agreement("Old Name MoU", parties="Kingdom of Morocco; India")
    merge_entries(country("MA"), [kingdom], user=make_staff("merger", superuser=True))
    assert sorted(both.parties.values_list("iso_code", flat=True)) == ["IN", "MA"]
    assert sorted(only_old.parties.values_list("iso_code", flat=True)) == ["IN", "MA"]
