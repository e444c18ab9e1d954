"""manage.py evaluate_importer and the scoring in articles/evaluation.py, on pages written here."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.evaluation import Page, same_person, score_page
from articles.ingest.entities import AgreementFinding, Findings, OfficialFinding

PAGE = (
    "Chile and Peru sign fisheries pact\n\n"
    "Published 12 May 2026\n\n"
    "Lima, May 12 Chile and Peru signed an MoU on fisheries in Lima on Tuesday, Chile's Foreign Minister "
    "Ana Rojas said after meeting Peru's Foreign Minister Julio Paredes.\n"
)
FACTS = {
    "id": "t-01-chile-peru",
    "url": "https://example.org/chile-peru",
    "query": "Chile Peru fisheries MoU",
    "date": "2026-05-12",
    "countries": ["CL", "PE"],
    "officials": [{"name": "Ana Rojas"}, {"name": "Julio Paredes"}, {"name": "Marta Vidal"}],
    "agreements": [{"kind": "mou", "name": "MoU on fisheries", "keys": ["fisheries"]}],
}


@pytest.fixture
def evaluation_dir(tmp_path):
    (tmp_path / "facts").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "facts" / "set.json").write_text(json.dumps([FACTS]), encoding="utf-8")
    (tmp_path / "pages" / "t-01-chile-peru.txt").write_text(PAGE, encoding="utf-8")
    return tmp_path


def run(*args) -> str:
    out = StringIO()
    call_command("evaluate_importer", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_each_vocabulary_and_the_page_misses(evaluation_dir):
    out = run(str(evaluation_dir))
    assert "countries   precision 1.00  recall 1.00  F1 1.00  (2 right, 0 false, 0 missed)" in out
    assert "officials   precision 1.00  recall 0.67  F1 0.80  (2 right, 0 false, 1 missed)" in out
    assert "agreements  precision 1.00  recall 1.00  F1 1.00  (1 right, 0 false, 0 missed)" in out
    assert "dates right 1 / 1 (100%)" in out
    assert "officials missed: Marta Vidal" in out


@pytest.mark.django_db
def test_json_totals_and_pages_chosen_by_id(evaluation_dir):
    totals = json.loads(run(str(evaluation_dir), "--json", "--only", "t-01"))
    assert totals["officials"]["missed"] == 1
    with pytest.raises(CommandError, match="no page to score"):
        run(str(evaluation_dir), "--only", "nothing")


def test_a_folder_without_facts_is_refused_in_one_line(tmp_path):
    with pytest.raises(CommandError, match="no facts"):
        run(str(tmp_path))


def test_two_findings_that_fit_two_facts_each_take_one():
    page = Page.from_facts(
        {
            "id": "p",
            "agreements": [
                {"name": "interim free trade agreement", "keys": ["free trade"]},
                {"name": "new free trade agreement", "keys": ["new free trade", "free trade"]},
            ],
        }
    )
    fta = AgreementFinding(None, "Chile–Peru Interim FTA", "fta", subject="interim")
    other = AgreementFinding(None, "Chile–Peru Trade FTA", "fta", subject="trade")
    result = score_page(page, Findings((), (), (fta, other)), None)
    assert (result.tallies["agreements"].true, result.false_tags["agreements"]) == (2, [])
    again = score_page(page, Findings((), (), (fta, other, fta)), None)
    assert again.false_tags["agreements"] == ["Chile–Peru Interim FTA (duplicate)"]


@pytest.mark.parametrize(
    ("name", "right"),
    [
        ("Ghana–India Foreign Service Institutes MoU", True),
        ("Ghana–India Foreign Service Institute MoU", True),
        ("Ghana–India Foreign Service Institution MoU", False),
        ("Ghana–India Service Institutes MoU", False),
    ],
)
def test_a_key_matches_whole_words_its_last_one_singular_or_plural(name, right):
    page = Page.from_facts({"id": "p", "agreements": [{"name": "x", "keys": ["foreign service institute"]}]})
    result = score_page(page, Findings((), (), (AgreementFinding(None, name, "mou"),)), None)
    assert result.tallies["agreements"].true == int(right)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("SATO Kenji", "Kenji Sato", True),
        ("Abdullah bin Zayed Al Nahyan", "Abdullah bin Zayed", True),
        ("Rajnath Singh", "Singh", True),
        ("Rajnath Singh", "Manmohan Singh", False),
    ],
)
def test_spellings_of_one_person(a, b, same):
    assert same_person(a, b) is same


def test_a_second_finding_for_one_person_is_a_duplicate():
    page = Page.from_facts({"id": "p", "officials": [{"name": "Ana Rojas"}]})
    found = (OfficialFinding(None, "Ana Rojas"), OfficialFinding(None, "Rojas"))
    result = score_page(page, Findings((), found, ()), None)
    assert result.false_tags["officials"] == ["Rojas (duplicate)"]
