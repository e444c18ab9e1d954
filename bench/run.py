"""Build a synthetic archive, import it, serve it with gunicorn, load it with wrk, and report.

`make bench N=100000` runs `python -m bench --count 100000`. What it makes stays in .bench/ (git-ignored): the
archive, the SQLite database, gunicorn's log and the last results as JSON. See docs/PERFORMANCE.md.
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, replace
from pathlib import Path

from . import report
from .middleware import HEADER
from .report import API, FLOOR_BYTES, FLOOR_JSON, FLOOR_TEMPLATE, PAGE, Measurement, Target

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
LUA = Path(__file__).with_name("wrk_summary.lua")
PAGE_SIZE = 20
DEEP_PAGE = 200
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The server and wrk run ahead of other work on the machine (someone's tests), where we may raise priority.
PRIORITY = -10
# BENCH_CACHE values (bench/settings.py), in the order they run.
MODES = {
    "off": "Nothing cached (`BENCH_CACHE=off`)",
    "data": "Pages rendered per request, the site's data caches on (`BENCH_CACHE=data`)",
    "on": "Everything cached, repeated requests (`BENCH_CACHE=on`)",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="stories in the archive (default 10000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load first (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="load every URL this many times, keep the best (default 1)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--cache",
        choices=[*MODES, "all"],
        default="all",
        help="what the site may cache (bench/settings.py): off, data, on, or all three in turn (default)",
    )
    parser.add_argument("--search", default="minerals", help="the search words (default: minerals)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "").strip(),
        help="a database of its own for the benchmark (default: DATABASE_URL, else .bench/ties-N.sqlite3)",
    )
    args = parser.parse_args(argv)
    if min(args.count, args.duration, args.rounds) < 1:
        parser.error("--count, --duration and --rounds must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (make bench installs it)", file=sys.stderr)
        return 2
    WORK.mkdir(exist_ok=True)
    (WORK / "gunicorn.log").unlink(missing_ok=True)
    database_url = args.database_url or f"sqlite:///{WORK / f'ties-{args.count}.sqlite3'}"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One client sends every request here; the throttle still runs (caching on), it just never refuses.
        "DJANGO_API_ANON_RATE": "1000000/second",
    }
    site_env = env | {"DJANGO_SETTINGS_MODULE": "ties_cms.settings"}
    bench_env = env | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    os.environ.update(bench_env)

    archive = ensure_archive(args.count, site_env)
    ensure_postgres_database(database_url)
    manage(site_env, "migrate", "--no-input", "--verbosity", "0")

    import django

    django.setup()
    from django.db import connection

    imported = ensure_imported(archive, args.count, site_env)
    manage(site_env, "collectstatic", "--no-input", "--verbosity", "0")
    targets = choose_targets(args.search)
    database = describe_database(connection)
    connection.close()

    runs = {}
    for mode in MODES if args.cache == "all" else [args.cache]:
        print(f"\n== {MODES[mode]}", file=sys.stderr)
        load_before = os.getloadavg()
        with Server(bench_env | {"BENCH_CACHE": mode}, WORK / "gunicorn.log") as server:
            measurements = measure(server, targets, args)
        runs[mode] = {
            "load_before": load_before,
            "load_after": os.getloadavg(),
            "priority": server.priority,
            "measurements": measurements,
        }

    meta = {
        "stories": args.count,
        "database": database,
        "when": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "cores": os.cpu_count(),
        "wrk": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s",
        "rounds": args.rounds,
        "import": imported,
    }
    text = summary(meta, runs)
    print("\n" + text)
    results = WORK / f"results-{args.count}-{database.split()[0].lower()}.json"
    results.write_text(json.dumps({"meta": meta, "runs": runs, "report": text}, default=as_json, indent=1))
    print(f"\n(saved in {results.relative_to(ROOT)})", file=sys.stderr)
    return 0


def as_json(value):
    if isinstance(value, Measurement):
        return asdict(value) | {"per_second": value.load.per_second}
    raise TypeError(type(value))


def manage(env, *arguments):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True)


def ensure_archive(count: int, env) -> Path:
    """The synthetic archive of `count` stories, written if it is missing or short."""
    folder = WORK / f"archive-{count}"
    if sum(1 for _ in folder.rglob("*.txt")) < count:
        print(f"== writing {count} stories into {folder.relative_to(ROOT)}", file=sys.stderr)
        manage(env, "build_archive", str(folder), "--count", str(count))
    return folder


def ensure_postgres_database(url: str):
    """Create the PostgreSQL database `url` names when it does not exist yet."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg
    from psycopg import sql

    server = {"host": config["HOST"], "port": config["PORT"] or None, "user": config["USER"]}
    server["password"] = config["PASSWORD"] or None
    try:
        psycopg.connect(dbname=config["NAME"], **server).close()
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"== created database {config['NAME']}", file=sys.stderr)


def ensure_imported(archive: Path, count: int, env) -> dict:
    """Import the archive through the real importer unless the database holds it already."""
    from articles.models import Article

    stories = Article.objects.count()
    if Article.objects.exclude(source_file__startswith="story_").exists() or stories > count:
        raise SystemExit(
            f"The database holds {stories} stories, not only this archive's {count}: the benchmark needs a "
            "database of its own for each N (e.g. DATABASE_URL=postgres://…/ties_bench_10k), or drop this one."
        )
    if stories == count:
        return {"skipped": f"already imported ({stories} stories)"}
    print(f"== importing {archive.relative_to(ROOT)} ({stories} of {count} stories there)", file=sys.stderr)
    command = [sys.executable, str(ROOT / "manage.py"), "import_articles", "--verbosity", "0", str(archive)]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    # wait4 gives this child's own peak memory, not the largest of every child so far.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"import_articles failed (exit status {process.returncode})")
    return {
        "files": count,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "stories_after": Article.objects.count(),
    }


def choose_targets(search: str) -> list[Target]:
    """The URLs to load: the three floors, then the pages and the API, with slugs picked from the data."""
    from django.db.models import Count
    from django.urls import reverse

    from articles import pairs
    from articles.models import Article, Country, Status

    total = Article.objects.published().count()
    countries = (
        Country.objects.filter(tagged_articles__content_object__status=Status.PUBLISHED)
        .annotate(stories=Count("tagged_articles"))
        .order_by("-stories", "name")
    )
    # The most-covered country on at most half the stories: a common slug that still narrows the list.
    common = next((c for c in countries if c.stories <= total / 2), None) or countries.first()
    if common is None:
        raise SystemExit("No published story has a country: is the archive imported?")
    deep = min(DEEP_PAGE, max(1, math.ceil(total / PAGE_SIZE)))
    stories, api = reverse("articles:list"), reverse("api:article-list")
    # The common country's most covered pair: the pair page with the most stories to count and chart.
    pair = next(iter(pairs.pairs(common)), None)
    return [
        Target("floor: finished bytes", reverse("floor_bytes"), FLOOR_BYTES),
        Target("floor: template, no database", reverse("floor_template"), FLOOR_TEMPLATE),
        Target("floor: json.dumps, no database", reverse("floor_json"), FLOOR_JSON),
        Target("list", stories, PAGE, is_list=True),
        Target("list, deep page", f"{stories}?page={deep}", PAGE, is_list=True),
        Target("list by country", f"{stories}?country={common.slug}", PAGE, is_list=True),
        Target("search", f"{stories}?q={urllib.parse.quote_plus(search)}", PAGE, is_list=True),
        Target("country page", reverse("articles:country", args=[common.slug]), PAGE),
        *([Target("pair page", pair.get_absolute_url(), PAGE)] if pair else []),
        Target("agreement ledger", reverse("articles:agreements"), PAGE, is_list=True),
        Target("ledger by country", f"{reverse('articles:agreements')}?country={common.slug}", PAGE, is_list=True),
        Target("API list", api, API, is_list=True),
        Target("API deep page", f"{api}?page={deep}", API, is_list=True),
        Target("API by country", f"{api}?country={common.slug}", API, is_list=True),
    ]


def describe_database(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def ahead_of_others():
    """Run the process that calls this (in the child, before exec) at a higher priority, if allowed."""
    # Without the right to (not root), both run at normal priority and the report says so.
    with contextlib.suppress(PermissionError):
        os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with one sync worker on a free local port, for the length of a `with` block."""

    def __init__(self, env, log: Path):
        self.env, self.log = env, log

    def __enter__(self):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "ties_cms.wsgi:application",
            "--config",
            str(Path(__file__).with_name("gunicorn_config.py")),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        # Its log and the site's error reports go to the log file, so that the progress lines stay readable.
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, preexec_fn=ahead_of_others
            )
        self.priority = os.getpriority(os.PRIO_PROCESS, self.process.pid)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit status {self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.base + "/robots.txt", timeout=5):
                    return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer within a minute; see {self.log}")

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn's processes (arbiter and worker)."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(process_cpu_seconds(pid) for pid in pids)


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def busy_cpu_seconds() -> float:
    """CPU time every process on the machine has used since boot (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def probe(url: str) -> tuple[int, int, int | None]:
    """(status, body size, queries) of one request."""
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            status, body, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read(), error.headers
    queries = headers.get(HEADER)
    return status, len(body), int(queries) if queries is not None else None


def wrk(url: str, args, seconds: int) -> tuple[report.Load, float]:
    """wrk's figures for `url`, and the CPU seconds wrk itself used."""
    # As long as gunicorn's timeout: a slow page waits behind the other connections' requests, and counts.
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "300s"]
    process = subprocess.Popen(
        [*command, "-s", str(LUA), url], stdout=subprocess.PIPE, text=True, preexec_fn=ahead_of_others
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"wrk failed on {url} (exit status {process.returncode}):\n{output}")
    return report.parse_wrk(output), usage.ru_utime + usage.ru_stime


def measure(server: Server, targets: list[Target], args) -> list[Measurement]:
    """Probe each target once, then load them in turn, `args.rounds` times over; keep each one's best round."""
    best: dict[Target, Measurement] = {}
    for target in targets:
        url = server.base + target.path
        if target.kind in report.FLOORS:
            probe(url)  # a floor takes its snapshot from the real views on its first request
        status, size, first = probe(url)
        _, _, repeat = probe(url)
        best[target] = Measurement(target, report.Load(0, 0.0, 0.0, 0.0), status, size, first, repeat)
        if status >= 500:
            print(f"  {target.label:32} answered {status}, not loaded; see {server.log}", file=sys.stderr)
    # Rounds go through every URL before the next, so that a burst of other work does not hit one URL twice.
    for round_number in range(1, args.rounds + 1):
        for target, measurement in best.items():
            if measurement.status >= 500:
                continue
            load, others = load_once(server, server.base + target.path, args)
            print(
                f"  {target.label:32} {load.per_second:9,.0f} req/s  p50 {load.p50_ms:7.1f} ms  "
                f"queries {report.queries_cell(measurement)}  others {others:.2f} cores"
                + (f"  (round {round_number})" if args.rounds > 1 else ""),
                file=sys.stderr,
            )
            # Other work only ever takes throughput away: the fastest round is the least disturbed one.
            if load.per_second > measurement.load.per_second:
                best[target] = replace(measurement, load=load, others_cores=others)
    return list(best.values())


def load_once(server: Server, url: str, args) -> tuple[report.Load, float]:
    """wrk's figures for `url` after a warm-up, and the cores other processes used meanwhile."""
    if args.warmup:
        wrk(url, args, args.warmup)
    busy, served = busy_cpu_seconds(), server.cpu_seconds()
    load, wrk_cpu = wrk(url, args, args.duration)
    others = busy_cpu_seconds() - busy - (server.cpu_seconds() - served) - wrk_cpu
    return load, max(0.0, others / load.seconds)


def niceness(priority: int) -> str:
    if priority < 0:
        return f"server and wrk at nice {priority}, ahead of other work"
    return "server and wrk at normal priority (not root?): other work competes on equal terms"


def summary(meta: dict, runs: dict) -> str:
    """The report in Markdown, as docs/PERFORMANCE.md quotes it."""
    imported = meta["import"]
    if "skipped" in imported:
        import_line = f"Import: {imported['skipped']}."
    else:
        import_line = (
            f"Import: {imported['files']:,} files in {imported['seconds']} s through `import_articles`, "
            f"peak RSS {imported['peak_rss_mb']} MB ({imported['stories_after']:,} stories after)."
        )
    rounds = f", best of {meta['rounds']} rounds" if meta.get("rounds", 1) > 1 else ""
    lines = [
        f"## {meta['stories']:,} stories on {meta['database']} ({meta['when']})",
        "",
        f"gunicorn, one sync worker, DEBUG off; `{meta['wrk']}` per URL{rounds}; {meta['cores']} cores. "
        + import_line,
    ]
    floors = report.best_floors(*(run["measurements"] for run in runs.values()))
    lines += [
        "",
        "Shares are of each floor's fastest run in any mode below (floors cache nothing, so every mode measures "
        "the same work, and the fastest run is the least disturbed).",
    ]
    for mode, run in runs.items():
        before = " ".join(f"{v:.2f}" for v in run["load_before"])
        after = " ".join(f"{v:.2f}" for v in run["load_after"])
        lines += [
            "",
            f"### {MODES[mode]}",
            "",
            f"Load average before {before}, after {after}; {niceness(run.get('priority', 0))}.",
            "",
            report.table(run["measurements"], floors),
        ]
    cached = runs.get("on", {}).get("measurements")
    columns = {
        f"`BENCH_CACHE={mode}`": report.checks(runs[mode]["measurements"], cached, floors)
        for mode in ("data", "off")
        if mode in runs
    }
    if columns:
        lines += ["", "### The issue's targets", "", report.checks_table(columns)]
    return "\n".join(lines)
