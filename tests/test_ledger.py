"""The agreement ledger (/agreements/): filters, sorting, pages, CSV, and only what readers may see."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Agreement, AgreementEvent, EventKind

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'<th scope="row"><a href="/agreements/[^"]+/">([^<]+)</a></th>', body)


@pytest.fixture
def ledger():
    """Three agreements of our own besides the starting vocabulary's, and one awaiting review."""
    Agreement.objects.all().delete()
    rabat = make_agreement("Rabat MoU", kind="mou", parties="India; Morocco", signed_on=datetime.date(2025, 9, 22))
    rome = make_agreement(
        "Rome Treaty", kind="treaty", parties="India; Italy", signed_on=datetime.date(2019, 3, 1)
    )
    oslo = make_agreement("Oslo FTA", kind="fta", parties="Norway; Japan")
    make_agreement("Unreviewed Pact", parties="India; Morocco", needs_review=True)
    AgreementEvent.objects.create(agreement=rome, kind=EventKind.SIGNED, date=datetime.date(2019, 3, 1))
    AgreementEvent.objects.create(agreement=rome, kind=EventKind.IN_FORCE, date=datetime.date(2020, 1, 1))
    AgreementEvent.objects.create(agreement=rabat, kind=EventKind.SIGNED, date=datetime.date(2025, 9, 22))
    return rabat, rome, oslo


def test_the_ledger_lists_what_readers_may_see_newest_signing_first(client, ledger):
    response = client.get("/agreements/")
    assert names(response) == ["Rabat MoU", "Rome Treaty", "Oslo FTA"]
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Rome Treaty Treaty India , Italy 1 Mar 2019 In force since Jan 2020 0" in text
    assert "Unreviewed Pact" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=italy", ["Rome Treaty"]),
        ("pair=morocco-india", ["Rabat MoU"]),
        ("kind=fta", ["Oslo FTA"]),
        ("status=in_force", ["Rome Treaty"]),
        ("status=signed", ["Rabat MoU"]),
        ("year=2019", ["Rome Treaty"]),
        ("signed_after=2020-01-01", ["Rabat MoU"]),
        ("country=india&ordering=name", ["Rabat MoU", "Rome Treaty"]),
        ("ordering=-name", ["Rome Treaty", "Rabat MoU", "Oslo FTA"]),
        ("ordering=signed_on", ["Rome Treaty", "Rabat MoU", "Oslo FTA"]),
    ],
)
def test_the_ledger_filters_and_sorts(client, ledger, query, expected):
    assert names(client.get(f"/agreements/?{query}")) == expected


@pytest.mark.parametrize("query", ["kind=spaceship", "pair=india-atlantis", "year=abc", "country=atlantis"])
def test_a_bad_filter_shows_its_error_and_no_rows(client, ledger, query):
    response = client.get(f"/agreements/?{query}")
    assert response.status_code == 200
    assert names(response) == [] and "check the filters" in response.content.decode()


def test_the_column_headings_sort_and_say_how_the_table_is_sorted(client, ledger):
    html = client.get("/agreements/?ordering=name&kind=mou").content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a href="?ordering=-name&amp;kind=mou">Agreement ▲</a></th>' in html
    )


def test_the_ledger_is_paged(client, ledger):
    for n in range(60):
        make_agreement(f"Accord {n:02}", parties="India; Morocco")
    first, third = client.get("/agreements/?ordering=name"), client.get("/agreements/?ordering=name&page=3")
    assert len(names(first)) == 25 and len(names(third)) == 13
    assert "Page 3 of 3" in third.content.decode()


def test_the_csv_holds_every_filtered_row(client, ledger):
    for n in range(60):
        make_agreement(f"Accord {n:02}", parties="India; Morocco")
    response = client.get("/agreements.csv?pair=india-morocco&ordering=name")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["name", "url", "kind", "parties", "signed_on", "status", "status_on", "stories"]
    assert len(rows) == 1 + 61
    rabat = next(row for row in rows if row[0] == "Rabat MoU")
    assert rabat == [
        "Rabat MoU",
        "http://testserver/agreements/rabat-mou/",
        "mou",
        "India; Morocco",
        "2025-09-22",
        "signed",
        "2025-09-22",
        "0",
    ]
    assert "Unreviewed Pact" not in response.content.decode()


def test_the_csv_without_filters_holds_every_row_and_with_a_bad_filter_none(client, ledger):
    rows = list(csv.reader(io.StringIO(client.get("/agreements.csv").content.decode())))
    assert sorted(row[0] for row in rows[1:]) == ["Oslo FTA", "Rabat MoU", "Rome Treaty"]
    bad = list(csv.reader(io.StringIO(client.get("/agreements.csv?kind=spaceship").content.decode())))
    assert len(bad) == 1


def test_the_ledger_costs_the_same_queries_for_5_rows_as_for_50(client):
    Agreement.objects.all().delete()

    def add(count):
        for n in range(count):
            agreement = make_agreement(
                f"Accord {count}-{n}", parties="India; Morocco", signed_on=datetime.date(2024, 1, 1)
            )
            AgreementEvent.objects.create(
                agreement=agreement, kind=EventKind.SIGNED, date=datetime.date(2024, 1, 1)
            )

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            assert response.status_code == 200
        return len(captured)

    add(5)
    few = [queries("/agreements/"), queries("/agreements.csv"), queries("/agreements/?pair=india-morocco")]
    add(45)
    assert [queries("/agreements/"), queries("/agreements.csv"), queries("/agreements/?pair=india-morocco")] == few


def test_the_ledger_s_rows_are_drawn_once_until_a_write(client, ledger, settings):
    settings.QUERY_CACHE_SECONDS = 60
    first = names(client.get("/agreements/"))
    with CaptureQueriesContext(connection) as again:
        assert names(client.get("/agreements/")) == first
    # Drawn already, the rows are not even read: only the cache generation is.
    assert not [q for q in again.captured_queries if "articles_agreement" in q["sql"]]
    make_agreement("Lima Accord", kind="agreement", parties="India; Peru", signed_on=datetime.date(2026, 1, 5))
    assert names(client.get("/agreements/"))[0] == "Lima Accord"
