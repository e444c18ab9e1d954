"""What news readers and search engines fetch: RSS feeds, the sitemap and robots.txt."""

import datetime
from xml.etree import ElementTree

import pytest

from articles.models import Article, Official, Status

from .factories import country, make_article

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def rss_items(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link") and channel.findtext("description")
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "pubDate": item.findtext("pubDate"),
            "categories": [c.text for c in item.findall("category")],
        }
        for item in channel.findall("item")
    ]


def test_the_latest_feed_is_rss_with_the_20_newest_published_stories(client):
    stories = [
        make_article(published_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n)) for n in range(22)
    ]
    make_article(headline="A draft", published_on=datetime.date(2026, 1, 1), status=Status.DRAFT)
    items = rss_items(client.get("/feed/"))
    assert [item["title"] for item in items] == [s.headline for s in reversed(stories)][:20]
    assert items[0]["link"] == f"http://testserver{stories[-1].get_absolute_url()}"
    assert items[0]["pubDate"] == "Wed, 22 Jan 2025 00:00:00 +0000"


def test_a_feed_item_carries_the_storys_entries_as_categories_and_escapes_its_text(client):
    article = make_article(headline="<b>Pact</b> & more", standfirst="Signed <today>.")
    article.countries.add(country("MA"))
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    response = client.get("/feed/")
    assert b"&lt;b&gt;Pact&lt;/b&gt; &amp; more" in response.content
    [item] = rss_items(response)
    assert item["title"] == "<b>Pact</b> & more"
    assert item["categories"] == ["Morocco", "Rajnath Singh"]


def test_an_entry_feed_has_only_that_entrys_published_stories(client):
    morocco = country("MA")
    on_morocco = make_article(headline="On Morocco")
    on_morocco.countries.add(morocco)
    make_article(headline="A draft on Morocco", status=Status.DRAFT).countries.add(morocco)
    make_article(headline="On Italy").countries.add(country("IT"))
    response = client.get("/countries/morocco/feed/")
    assert [item["title"] for item in rss_items(response)] == ["On Morocco"]
    assert ElementTree.fromstring(response.content).findtext("channel/title") == "Ties: Morocco"


def test_every_entry_page_links_its_feed_and_every_page_the_latest_feed(client):
    html = client.get("/countries/morocco/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Ties: Morocco" href="/countries/morocco/feed/">'
        in html
    )
    assert 'href="/feed/"' in html


def test_a_merged_entrys_old_feed_redirects_permanently_and_an_unknown_one_is_404(client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    rajnath.aliases.create(name="Rajnath Singh Ji", former_slug="rajnath-singh-ji")
    moved = client.get("/officials/rajnath-singh-ji/feed/")
    assert moved.status_code == 301
    assert moved["Location"] == "/officials/rajnath-singh/feed/"
    assert client.get("/officials/nobody/feed/").status_code == 404


SITEMAP_INDEX_SECTIONS = ["pages", "stories", "countries", "officials", "agreements", "ties"]


def sitemap_locations(client) -> tuple[list[str], list[str]]:
    """(the sitemaps the index lists, every page location in them), each sitemap fetched in turn."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    sitemaps = [item.findtext(f"{SITEMAP}loc") for item in root.iter(f"{SITEMAP}sitemap")]
    locations = []
    for url in sitemaps:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        page = ElementTree.fromstring(response.content)
        locations += [item.findtext(f"{SITEMAP}loc") for item in page.iter(f"{SITEMAP}url")]
    return sitemaps, locations


def test_the_sitemap_is_an_index_of_sitemaps_of_published_stories_and_entry_pages_with_published_stories(client):
    published = make_article(slug="published")
    published.countries.add(country("MA"), country("IN"))
    make_article(slug="draft", status=Status.DRAFT).countries.add(country("IT"), country("IN"))
    sitemaps, locations = sitemap_locations(client)
    assert "http://testserver/ties/india-morocco/" in locations
    assert sitemaps == [f"http://testserver/sitemap-{section}.xml" for section in SITEMAP_INDEX_SECTIONS]
    assert "http://testserver/articles/published/" in locations
    assert "http://testserver/countries/morocco/" in locations
    assert "http://testserver/" in locations and "http://testserver/articles/" in locations
    assert not {loc for loc in locations if "draft" in loc or "italy" in loc}


def test_stories_are_split_over_numbered_sitemaps_each_story_once(client, monkeypatch):
    from articles.sitemaps import StorySitemap

    monkeypatch.setattr(StorySitemap, "limit", 2)
    stories = [make_article(slug=f"story-{n}") for n in range(5)]
    make_article(slug="draft-x", status=Status.DRAFT)
    sitemaps, locations = sitemap_locations(client)
    story_maps = [url for url in sitemaps if "/sitemap-stories.xml" in url]
    assert story_maps == [
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-stories.xml?p=2",
        "http://testserver/sitemap-stories.xml?p=3",
    ]
    story_urls = [loc for loc in locations if "/articles/" in loc and loc != "http://testserver/articles/"]
    assert sorted(story_urls) == sorted(f"http://testserver{story.get_absolute_url()}" for story in stories)
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_story_sitemap_page_holds_a_thousand_stories(client):
    Article.objects.bulk_create(
        Article(headline=f"Story {n}", slug=f"bulk-{n}", body="Text.", raw_text="Text.", content_key=f"bulk-{n}")
        for n in range(1001)
    )
    first = ElementTree.fromstring(client.get("/sitemap-stories.xml").content)
    second = ElementTree.fromstring(client.get("/sitemap-stories.xml?p=2").content)
    assert (len(first), len(second)) == (1000, 1)
    assert "http://testserver/sitemap-stories.xml?p=2" in client.get("/sitemap.xml").text


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
