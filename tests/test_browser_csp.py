"""The Content-Security-Policy in a real browser: the site, the admin and the API docs work under it, and the
browser reports no violation on any of their pages."""

import pytest

from articles.models import Official

from .factories import country, make_article, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-passphrase"  # noqa: S105 - a throwaway account in the test database

# Runs in every page before its own scripts (from the browser's side, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI || "inline"} ${where}`);
});
"""


@pytest.fixture
def watched(page, settings):
    """The page, recording CSP violations and console errors, with the admin's static files served by name."""
    # As in test_browser_admin: the live server serves static files by their source names.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def problems_on(page, url: str, ready: str = "body") -> list[str]:
    page.goto(url)
    page.wait_for_selector(ready)
    found = [f"violation: {v}" for v in page.evaluate("window.__violations")]
    found += [f"console: {text}" for text in page.console_errors if "Content Security Policy" in text]
    page.console_errors.clear()
    return found


@pytest.fixture
def story():
    article = make_article(headline="India and Morocco sign a defence pact", slug="india-morocco-pact")
    article.countries.add(country("IN"), country("MA"))
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    return article


def test_the_reader_site_runs_under_the_policy(watched, story):
    response = watched.request.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    problems = {}
    for url in ("/", "/articles/?country=india", story.get_absolute_url(), "/countries/morocco/", "/nowhere/"):
        found = problems_on(watched, url)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_admin_runs_under_the_policy_autocompletes_and_all(watched, story):
    make_staff("desk", editor=True, password=PASSWORD)
    assert problems_on(watched, "/admin/login/") == []
    watched.get_by_label("Username").fill("desk")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Log in").click()
    watched.wait_for_selector("#site-name")
    change = f"/admin/articles/article/{story.pk}/change/"
    version = story.history.latest()
    problems = {}
    for url, ready in (
        ("/admin/", "#site-name"),
        ("/admin/articles/article/", "#changelist"),
        ("/admin/articles/article/add/", "#article_form"),
        (change, ".select2-selection"),  # the autocompletes' script ran
        (f"/admin/articles/article/{story.pk}/history/", "#content"),
        (f"/admin/articles/article/{story.pk}/history/{version.history_id}/", "#version-tags"),
        ("/admin/articles/official/", "#changelist"),
    ):
        found = problems_on(watched, url, ready)
        if found:
            problems[url] = found
    assert problems == {}
    # The scripts work, not only load: the add form fills the slug in from the headline as one types.
    watched.goto("/admin/articles/article/add/")
    watched.locator("#id_headline").press_sequentially("Defence ties deepen")
    assert watched.get_by_label("Slug").input_value() == "defence-ties-deepen"


def test_the_api_docs_draw_every_operation_under_the_policy(watched, story):
    assert problems_on(watched, "/api/docs/", ready=".opblock") == []
    assert watched.locator(".opblock").count() > 5
    assert watched.get_by_text("Ties CMS API").first.is_visible()
