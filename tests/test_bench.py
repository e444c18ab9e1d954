"""The benchmark's parts (bench/): floor views, the query-count header, settings, wrk's summary and the report.

The benchmark itself (make bench) is not run here; these tests keep its pieces honest and fast.
"""

import importlib
import json

import pytest
from django.conf import global_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

import ties_cms.settings
from bench import floors, report
from bench.middleware import HEADER
from bench.report import API, FLOOR_BYTES, FLOOR_JSON, FLOOR_TEMPLATE, PAGE, Load, Measurement, Target
from bench.run import choose_targets, summary

from .factories import country, make_article, tagged_articles

FLOOR_BYTES_URL = "/_bench/floor/bytes/"
FLOOR_TEMPLATE_URL = "/_bench/floor/template/"
FLOOR_JSON_URL = "/_bench/floor/json/"


@pytest.fixture
def bench_site(settings):
    """The benchmark server's URLs and query-count header, over the test database."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.count_queries", *settings.MIDDLEWARE]
    floors.snapshot.cache_clear()
    yield
    floors.snapshot.cache_clear()


# The floor views and the query header


@pytest.mark.django_db
def test_the_site_never_mounts_the_floor_views(client):
    for url in (FLOOR_BYTES_URL, FLOOR_TEMPLATE_URL, FLOOR_JSON_URL):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_bytes_floor_is_the_story_list_exactly_as_the_site_serves_it(client, bench_site):
    tagged_articles(3)
    floor = client.get(FLOOR_BYTES_URL)
    assert floor.status_code == 200
    assert floor.content == client.get("/articles/").content
    assert b"Story number" in floor.content


@pytest.mark.django_db
def test_the_template_floor_renders_the_list_template_again_without_the_database(client, bench_site):
    stories = tagged_articles(3)
    client.get(FLOOR_TEMPLATE_URL)  # takes the snapshot
    with CaptureQueriesContext(connection) as queries:
        floor = client.get(FLOOR_TEMPLATE_URL)
    assert len(queries) == 0
    assert floor.templates[0].name == "articles/article_filter.html"
    page = client.get("/articles/").content
    # The same page, but for the address it was asked at (canonical link, Open Graph URL).
    assert floor.content.replace(FLOOR_TEMPLATE_URL.encode(), b"/articles/") == page
    assert all(story.headline.encode() in floor.content for story in stories)


@pytest.mark.django_db
def test_the_json_floor_sends_the_api_list_through_json_dumps_without_the_database(client, bench_site):
    tagged_articles(3)
    client.get(FLOOR_JSON_URL)  # takes the snapshot
    with CaptureQueriesContext(connection) as queries:
        floor = client.get(FLOOR_JSON_URL)
    assert len(queries) == 0
    assert floor["Content-Type"] == "application/json"
    assert floor.content == client.get("/api/articles/").content
    assert len(floor.json()["results"]) == 3


@pytest.mark.django_db
def test_the_query_header_counts_every_query_the_request_makes(client, bench_site):
    tagged_articles(2)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/articles/")
    assert len(queries) > 0
    assert response[HEADER] == str(len(queries))


# Settings


def reload_bench_settings(monkeypatch, cache: str | None):
    if cache is None:
        monkeypatch.delenv("BENCH_CACHE", raising=False)
    else:
        monkeypatch.setenv("BENCH_CACHE", cache)
    import bench.settings

    return importlib.reload(bench.settings)


def test_the_bench_settings_serve_the_floors_with_debug_off_and_count_queries_first(monkeypatch):
    module = reload_bench_settings(monkeypatch, None)
    assert module.ROOT_URLCONF == "bench.urls"
    assert module.DEBUG is False
    middleware = module.MIDDLEWARE
    assert middleware == ["bench.middleware.count_queries", *ties_cms.settings.MIDDLEWARE]


def test_the_bench_settings_turn_every_cache_off_unless_asked(monkeypatch):
    off = reload_bench_settings(monkeypatch, None)
    assert {c["BACKEND"] for c in off.CACHES.values()} == {"django.core.cache.backends.dummy.DummyCache"}
    on = reload_bench_settings(monkeypatch, "on")
    caches = on.CACHES
    assert caches == getattr(ties_cms.settings, "CACHES", global_settings.CACHES)
    page_cache = getattr(on, "PAGE_CACHE_SECONDS", None)
    assert page_cache == getattr(ties_cms.settings, "PAGE_CACHE_SECONDS", None)


def test_the_data_mode_keeps_the_sites_caches_but_renders_every_page(monkeypatch):
    data = reload_bench_settings(monkeypatch, "data")
    caches = data.CACHES
    assert caches == getattr(ties_cms.settings, "CACHES", global_settings.CACHES)
    assert data.PAGE_CACHE_SECONDS == 0


def test_the_bench_settings_refuse_an_unknown_cache_mode(monkeypatch):
    with pytest.raises(ValueError, match="BENCH_CACHE"):
        reload_bench_settings(monkeypatch, "sometimes")
    reload_bench_settings(monkeypatch, None)


# What the benchmark loads


@pytest.mark.django_db
def test_the_benchmark_filters_by_the_most_covered_country_that_still_narrows_the_list(bench_site):
    india, morocco, france = country("IN"), country("MA"), country("FR")
    for number in range(4):
        article = make_article()
        article.countries.add(india, *([morocco] if number < 2 else []), *([france] if number == 0 else []))
    paths = {target.label: target.path for target in choose_targets("minerals")}
    assert paths["list by country"] == "/articles/?country=morocco"
    assert paths["country page"] == "/countries/morocco/"
    assert paths["list, deep page"] == "/articles/?page=1"  # four stories make one page
    assert paths["search"] == "/articles/?q=minerals"
    assert paths["floor: finished bytes"] == FLOOR_BYTES_URL
    assert paths["pair page"] == "/ties/india-morocco/"
    assert paths["agreement ledger"] == "/agreements/"
    assert paths["ledger by country"] == "/agreements/?country=morocco"


# wrk's summary and the report

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/articles/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.71ms    1.02ms  20.11ms   90.00%
  1200 requests in 10.00s, 23.41MB read
BENCH-SUMMARY {"requests":1200,"duration_us":10000000,"bytes":24547000,"p50_us":6500,"p99_us":12000,\
"errors":{"connect":0,"read":2,"write":0,"status":3,"timeout":1}}
Requests/sec:    120.00
"""


def test_wrk_summary_gives_throughput_latency_and_errors():
    load = report.parse_wrk(WRK_OUTPUT)
    assert load == Load(requests=1200, seconds=10.0, p50_ms=6.5, p99_ms=12.0, bad_status=3, socket_errors=3)
    assert load.per_second == 120


def test_wrk_output_without_the_summary_line_is_an_error():
    with pytest.raises(ValueError, match="summary"):
        report.parse_wrk("Requests/sec: 120.00\n")


def measured(label, kind, per_second, *, queries=3, repeat=None, status=200, bad_status=0, is_list=False):
    load = Load(requests=round(per_second * 10), seconds=10.0, p50_ms=5.0, p99_ms=9.0, bad_status=bad_status)
    target = Target(label, f"/{label}/", kind, is_list=is_list)
    return Measurement(target, load, status, 20_480, queries, queries if repeat is None else repeat, 0.25)


FLOORS = [
    measured("bytes", FLOOR_BYTES, 1000, queries=0),
    measured("template", FLOOR_TEMPLATE, 400, queries=0),
    measured("json", FLOOR_JSON, 800, queries=0),
]


def row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if f"`/{label}/`" in line)


def test_the_table_gives_each_answer_its_share_of_its_own_floor_and_of_the_bytes_floor():
    text = report.table([*FLOORS, measured("list", PAGE, 300), measured("api", API, 200)])
    cells = row(text, "list").split(" | ")[1:9]
    assert cells == ["300", "5.0", "9.0", "3", "20.0", "75% (template)", "30%", "0.25"]
    assert "25% (json)" in row(text, "api") and "| 20% |" in row(text, "api")
    assert "| 40% |" in row(text, "template")


def test_shares_are_of_each_floors_fastest_run_in_any_mode():
    disturbed = [measured("bytes", FLOOR_BYTES, 500, queries=0), measured("list", PAGE, 300)]
    floors = report.best_floors(FLOORS, disturbed)
    assert floors[FLOOR_BYTES].load.per_second == 1000
    assert "| 75% (template) | 30% |" in row(report.table(disturbed, floors), "list")


def test_the_table_shows_cache_hits_and_flags_error_answers():
    text = report.table([*FLOORS, measured("cached", PAGE, 900, queries=5, repeat=0)])
    assert "| 5 then 0 |" in row(text, "cached")
    text = report.table([measured("missing", PAGE, 900, status=404, bad_status=9000)])
    assert row(text, "missing").endswith("| answered 404; 9000 non-2xx/3xx |")


def test_the_checks_hold_the_figures_to_the_issues_targets():
    uncached = [
        *FLOORS,
        measured("list", PAGE, 300, queries=4, is_list=True),
        measured("list, deep page", PAGE, 150, queries=4, is_list=True),
        measured("search", PAGE, 120, queries=9, repeat=6, is_list=True),
        measured("country page", PAGE, 50, queries=12),
        measured("API list", API, 390, queries=3, is_list=True),
    ]
    cached = [*FLOORS, measured("list", PAGE, 600, queries=4, repeat=0)]
    checks = report.checks(uncached, cached)
    found = {check.goal: (check.found, check.met) for check in checks}
    assert found == {
        "uncached list ≥ 50% of the rendered-template floor": ("75%", True),
        "uncached API list ≥ 50% of the json.dumps floor": ("49%", False),
        "deep page within 1.5× of page 1": ("2.00×", False),
        "search within 3× of the plain list (the goal is for PostgreSQL)": ("2.50×", True),
        "≤ 5 queries per list request (repeated)": ("at most 6", False),  # the country page is not a list
        "cached, repeated list ≥ 50% of the bytes floor": ("60%", True),
    }
    text = report.checks_table({"data cached": checks, "nothing cached": checks[:1]})
    assert text.splitlines()[0] == "| target | data cached | nothing cached |"
    assert "| uncached list ≥ 50% of the rendered-template floor | 75% met | 75% met |" in text
    assert "| deep page within 1.5× of page 1 | 2.00× **missed** |  |" in text


def test_slow_answers_keep_a_decimal_in_the_table():
    text = report.table([measured("slow", PAGE, 1.4), measured("fast", PAGE, 1234)])
    assert row(text, "slow").startswith("| slow `/slow/` | 1.4 |")
    assert row(text, "fast").startswith("| fast `/fast/` | 1,234 |")


def test_the_summary_names_the_setting_the_import_and_each_run():
    meta = {
        "stories": 10_000,
        "database": "SQLite 3.40.1",
        "when": "2026-11-23T01:00+00:00",
        "cores": 2,
        "wrk": "wrk -t1 -c8 -d10s",
        "import": {"files": 10_000, "seconds": 18.5, "peak_rss_mb": 150, "stories_after": 10_000},
    }
    run = {"load_before": (1.0, 0.5, 0.25), "load_after": (2.0, 1.0, 0.5), "priority": -10, "measurements": FLOORS}
    text = summary(meta, {"off": run, "data": run, "on": run | {"priority": 0}})
    assert text.startswith("## 10,000 stories on SQLite 3.40.1 (2026-11-23T01:00+00:00)")
    assert "Import: 10,000 files in 18.5 s through `import_articles`, peak RSS 150 MB" in text
    assert "### Nothing cached (`BENCH_CACHE=off`)" in text
    assert "### Pages rendered per request, the site's data caches on (`BENCH_CACHE=data`)" in text
    assert "### Everything cached, repeated requests (`BENCH_CACHE=on`)" in text
    assert "Load average before 1.00 0.50 0.25, after 2.00 1.00 0.50; server and wrk at nice -10" in text
    assert "at normal priority (not root?)" in text
    assert "| target | `BENCH_CACHE=data` | `BENCH_CACHE=off` |" in text


def test_the_reading_fuzzer_runs_and_finds_no_crash_in_a_short_run(tmp_path, capsys):
    """The fuzzer is run by hand (100,000 inputs, README); a short run keeps it working as the reading changes."""
    from bench import fuzz_importer

    status = fuzz_importer.main(
        ["--count", "40", "--large", "1", "--seed", "1", "--jobs", "1", "--out", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert "crashes 0, hangs 0" in printed
    assert status == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["inputs"], summary["crashes"]) == (40, [])
