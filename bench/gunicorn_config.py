"""gunicorn for the benchmark (bench/run.py adds the address): one sync worker for pages and floors alike."""

workers = 1
worker_class = "sync"
threads = 1
# Eight connections queue on one worker; a slow page must be measured, not killed as a stuck worker.
timeout = 300
