"""gunicorn settings to start from in production: `gunicorn ties_cms.wsgi` reads this file from the project root.

Each setting can be changed from the environment (GUNICORN_WORKERS=4) or on the command line (--workers 4),
which wins over this file. See README, "Production".
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, gunicorn's advice of (2 x cores) + 1: a request holds its worker only while Django works on
# it, and the database and cache answer locally. Each worker keeps its own local-memory cache unless
# REDIS_URL is set, so several workers share more with Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a reverse proxy that keeps connections open to gunicorn.
keepalive = 5

# A worker restarts after this many requests (with some jitter, so that they do not all restart at once),
# which bounds the memory any slow leak can take.
max_requests = 10_000
max_requests_jitter = 1_000

# Load the application once in the master, so that a broken deploy fails before any worker starts.
preload_app = True

# Errors go to stderr; the access log is off (the proxy in front keeps one): GUNICORN_ACCESS_LOG=- turns it on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-Proto and friends only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
