"""Agreements' life: party countries, events, the status read from the latest event, and the importer's events."""

import datetime

import pytest

from articles.models import Agreement, AgreementEvent, EventKind, TagOrigin

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
