"""Restart PostgreSQL under load and count what readers got: cached pages, 503s, errors (issue 12, item 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5439/ties_restart REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python -m bench.db_restart --cluster 15/main --duration 20 --restart-at 5

It serves the database the URL names (migrated, with stories: `migrate` and `import_articles` first) with
gunicorn on 127.0.0.1, asks once for every page of a warm set (so they are cached), then for `--duration`
seconds sends requests from `--clients` threads, alternating between a page of the warm set and a page never
asked for before (a search for a new word), and at `--restart-at` seconds restarts the cluster
with `pg_ctlcluster VERSION NAME restart` (as root or postgres). It prints the statuses of each kind before,
during and after the restart, and how long after the database was back the first new page was a 200.

Restarting a cluster stops every other program using it: point it at a cluster of its own, e.g.
`pg_createcluster 15 bench -p 5439 --start` (and `pg_dropcluster 15 bench --stop` afterwards).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM = ["/", "/articles/", "/countries/", "/officials/", "/feed/", "/api/articles/", "/sitemap.xml"]
WARM += [f"/articles/?page={n}" for n in range(2, 8)]


def fetch(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own 127.0.0.1 server
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except (urllib.error.URLError, OSError) as error:
        return type(getattr(error, "reason", error)).__name__


def wait_until_up(base: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fetch(base + "/robots.txt") == 200:
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time; see its output above")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.db_restart", description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default="15/main", help="VERSION/NAME for pg_ctlcluster (15/main)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load (20)")
    parser.add_argument("--restart-at", type=float, default=5, help="seconds into the load (5)")
    parser.add_argument("--clients", type=int, default=4, help="threads sending requests (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to the PostgreSQL database to serve (see --help).", file=sys.stderr)
        return 2
    version, _, name = args.cluster.partition("/")
    base = f"http://127.0.0.1:{args.port}"
    env = os.environ | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_PAGE_CACHE_SECONDS": "600",
        "DJANGO_SECURE_COOKIES": "0",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        # One client sends every request; the API would throttle it.
        "DJANGO_API_ANON_RATE": "1000000/second",
    }
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "ties_cms.wsgi"], cwd=ROOT, env=env)
    try:
        wait_until_up(base)
        for path in WARM:
            for _worker in range(args.workers * 2):  # each worker, if the cache is per process
                fetch(base + path)
        records: list[tuple[float, str, int | str]] = []
        fresh = itertools.count()
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + args.duration
        restart = {}

        def client(number: int):
            warm = itertools.cycle(WARM[number % len(WARM) :] + WARM[: number % len(WARM)])
            while time.monotonic() < stop_at:
                for kind in ("cached", "new"):
                    with lock:
                        # A search never asked for before: rendered from the database, then cached.
                        path = next(warm) if kind == "cached" else f"/articles/?q=unseen{next(fresh)}"
                    status = fetch(base + path)
                    with lock:
                        records.append((time.monotonic() - started, kind, status))

        def restarter():
            time.sleep(args.restart_at)
            restart["begin"] = time.monotonic() - started
            subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
            restart["end"] = time.monotonic() - started

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        threads.append(threading.Thread(target=restarter))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    begin, end = restart["begin"], restart["end"]
    print(f"restart: from {begin:.2f} s to {end:.2f} s ({end - begin:.2f} s), {len(records)} requests in all")
    phases = {"before": lambda t: t < begin, "during": lambda t: begin <= t <= end, "after": lambda t: t > end}
    for phase, within in phases.items():
        for kind in ("cached", "new"):
            counts = collections.Counter(str(s) for t, k, s in records if k == kind and within(t))
            print(f"  {phase:6} {kind:6}: {dict(sorted(counts.items()))}")
    first_ok = min((t for t, k, s in records if k == "new" and s == 200 and t > end), default=None)
    after = [(t, s) for t, k, s in records if t > end]
    failed_after = [s for t, s in after if s != 200 and (first_ok is None or t < first_ok)]
    if first_ok is not None:
        print(f"first new page 200 at {first_ok - end:.2f} s after the restart ended; non-200 after it: ", end="")
        print(len(failed_after))
    errors = collections.Counter(str(s) for _t, _k, s in records if s not in (200, 503))
    print(f"answers other than 200 and 503: {dict(errors) or 'none'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
