"""import_articles and ensure_editor, as an editor runs them."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from articles.importing import refresh_statistics
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

from .conftest import seed_path

pytestmark = pytest.mark.django_db


def run_import(*args, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the command in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdin = sys.__stdin__
    return code, out.getvalue(), err.getvalue()


def tag_names(article, vocabulary) -> set[str]:
    return {tag.name for tag in getattr(article, vocabulary).all()}


def test_importing_the_seeds_creates_five_tagged_stories(seeds_dir):
    code, out, err = run_import(str(seeds_dir))
    assert code == 0, err
    assert "5 created, 0 updated, 0 unchanged, 0 failed" in out
    assert Article.objects.count() == 5
    first, second = (Article.objects.get(source_file=seed_path(p).name) for p in ("000", "001"))
    for article in (first, second):
        assert tag_names(article, "countries") == {"India", "Morocco"}
        assert {"Rajnath Singh", "Abdellatif Loudiyi"} <= tag_names(article, "officials")
    assert tag_names(first, "agreements") == tag_names(second, "agreements") == {"India–Morocco Defence MoU"}


def test_seed_002_gets_its_headline_source_and_the_same_trade_secretary_as_001(seeds_dir):
    run_import(str(seeds_dir))
    article = Article.objects.get(source_file=seed_path("002").name)
    assert article.headline == "Morocco, India Strengthen Ties on Sidelines of US Critical Minerals Summit"
    assert article.source == "21stNews"
    assert tag_names(article, "countries") == {"India", "Morocco", "United States", "China"}
    assert {"Nasser Bourita", "Subrahmanyam Jaishankar", "Marco Rubio", "Neena Malhotra", "Omar Hejira"} <= (
        tag_names(article, "officials")
    )
    hejira = Official.objects.get(name="Omar Hejira")
    assert hejira.articles.count() == 2
    assert OfficialAlias.objects.filter(entry=hejira, name="Omar Hjira").exists()


def test_seeds_003_and_004_get_their_countries_people_and_agreements(seeds_dir):
    run_import(str(seeds_dir))
    israel = Article.objects.get(source_file=seed_path("003").name)
    italy = Article.objects.get(source_file=seed_path("004").name)
    assert tag_names(israel, "countries") == {"India", "Israel"}
    assert tag_names(israel, "officials") == {"Rajesh Kumar Singh", "Israel Katz", "Amir Baram"}
    assert tag_names(israel, "agreements") == {"India–Israel Defence MoU"}
    assert tag_names(italy, "countries") == {"India", "Italy"}
    assert tag_names(italy, "officials") == {"Rajesh Kumar Singh", "Guido Crosetto", "Luisa Riccardi"}
    # Since issue 10 an agreement under negotiation is read too ("the negotiation of a Defence Industrial
    # Roadmap").
    assert tag_names(italy, "agreements") == {
        "SIDM–AIAD MoU",
        "India–Italy Joint Strategic Action Plan 2025–2029",
        "Defence Industrial Roadmap",
    }
    assert italy.source == "ANI"


def test_the_seeds_create_for_review_only_the_agreement_under_negotiation(seeds_dir):
    run_import(str(seeds_dir))
    assert not Official.objects.filter(needs_review=True).exists()
    assert list(Agreement.objects.filter(needs_review=True).values_list("name", "kind", "signed_on")) == [
        ("Defence Industrial Roadmap", "roadmap", None)
    ]


def test_importing_twice_reports_everything_unchanged_and_writes_nothing(seeds_dir):
    run_import(str(seeds_dir))
    before = list(Article.objects.values_list("pk", "updated_at"))
    code, out, _ = run_import(str(seeds_dir))
    assert code == 0
    assert "0 created, 0 updated, 5 unchanged, 0 failed" in out
    assert list(Article.objects.values_list("pk", "updated_at")) == before


def test_the_same_text_with_other_line_endings_and_name_is_unchanged(tmp_path):
    original = seed_path("000").read_bytes()
    (tmp_path / "a.txt").write_bytes(original)
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    code, out, _ = run_import(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 0
    assert "1 created, 0 updated, 1 unchanged, 0 failed" in out


def test_a_changed_file_updates_the_body_but_keeps_the_editors_work(tmp_path):
    story = tmp_path / "story.txt"
    story.write_bytes(seed_path("000").read_bytes())
    run_import(str(story))
    article = Article.objects.get()
    article.headline = "Editor's headline"
    article.status = Status.DRAFT
    article.save()
    article.officials.clear()
    article.countries.remove(article.countries.get(iso_code="MA"))

    story.write_text(story.read_text(encoding="utf-8") + "\nA new closing paragraph from the agency.\n")
    code, out, _ = run_import(str(story))

    assert code == 0
    assert "0 created, 1 updated" in out
    article.refresh_from_db()
    assert article.body.endswith("A new closing paragraph from the agency.")
    assert "A new closing paragraph" in article.raw_text
    assert (article.headline, article.status) == ("Editor's headline", Status.DRAFT)
    assert tag_names(article, "officials") == set()
    assert tag_names(article, "countries") == {"India"}


def test_a_bad_file_is_reported_in_one_line_and_the_others_still_import(tmp_path):
    (tmp_path / "good.txt").write_bytes(seed_path("003").read_bytes())
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run_import(str(tmp_path))
    assert code == 1
    assert "1 created, 0 updated, 0 unchanged, 2 failed" in out
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("binary.txt: ") and lines[1].startswith("empty.txt: ")
    assert "Traceback" not in err
    assert Article.objects.count() == 1


def test_a_file_that_fails_midway_leaves_no_rows(tmp_path, monkeypatch):
    from articles import importing

    def explode(*args, **kwargs):
        raise importing.parsing.ParseError("tagging blew up")

    monkeypatch.setattr(importing.Importer, "resolve", explode)
    (tmp_path / "story.txt").write_bytes(seed_path("002").read_bytes())
    code, _, err = run_import(str(tmp_path))
    assert code == 1
    assert "story.txt: tagging blew up" in err
    assert not Article.objects.exists()


def test_an_oversized_file_is_refused_without_rows(tmp_path, settings):
    from articles.ingest import parsing

    big = tmp_path / "big.txt"
    big.write_bytes(b" date 2025-01-01 Rabat, Jan 1 Words. " * (parsing.MAX_FILE_BYTES // 30))
    code, _, err = run_import(str(big))
    assert code == 1
    assert err.startswith("big.txt: ") and "limit" in err
    assert not Article.objects.exists()


def test_windows_1252_files_import_with_a_warning(tmp_path):
    (tmp_path / "cp.txt").write_bytes(
        b" date 2025-02-01 Rabat, Feb 1 Morocco\x92s minister met India\x92s envoy at the caf\xe9.\n"
    )
    code, out, err = run_import(str(tmp_path))
    assert code == 0
    assert "cp.txt: warning:" in err
    assert "café" in Article.objects.get().body


def test_standard_input_is_read_with_a_dash():
    code, out, _ = run_import("-", stdin=seed_path("004").read_bytes())
    assert code == 0
    assert "1 created" in out
    assert Article.objects.get().source_file == ""


def test_a_missing_path_is_a_usage_error_and_nothing_is_imported(tmp_path):
    (tmp_path / "ok.txt").write_bytes(seed_path("000").read_bytes())
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(tmp_path / "ok.txt"), str(tmp_path / "missing.txt"))
    assert error.value.returncode == 2
    assert not Article.objects.exists()


def test_dry_run_says_what_would_happen_and_writes_nothing(seeds_dir):
    code, out, _ = run_import("--dry-run", str(seeds_dir))
    assert code == 0
    assert "would have 5 created" in out
    assert "created: 000_" in out
    assert not Article.objects.exists()
    assert not OfficialAlias.objects.exists()


def test_status_draft_imports_drafts(seeds_dir):
    run_import("--status", "draft", str(seeds_dir))
    assert set(Article.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Article.objects.published().exists()


def test_a_new_official_and_agreement_are_created_for_review_and_reused(tmp_path):
    text = (
        " date 2026-02-10 Washington, Feb 10 (ANI): US Secretary of Defense Pete Hegseth and Defence Minister "
        "Rajnath Singh signed a Memorandum of Understanding on defence cooperation.\n"
    )
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.txt").write_text(
        text.replace("2026-02-10", "2026-02-12").replace("Feb 10", "Feb 12") + "\nHegseth called it historic.\n",
        encoding="utf-8",
    )
    code, out, _ = run_import(str(tmp_path))
    assert code == 0
    hegseth = Official.objects.get(name="Pete Hegseth")
    assert (hegseth.role, hegseth.country.iso_code, hegseth.needs_review) == (
        "Secretary of Defense",
        "US",
        True,
    )
    agreement = Agreement.objects.get(needs_review=True)
    assert agreement.kind == "mou"
    assert set(agreement.party_list) == {"United States", "India"}
    assert agreement.articles.count() == 2
    assert hegseth.articles.count() == 2
    assert "new official Pete Hegseth" in out


def test_a_second_run_uses_the_aliases_editors_keep(seeds_dir, tmp_path):
    run_import(str(seeds_dir))
    official = Official.objects.get(name="Ryad Mezzour")
    OfficialAlias.objects.create(entry=official, name="R. Mezzour the Minister")
    story = tmp_path / "new.txt"
    story.write_text(" date 2026-01-05 Rabat, Jan 5 R. Mezzour the Minister opened a fair.\n", encoding="utf-8")
    run_import(str(story))
    assert tag_names(Article.objects.get(source_file="new.txt"), "officials") == {"Ryad Mezzour"}


def test_a_usage_error_exits_with_status_2_from_the_shell_in_one_line(tmp_path):
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    completed = subprocess.run(
        [sys.executable, str(manage), "import_articles", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"CommandError: {tmp_path / 'missing.txt'}: no such file or folder"


def test_ensure_editor_creates_a_staff_editor_with_a_generated_password(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_editor", stdout=out)
    password = (tmp_path / ".local" / "editor-password").read_text().strip()
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(password)
    assert user.groups.filter(name="Editors").exists()
    assert password in out.getvalue()
    again = io.StringIO()
    call_command("ensure_editor", stdout=again)
    assert password in again.getvalue(), "a second run keeps the same password"


def test_ensure_editor_names_the_host_the_site_is_served_on(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_editor", "--host", "127.0.0.1:8080", stdout=out)
    assert "Editor login: http://127.0.0.1:8080/admin/  user editor  password " in out.getvalue()


def test_separate_signings_of_the_same_kind_become_separate_agreements(tmp_path):
    for n, date in enumerate(["2021-03-01", "2023-05-01", "2023-11-20"]):
        (tmp_path / f"{n}.txt").write_text(
            f" date {date} Nairobi, Mar 1 India and Kenya signed an MoU on health cooperation in round {n}.\n",
            encoding="utf-8",
        )
    run_import(str(tmp_path))
    names = sorted(Agreement.objects.filter(needs_review=True).values_list("name", flat=True))
    assert names == [
        "India–Kenya Health MoU",
        "India–Kenya Health MoU (2023)",
        "India–Kenya Health MoU (2023-11-20)",
    ]
    assert all(a.articles.count() == 1 for a in Agreement.objects.filter(needs_review=True))


def known_people_story(n: int) -> bytes:
    return (
        f" date 2026-01-{n % 28 + 1:02d} Rabat, Jan {n % 28 + 1} Defence Minister Rajnath Singh met "
        f"Israel Katz in Rabat for round {n} of talks on maritime security.\n"
    ).encode()


def test_a_batch_of_new_stories_costs_the_same_queries_whatever_its_size(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.importing import Importer
    from articles.ingest.parsing import parse_article

    importer = Importer()
    counts = []
    for first, size in ((0, 5), (100, 40)):
        batch = [(f"s{n}.txt", parse_article(known_people_story(n))) for n in range(first, first + size)]
        with CaptureQueriesContext(connection) as queries:
            results = importer.import_batch(batch)
        assert [r.outcome for r in results] == ["created"] * size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    article = Article.objects.get(source_file="s120.txt")
    assert tag_names(article, "officials") == {"Rajnath Singh", "Israel Katz"}
    assert tag_names(article, "countries") == {"India", "Israel"}
    assert article.history.count() == 1


def test_a_file_that_breaks_a_batch_fails_alone(tmp_path, monkeypatch):
    from articles import importing

    real = importing.find_entities

    def fragile(text, *args, **kwargs):
        if "round 3 " in text:
            raise RuntimeError("the finder tripped")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(importing, "find_entities", fragile)
    for n in range(6):
        (tmp_path / f"{n}.txt").write_bytes(known_people_story(n))
    code, out, err = run_import(str(tmp_path))
    assert code == 1
    assert "5 created, 0 updated, 0 unchanged, 1 failed" in out
    assert err.strip() == "3.txt: unexpected RuntimeError: the finder tripped"
    assert Article.objects.count() == 5
    assert not Article.objects.filter(source_file="3.txt").exists()


def test_a_name_twice_in_one_run_is_a_story_and_then_its_update(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_bytes(known_people_story(1))
    (tmp_path / "b" / "same.txt").write_bytes(known_people_story(1) + b"\nA late paragraph.\n")
    code, out, _ = run_import(str(tmp_path))
    assert code == 0
    assert "1 created, 1 updated" in out
    assert Article.objects.get().body.endswith("A late paragraph.")


def test_a_long_run_parses_in_worker_processes_with_the_same_results(tmp_path, monkeypatch):
    from articles.management.commands import import_articles

    monkeypatch.setattr(import_articles, "PARALLEL_FROM", 3)
    contexts = []
    real_get_context = import_articles.multiprocessing.get_context

    def spy(method):
        contexts.append(method)
        return real_get_context(method)

    monkeypatch.setattr(import_articles.multiprocessing, "get_context", spy)
    for n in range(6):
        (tmp_path / f"{n}.txt").write_bytes(known_people_story(n))
    (tmp_path / "4.txt").write_bytes(b"\x00binary")
    code, out, err = run_import("--jobs", "2", str(tmp_path))
    assert code == 1
    assert "5 created, 0 updated, 0 unchanged, 1 failed" in out
    assert err.strip().startswith("4.txt: ")
    created = [line.split()[1] for line in out.splitlines() if line.startswith("created:")]
    assert created == ["0.txt", "1.txt", "2.txt", "3.txt", "5.txt"], "reported in the order given"
    assert contexts == ["spawn"], "the files went through a pool of worker processes"
    assert sorted(Article.objects.values_list("source_file", flat=True)) == [
        "0.txt",
        "1.txt",
        "2.txt",
        "3.txt",
        "5.txt",
    ]


@pytest.mark.parametrize(
    ("threshold", "dry_run", "refreshed"), [(5, False, True), (6, False, False), (5, True, False)]
)
def test_a_large_import_refreshes_the_database_statistics(seeds_dir, monkeypatch, threshold, dry_run, refreshed):
    calls = []
    monkeypatch.setattr("articles.management.commands.import_articles.REFRESH_AFTER", threshold)
    monkeypatch.setattr(
        "articles.management.commands.import_articles.refresh_statistics", lambda: calls.append("refreshed")
    )
    code, _, _ = run_import(str(seeds_dir), *(["--dry-run"] if dry_run else []))
    assert code == 0
    assert calls == (["refreshed"] if refreshed else [])


def test_refreshing_statistics_analyzes_the_tables_on_postgresql_and_asks_nothing_of_sqlite(
    django_assert_num_queries,
):
    Article.objects.create(headline="h", slug="h", body="b", content_key="k", raw_text="b")
    if connection.vendor != "postgresql":
        with django_assert_num_queries(0):
            refresh_statistics()
        return
    with transaction.atomic(), connection.cursor() as cursor:  # inside the import's own transaction
        refresh_statistics()
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Article._meta.db_table])
        assert cursor.fetchone()[0] == 1


# --- Evidence for every tag (issue 10) ------------------------------------------------------------------
def import_text(tmp_path, text: str) -> Article:
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    code, _out, err = run_import(str(tmp_path))
    assert code == 0, err
    return Article.objects.get(source_file="story.txt")


def test_each_tag_the_importer_adds_keeps_its_sentence_and_how_sure_it_was(tmp_path):
    article = import_text(
        tmp_path,
        " date 2026-02-03 Nairobi, Feb 3 Kenya and India signed a Memorandum of Understanding on health "
        "cooperation. Later, Defence Minister Rajnath Singh spoke to reporters.\n",
    )
    official = TaggedOfficial.objects.get(content_object=article)
    assert (official.tag.name, official.origin, official.confidence, official.needs_review) == (
        "Rajnath Singh",
        "importer",
        1.0,
        False,
    )
    assert official.evidence == "Later, Defence Minister Rajnath Singh spoke to reporters."
    agreement = TaggedAgreement.objects.get(content_object=article)
    assert agreement.evidence.startswith("Kenya and India signed a Memorandum of Understanding on health")
    assert agreement.confidence >= 0.75 and not agreement.needs_review
    countries = dict(TaggedCountry.objects.filter(content_object=article).values_list("tag__iso_code", "evidence"))
    assert set(countries) == {"IN", "KE"}
    assert countries["KE"].startswith("Kenya and India signed")


def test_an_agreement_only_under_negotiation_is_a_tag_for_review(tmp_path):
    article = import_text(
        tmp_path,
        " date 2026-02-03 Oslo, Feb 3 Norway and Japan resumed negotiations on a Bilateral Investment Treaty "
        "in Oslo.\n",
    )
    tag = TaggedAgreement.objects.get(content_object=article)
    assert tag.needs_review and tag.confidence < 0.75
    # The reading's kind is one the model lists since agreements have kinds of their own (issue 11).
    assert (tag.tag.kind, tag.tag.signed_on, tag.tag.needs_review) == ("bit", None, True)


def test_a_tag_an_editor_adds_is_marked_as_the_editors(db):
    article = Article.objects.create(headline="h", slug="h", body="b", content_key="k", raw_text="b")
    article.countries.add(Country.objects.get(iso_code="IN"))
    tag = TaggedCountry.objects.get(content_object=article)
    assert (tag.origin, tag.confidence, tag.evidence, tag.needs_review) == ("editor", None, "", False)


def test_a_short_form_a_story_defines_names_the_agreement_in_later_stories_about_its_parties(tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text(
        " date 2026-02-03 Lima, Feb 3 Chile and Peru signed the Pacific Fisheries Access Agreement (PFAA) in "
        "Lima on Tuesday.\n",
        encoding="utf-8",
    )
    assert run_import(str(first))[0] == 0
    agreement = Agreement.objects.get(name="Pacific Fisheries Access Agreement")
    alias = agreement.aliases.get()
    assert (alias.name, alias.needs_review) == ("PFAA", True)

    later = tmp_path / "later"
    later.mkdir()
    (later / "b.txt").write_text(
        " date 2026-05-03 Lima, May 3 Peruvian and Chilean patrols began under the PFAA this week in Peru, "
        "Chile's navy said.\n",
        encoding="utf-8",
    )
    (later / "c.txt").write_text(
        " date 2026-05-04 Quito, May 4 Ecuador said the PFAA talks of Colombia and Ecuador would resume.\n",
        encoding="utf-8",
    )
    assert run_import(str(later))[0] == 0
    about_the_parties = Article.objects.get(source_file="b.txt")
    about_others = Article.objects.get(source_file="c.txt")
    assert list(about_the_parties.agreements.all()) == [agreement]
    assert list(about_others.agreements.all()) == []
