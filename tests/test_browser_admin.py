"""The editors' admin in a real browser: Debian's Chromium driven by Playwright."""

import re

import pytest
from django.contrib.admin.models import LogEntry

from .factories import make_article, make_staff

PASSWORD = "a-long-test-passphrase"  # noqa: S105 - a throwaway account in the test database


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_adds_an_official_through_the_autocomplete_and_readers_see_it(page, settings):
    from playwright.sync_api import expect

    # The live server finds static files by their source names; the manifest storage would hand the browser
    # hashed names it cannot serve, leaving the admin without its JavaScript (select2 included).
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    make_staff("desk", editor=True, password=PASSWORD)
    article = make_article(headline="Defence ties deepen", slug="defence-ties-deepen")

    page.goto("/admin/login/?next=/admin/articles/article/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Defence ties deepen").click()
    officials = page.locator(".inline-group", has=page.get_by_role("heading", name="Officials"))
    officials.get_by_role("button", name="Add another Official").click()
    officials.locator(".select2-selection").last.click()
    page.locator(".select2-container--open .select2-search__field").fill("rajnath")
    page.locator(".select2-results__option", has_text="Rajnath Singh").click()
    expect(officials.locator(".select2-selection__rendered").last).to_have_text(re.compile("Rajnath Singh"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/articles/{article.slug}/")
    link = page.get_by_role("link", name="Rajnath Singh")
    expect(link).to_have_attribute("href", "/officials/rajnath-singh/")
    assert LogEntry.objects.get(object_id=str(article.pk)).user.username == "desk"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_review_queue_index_and_story_form_have_no_serious_accessibility_violations(page, settings):
    from articles.models import Official, TaggedCountry, TaggedOfficial, TagOrigin

    from .conftest import axe_violations
    from .factories import country, make_official

    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    make_staff("desk", editor=True, password=PASSWORD)
    article = make_article(headline="Hegseth and Singh talk defence", headline_derived=True)
    hegseth = make_official("Pete Hegseth", role="US Secretary of Defense", needs_review=True)
    TaggedOfficial.objects.create(
        content_object=article,
        tag=hegseth,
        origin=TagOrigin.IMPORTER,
        confidence=0.9,
        evidence="Pete Hegseth said",
    )
    TaggedCountry.objects.create(
        content_object=article, tag=country("MA"), origin=TagOrigin.IMPORTER, confidence=0.3, needs_review=True
    )
    Official.objects.get(name="Rajnath Singh").aliases.create(name="R. Singh", needs_review=True)

    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    problems, too_wide = {}, {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in ("/admin/", "/admin/articles/article/review/", f"/admin/articles/article/{article.pk}/change/"):
            page.goto(url)
            violations = axe_violations(page)
            if violations:
                problems[width, url] = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4]) for v in violations
                ]
            drawn = page.evaluate("document.documentElement.scrollWidth")
            if drawn > width:  # the page scrolls sideways: some column does not fit
                too_wide[width, url] = drawn
    assert problems == {}
    assert too_wide == {}

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/")
    page.get_by_role("link", name="Review queue").click()
    row = page.locator("tr", has_text="Morocco")
    row.get_by_role("button", name="Remove").click()
    from playwright.sync_api import expect

    expect(page.locator(".messagelist")).to_contain_text(
        "Removed “Morocco” from “Hegseth and Singh talk defence”."
    )
    assert not article.countries.exists()
