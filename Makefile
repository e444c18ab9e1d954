# Two commands do everything: `make run` (serve the seeded site) and `make test` (every check and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
# Tests never use a real key; the development server runs with DEBUG on, its development key included.
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-secret DJANGO_DEBUG=0
RUN_ENV := DJANGO_DEBUG=1

.PHONY: run test install setup lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core for the accessibility checks in the browser tests; skipped where npm is missing.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; fi

install: $(VENV)/.installed node_modules/.installed

setup: install
	$(RUN_ENV) $(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) import_articles seeds/
	$(RUN_ENV) $(MANAGE) ensure_editor --host $(HOST)

run: setup
	@echo "Serving http://$(HOST)/ (Ctrl-C to stop)"
	$(RUN_ENV) $(MANAGE) runserver $(HOST)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint
	$(TEST_ENV) $(MANAGE) check
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(MANAGE) collectstatic --no-input --verbosity 0
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The benchmark (docs/PERFORMANCE.md): N synthetic stories through the importer, gunicorn, wrk. Not part of CI.
N ?= 10000
DURATION ?= 10
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench --count $(N) --duration $(DURATION) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
