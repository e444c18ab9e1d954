import os
import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeds_dir(tmp_path) -> Path:
    """A private copy of the seed folder, free to change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's Chromium driven by Playwright; CI installs it, elsewhere the browser tests skip without it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still sync.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # With that loop marked as running, Django hands out new connection objects (its connections are kept
    # per async context then). The test database's serialized contents live on the old ones: carry them over,
    # or serialized_rollback silently restores nothing and the countries vanish after the first browser test.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        yield chromium
        chromium.close()
        # Close them while they are still reachable, so that the test database can be dropped afterwards.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; the violations of the given impacts."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the accessibility checks: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    # Evaluated through the browser's devtools protocol, not added as a <script>: the site's
    # Content-Security-Policy blocks inline scripts, and rightly so.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in impacts]


@pytest.fixture(autouse=True)
def uncached(settings):
    """Pages and counts computed afresh, and an empty cache: tests/test_caching.py turns caching on itself.

    Most tests read a page, change the data and read again, and count queries; the cache would answer the
    second read (rightly, when the data changed in a way the cache sees) with fewer queries.
    """
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 0
    settings.QUERY_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture
def editor():
    """A staff member of the Editors group (test_api and test_merging define their own)."""
    from .factories import make_staff

    return make_staff("editor", editor=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
