"""What the benchmark measured, and its tables: wrk's summary in, Markdown out (plain functions, no Django)."""

import json
from dataclasses import dataclass

# The line bench/wrk_summary.lua prints at the end of a wrk run.
WRK_PREFIX = "BENCH-SUMMARY "

PAGE, API = "page", "api"
FLOOR_BYTES, FLOOR_TEMPLATE, FLOOR_JSON = "floor-bytes", "floor-template", "floor-json"
FLOORS = (FLOOR_BYTES, FLOOR_TEMPLATE, FLOOR_JSON)
# Which floor each kind of answer is held against first; every answer is also held against the bytes.
OWN_FLOOR = {PAGE: FLOOR_TEMPLATE, API: FLOOR_JSON}


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    kind: str
    is_list: bool = False  # a list of stories, held to the query budget


@dataclass(frozen=True)
class Load:
    """One wrk run: requests answered, over how long, latency percentiles, and what went wrong."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad_status: int = 0
    socket_errors: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Measurement:
    target: Target
    load: Load
    status: int  # of a single request made before the run
    size: int  # bytes in that answer's body
    queries: int | None  # the first request's database queries
    repeat_queries: int | None  # the same request made again (a cache hit when caching is on)
    others_cores: float | None = None  # CPU that other processes used during the run, in cores


def parse_wrk(output: str) -> Load:
    """The Load in wrk's output; needs the summary line of bench/wrk_summary.lua."""
    for line in output.splitlines():
        if line.startswith(WRK_PREFIX):
            data = json.loads(line.removeprefix(WRK_PREFIX))
            errors = data["errors"]
            return Load(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                bad_status=errors["status"],
                socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
            )
    raise ValueError("wrk printed no summary line (is bench/wrk_summary.lua passed with -s?)")


def ratio(measurement: Measurement, floor: Measurement | None) -> str:
    if floor is None or not floor.load.per_second:
        return ""
    return f"{measurement.load.per_second / floor.load.per_second:.0%}"


def queries_cell(measurement: Measurement) -> str:
    first, repeat = measurement.queries, measurement.repeat_queries
    if first is None:
        return "?"
    return str(first) if repeat in (None, first) else f"{first} then {repeat}"


def problems(measurement: Measurement) -> str:
    notes = []
    if measurement.status != 200:
        notes.append(f"answered {measurement.status}")
    if measurement.load.bad_status:
        notes.append(f"{measurement.load.bad_status} non-2xx/3xx")
    if measurement.load.socket_errors:
        notes.append(f"{measurement.load.socket_errors} socket errors")
    return "; ".join(notes)


def best_floors(*runs: list[Measurement]) -> dict[str, Measurement]:
    """Each floor's fastest measurement in `runs`: floors cache nothing, so every run measures the same work,
    and the fastest is the one other work on the machine disturbed least."""
    best = {}
    for m in (m for run in runs for m in run if m.target.kind in FLOORS):
        if m.target.kind not in best or m.load.per_second > best[m.target.kind].load.per_second:
            best[m.target.kind] = m
    return best


def table(measurements: list[Measurement], floors: dict[str, Measurement] | None = None) -> str:
    """A Markdown table: throughput, latency, queries, size, and each answer's share of its floors."""
    floors = floors or best_floors(measurements)
    rows = [
        "| URL | req/s | p50 ms | p99 ms | queries | KB | of own floor | of bytes floor | others, cores | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in measurements:
        own = OWN_FLOOR.get(m.target.kind)
        own_cell = f"{ratio(m, floors.get(own))} ({own.removeprefix('floor-')})" if own in floors else ""
        bytes_cell = ratio(m, floors.get(FLOOR_BYTES)) if m.target.kind != FLOOR_BYTES else ""
        others = f"{m.others_cores:.2f}" if m.others_cores is not None else ""
        rows.append(
            f"| {m.target.label} `{m.target.path}` | {rate(m.load.per_second)} | {m.load.p50_ms:.1f} "
            f"| {m.load.p99_ms:.1f} | {queries_cell(m)} | {m.size / 1024:.1f} | {own_cell} | {bytes_cell} "
            f"| {others} | {problems(m)} |"
        )
    return "\n".join(rows)


@dataclass(frozen=True)
class Check:
    goal: str
    found: str
    met: bool


def checks(
    uncached: list[Measurement],
    cached: list[Measurement] | None = None,
    floors: dict[str, Measurement] | None = None,
) -> list[Check]:
    """The issue's targets, as far as these measurements show them."""
    by_label = {m.target.label: m for m in uncached}
    floors = floors or best_floors(uncached, cached or [])
    found = []

    def share(label, floor_kind, goal, at_least):
        m, floor = by_label.get(label), floors.get(floor_kind)
        if m and floor and floor.load.per_second:
            value = m.load.per_second / floor.load.per_second
            found.append(Check(goal, f"{value:.0%}", value >= at_least))

    def slower(label, than, goal, at_most):
        m, base = by_label.get(label), by_label.get(than)
        if m and base and m.load.per_second:
            value = base.load.per_second / m.load.per_second
            found.append(Check(goal, f"{value:.2f}×", value <= at_most))

    share("list", FLOOR_TEMPLATE, "uncached list ≥ 50% of the rendered-template floor", 0.5)
    share("API list", FLOOR_JSON, "uncached API list ≥ 50% of the json.dumps floor", 0.5)
    slower("list, deep page", "list", "deep page within 1.5× of page 1", 1.5)
    slower("search", "list", "search within 3× of the plain list (the goal is for PostgreSQL)", 3.0)
    # The repeated request: the steady state, once whatever the mode caches is there.
    lists = [m for m in uncached if m.target.is_list and m.repeat_queries is not None]
    if lists:
        most = max(m.repeat_queries for m in lists)
        found.append(Check("≤ 5 queries per list request (repeated)", f"at most {most}", most <= 5))
    if cached:
        cached_list = next((m for m in cached if m.target.label == "list"), None)
        floor = floors.get(FLOOR_BYTES)
        if cached_list and floor and floor.load.per_second:
            value = cached_list.load.per_second / floor.load.per_second
            found.append(Check("cached, repeated list ≥ 50% of the bytes floor", f"{value:.0%}", value >= 0.5))
    return found


def checks_table(columns: dict[str, list[Check]]) -> str:
    """One row per target, one column per way of running (e.g. with and without the data caches)."""
    found = {(title, check.goal): check for title, checks in columns.items() for check in checks}
    goals = list(dict.fromkeys(goal for _, goal in found))
    rows = [f"| target | {' | '.join(columns)} |", f"| --- |{' ---: |' * len(columns)}"]
    for goal in goals:
        cells = []
        for title in columns:
            check = found.get((title, goal))
            cells.append("" if check is None else f"{check.found} {'met' if check.met else '**missed**'}")
        rows.append(f"| {goal} | {' | '.join(cells)} |")
    return "\n".join(rows)


def rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 100 else f"{per_second:.1f}"
