"""The reader site in a real browser: a reader's path through it, and axe-core's accessibility checks."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from articles.models import Agreement, Official

from .conftest import axe_violations
from .factories import country, make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def stylesheets_served(settings):
    """The live server finds static files by their source names; the manifest storage would hand the browser
    hashed names it cannot serve, and the pages would be checked without their stylesheet."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture
def stories():
    """A Morocco story with an official and an agreement, and an Italy story."""
    signing = make_article(
        headline="India and Morocco sign a defence pact",
        slug="india-morocco-pact",
        dateline="Rabat",
        source="ANI",
        published_on=datetime.date(2025, 9, 22),
        body="Defence Minister Rajnath Singh signed the MoU in Rabat.\n\nBoth sides agreed on a roadmap.",
    )
    signing.countries.add(country("IN"), country("MA"))
    signing.officials.add(Official.objects.get(name="Rajnath Singh"))
    signing.agreements.add(Agreement.objects.get(name="India–Morocco Defence MoU"))
    rome = make_article(headline="India and Italy agree an action plan", published_on=datetime.date(2025, 4, 15))
    rome.countries.add(country("IN"), country("IT"))
    return signing, rome


def test_a_reader_filters_by_country_opens_a_story_follows_an_official_and_finds_the_feed(page, stories):
    page.goto("/")
    expect(page.get_by_role("heading", name="Latest stories")).to_be_visible()

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Stories").click()
    page.get_by_role("group", name="Country").get_by_role("checkbox", name=re.compile("^Morocco")).check()
    page.get_by_role("button", name="Show stories").click()
    expect(page).to_have_url(re.compile(r"[?&]country=morocco(&|$)"))
    expect(page.get_by_role("heading", name="1 story", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories mentioning Morocco")
    expect(page.get_by_role("link", name="India and Italy agree an action plan")).to_have_count(0)

    page.get_by_role("link", name="India and Morocco sign a defence pact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("India and Morocco sign a defence pact")

    page.locator(".story__entries").get_by_role("link", name="Rajnath Singh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rajnath Singh")
    expect(page.locator(".about")).to_have_text("Defence Minister, India.")

    feed_link = page.get_by_role("link", name="RSS feed for Rajnath Singh")
    feed = page.request.get(feed_link.get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("application/rss+xml")
    assert "<title>India and Morocco sign a defence pact</title>" in feed.text()


def test_home_list_story_and_entry_pages_have_no_serious_or_critical_accessibility_violations(page, stories):
    problems = {}
    urls = ("/", "/articles/", "/articles/?country=india", "/articles/india-morocco-pact/", "/countries/morocco/")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (*urls, "/officials/rajnath-singh/", "/agreements/"):
            page.goto(url)
            violations = axe_violations(page)
            if violations:
                problems[width, url] = [(v["id"], v["impact"], v["help"], len(v["nodes"])) for v in violations]
    assert problems == {}


def test_on_a_phone_the_filters_fold_behind_one_control_and_the_first_story_comes_first(page, stories):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/articles/")
    first_story = page.get_by_role("link", name="India and Morocco sign a defence pact")
    assert first_story.bounding_box()["y"] < 844, "the first story is on the first screen"
    expect(page.get_by_role("button", name="Show stories")).to_be_hidden()
    page.locator("summary", has_text="Filters").click()
    expect(page.get_by_role("button", name="Show stories")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/articles/")
    expect(page.get_by_role("button", name="Show stories")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()


def test_a_story_page_uses_its_width_for_entries_and_related_stories(page, stories):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/articles/india-morocco-pact/")
    body = page.locator(".story__body").bounding_box()
    aside = page.locator(".story-aside").bounding_box()
    assert aside["x"] > body["x"] + body["width"], "the entries sit beside the text"
    assert aside["y"] < body["y"] + body["height"]


def test_a_pair_page_and_the_ledger_have_no_serious_or_critical_accessibility_violations(page, stories):
    from articles.models import AgreementEvent, EventKind

    mou = Agreement.objects.get(name="India–Morocco Defence MoU")
    mou.signatories.add(Official.objects.get(name="Rajnath Singh"))
    AgreementEvent.objects.create(agreement=mou, kind=EventKind.IN_FORCE, date=datetime.date(2025, 10, 1))
    problems = {}
    urls = (
        "/ties/india-morocco/",
        "/agreements/",
        "/agreements/?pair=india-morocco&ordering=name",
        mou.get_absolute_url(),
    )
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            violations = axe_violations(page)
            if violations:
                problems[width, url] = [(v["id"], v["impact"], v["help"], len(v["nodes"])) for v in violations]
            # On a phone the tables scroll inside their region; the page itself does not scroll sideways.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, url)
    assert problems == {}


def test_a_reader_goes_from_a_country_to_a_pair_and_sorts_its_agreements_in_the_ledger(page, stories):
    page.goto("/countries/morocco/")
    page.get_by_role("region", name=re.compile("^Ties of Morocco")).get_by_role(
        "link", name="India–Morocco"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("India and Morocco")
    expect(page.get_by_role("row", name=re.compile("^India–Morocco Defence MoU"))).to_contain_text(
        "22 September 2025"
    )
    page.get_by_role("link", name="These agreements in the ledger").click()
    page.get_by_role("link", name="Agreement", exact=True).click()
    expect(page).to_have_url(re.compile(r"ordering=name"))
    expect(page.get_by_role("columnheader", name=re.compile("^Agreement"))).to_have_attribute(
        "aria-sort", "ascending"
    )


def test_on_a_phone_the_ledger_s_filters_fold_too_and_its_table_comes_first(page, stories):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/agreements/")
    expect(page.get_by_role("button", name="Show agreements")).to_be_hidden()
    assert page.locator("table.ledger").bounding_box()["y"] < 844, "the table starts on the first screen"
    page.locator("summary", has_text="Filters").click()
    expect(page.get_by_role("button", name="Show agreements")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/agreements/?kind=mou")
    expect(page.get_by_role("button", name="Show agreements")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
