"""Settings for the benchmark's server: the site's own, plus the floor views and a query-count header.

Only the benchmark names this module (DJANGO_SETTINGS_MODULE=bench.settings), so a normal run never mounts
what it adds. BENCH_CACHE says what the site may cache:
- off (the default): nothing; every configured cache is a dummy, so each request does all its work;
- data: what lists compute over the whole archive (counts, most covered entries) is cached as the site
  configures it, but whole pages are not: each request renders its page;
- on: the site's caches as configured (local memory, or Redis with REDIS_URL), whole pages included.
"""

import os

from django.conf import global_settings

from ties_cms import settings as site
from ties_cms.settings import *  # noqa: F403

# Never measure with DEBUG on: it keeps every query in memory and renders errors as debug pages.
DEBUG = False

ROOT_URLCONF = "bench.urls"

# Outermost, so the header counts every query a request makes, middleware included.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]  # noqa: F405

BENCH_CACHE = os.environ.get("BENCH_CACHE", "off").strip().lower()
if BENCH_CACHE not in {"off", "data", "on"}:
    raise ValueError(f"BENCH_CACHE must be off, data or on, not {BENCH_CACHE!r}")
CACHES = getattr(site, "CACHES", global_settings.CACHES)
if BENCH_CACHE == "off":
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}
if BENCH_CACHE == "data":
    PAGE_CACHE_SECONDS = 0  # articles/caching.py: whole answers are not kept
