"""The reader site's pages, as a reader (or a search engine) requests them."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Agreement, Official, Status

from .factories import country, make_agreement, make_article, make_official, tagged_articles

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible text with tags dropped and whitespace squeezed, for assertions on what readers see."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([.,;:])", r"\1", text)


def headlines(response) -> list[str]:
    return [article.headline for article in response.context["object_list"]]


# Home


def test_home_shows_the_latest_published_stories_and_no_drafts(client):
    old = make_article(headline="An older visit", published_on=datetime.date(2024, 1, 1))
    new = make_article(headline="A newer visit", published_on=datetime.date(2025, 1, 1))
    make_article(headline="An unpublished draft", status=Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    assert [a.headline for a in response.context["latest"]] == [new.headline, old.headline]
    assert "An unpublished draft" not in text_of(response)


def test_home_ranks_the_most_covered_entries_by_published_stories_only(client):
    india, morocco = country("IN"), country("MA")
    for _ in range(2):
        make_article().countries.add(morocco)
    make_article().countries.add(india)
    for _ in range(3):
        make_article(status=Status.DRAFT).countries.add(india)
    response = client.get("/")
    countries = dict(response.context["most_covered"])["countries"]
    assert [(c.name, count) for c, count in countries] == [("Morocco", 2), ("India", 1)]
    assert "Morocco 2 stories" in text_of(response)


# The list


def test_the_list_has_twenty_stories_a_page_newest_first(client):
    stories = [
        make_article(published_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n)) for n in range(25)
    ]
    first = client.get("/articles/")
    second = client.get("/articles/?page=2")
    assert headlines(first) == [s.headline for s in reversed(stories)][:20]
    assert headlines(second) == [s.headline for s in reversed(stories)][20:]
    assert "25 stories" in text_of(first)


def test_the_list_filters_by_country_and_a_repeated_country_means_all_of_them(client):
    india, morocco, italy = country("IN"), country("MA"), country("IT")
    both = make_article(headline="India and Morocco")
    both.countries.add(india, morocco)
    make_article(headline="India and Italy").countries.add(india, italy)
    make_article(headline="Morocco alone").countries.add(morocco)
    make_article(headline="A draft on India and Morocco", status=Status.DRAFT).countries.add(india, morocco)
    assert set(headlines(client.get("/articles/?country=india"))) == {"India and Morocco", "India and Italy"}
    assert headlines(client.get("/articles/?country=india&country=morocco")) == ["India and Morocco"]


def test_the_list_filters_by_official_agreement_and_dates(client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    mou = Agreement.objects.get(name="India–Morocco Defence MoU")
    signing = make_article(headline="The signing", published_on=datetime.date(2025, 9, 22))
    signing.officials.add(rajnath)
    signing.agreements.add(mou)
    make_article(headline="Earlier talks", published_on=datetime.date(2025, 3, 1)).officials.add(rajnath)
    assert set(headlines(client.get("/articles/?official=rajnath-singh"))) == {"The signing", "Earlier talks"}
    assert headlines(client.get(f"/articles/?agreement={mou.slug}")) == ["The signing"]
    assert headlines(client.get("/articles/?official=rajnath-singh&published_after=2025-09-01")) == ["The signing"]
    assert headlines(client.get("/articles/?published_before=2025-09-01")) == ["Earlier talks"]


def test_the_list_orders_by_headline_when_asked(client):
    make_article(headline="Bravo")
    make_article(headline="Alpha")
    assert headlines(client.get("/articles/?ordering=headline")) == ["Alpha", "Bravo"]


def test_filters_are_kept_in_the_links_to_other_pages(client):
    for _ in range(25):
        make_article(body="Talks on defence.").countries.add(country("MA"))
    response = client.get("/articles/?country=morocco&q=defence")
    assert 'href="?country=morocco&amp;q=defence&amp;page=2"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "published_after=2025-13-45",
        "published_before=yesterday",
        "country=atlantis",
        "official=nobody&agreement=nothing",
        "ordering=secret_column",
        "q=" + "x" * 500,
        "q=%00",
        "country=%00",
    ],
)
def test_bad_filters_show_what_is_wrong_and_no_stories_never_a_500(client, query):
    make_article()
    response = client.get(f"/articles/?{query}")
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "No stories: check the filters" in text_of(response)
    assert response.context["filter"].form.errors


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1"])
def test_a_page_that_does_not_exist_is_a_real_404_page(client, page):
    make_article()
    response = client.get(f"/articles/?page={page}")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_the_filter_form_offers_the_entries_that_have_published_stories_with_their_counts(client):
    make_article().countries.add(country("MA"))
    make_article(status=Status.DRAFT).countries.add(country("IT"))
    response = client.get("/articles/")
    html = response.content.decode()
    assert '<span class="facet__name">Morocco</span> <span class="facet__count">1<' in html
    assert 'value="italy"' not in html
    assert "<legend>Country</legend>" in html
    assert '<label for="id_published_after">Published on or after</label>' in html


def test_the_list_heading_says_what_is_shown(client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    story = make_article(published_on=datetime.date(2025, 6, 2))
    story.countries.add(country("MA"))
    story.officials.add(rajnath)
    response = client.get(f"/articles/?country=morocco&official={rajnath.slug}&published_after=2025-05-01")
    assert "<h1>Stories mentioning Morocco and Rajnath Singh, since 1 May 2025</h1>" in response.content.decode()
    assert "<h1>All stories</h1>" in client.get("/articles/").content.decode()
    html = client.get("/articles/?q=pact&published_before=2025-12-31&published_after=2025-01-01").content.decode()
    assert "<h1>Stories matching “pact”, from 1 January 2025 to 31 December 2025</h1>" in html


def test_the_filters_fold_behind_one_control_and_say_how_many_are_chosen(client):
    make_article().countries.add(country("MA"), country("IN"))
    html = client.get("/articles/?country=morocco&country=india").content.decode()
    assert '<details class="filters-panel" id="filters-panel" open>' in html
    assert '<summary>Filters <span class="filters-panel__chosen">(2 chosen)</span></summary>' in html


def test_a_filter_for_an_entry_without_published_stories_finds_nothing_rather_than_failing(client):
    make_article(status=Status.DRAFT).countries.add(country("IT"))
    response = client.get("/articles/?country=italy")
    assert response.status_code == 200
    assert "0 stories" in text_of(response)


# A story


def test_a_story_page_has_headline_dateline_date_source_paragraphs_and_entry_links(client):
    article = make_article(
        headline="India and Morocco sign a defence pact",
        dateline="Rabat",
        published_on=datetime.date(2025, 9, 22),
        source="ANI",
        body="First paragraph.\n\nSecond paragraph.",
    )
    article.countries.add(country("MA"))
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    article.agreements.add(Agreement.objects.get(name="India–Morocco Defence MoU"))
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<h1>India and Morocco sign a defence pact</h1>" in html
    assert '<time datetime="2025-09-22">22 September 2025</time>' in html
    assert "<p>First paragraph.</p><p>Second paragraph.</p>" in html
    assert "Rabat" in text_of(response) and "ANI" in text_of(response)
    assert 'href="/countries/morocco/">Morocco</a>' in html
    assert 'href="/officials/rajnath-singh/">Rajnath Singh</a> <span class="role">Defence Minister</span>' in html
    assert 'href="/agreements/india-morocco-defence-mou/">India–Morocco Defence MoU</a>' in html


def test_a_draft_or_unknown_story_is_a_real_404_page(client):
    draft = make_article(status=Status.DRAFT)
    for url in (draft.get_absolute_url(), "/articles/no-such-story/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in text_of(response)
        assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_related_stories_share_the_most_entries_and_leave_out_drafts_and_the_story_itself(client):
    india, morocco, italy = country("IN"), country("MA"), country("IT")
    rajnath = Official.objects.get(name="Rajnath Singh")
    story = make_article(headline="The story")
    story.countries.add(india, morocco)
    story.officials.add(rajnath)
    three = make_article(headline="Shares three", published_on=datetime.date(2020, 1, 1))
    three.countries.add(india, morocco)
    three.officials.add(rajnath)
    one_new = make_article(headline="Shares one, newer", published_on=datetime.date(2025, 6, 1))
    one_new.countries.add(india, italy)
    one_old = make_article(headline="Shares one, older", published_on=datetime.date(2025, 1, 1))
    one_old.countries.add(morocco)
    make_article(headline="Shares nothing").countries.add(italy)
    make_article(headline="A draft sharing all", status=Status.DRAFT).countries.add(india, morocco)
    related = client.get(story.get_absolute_url()).context["related"]
    assert [a.headline for a in related] == ["Shares three", "Shares one, newer", "Shares one, older"]
    assert [a.shared for a in related] == [3, 1, 1]


def test_a_story_page_has_description_canonical_link_open_graph_and_news_article_json_ld(client):
    article = make_article(
        headline="India and Morocco sign a defence pact",
        slug="pact",
        dateline="Rabat",
        published_on=datetime.date(2025, 9, 22),
        standfirst="The two ministers met in Rabat.",
        source="ANI",
    )
    article.countries.add(country("MA"))
    article.officials.add(Official.objects.get(name="Rajnath Singh"))
    response = client.get("/articles/pact/")
    html = response.content.decode()
    assert "<title>India and Morocco sign a defence pact · Ties</title>" in html
    assert '<meta name="description" content="The two ministers met in Rabat.">' in html
    assert '<link rel="canonical" href="http://testserver/articles/pact/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="India and Morocco sign a defence pact">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "India and Morocco sign a defence pact"
    assert data["datePublished"] == "2025-09-22"
    assert data["locationCreated"] == {"@type": "Place", "name": "Rabat"}
    assert {"@type": "Country", "name": "Morocco", "url": "http://testserver/countries/morocco/"} in data["about"]
    assert {
        "@type": "Person",
        "name": "Rajnath Singh",
        "jobTitle": "Defence Minister",
        "url": "http://testserver/officials/rajnath-singh/",
    } in data["about"]


def test_text_from_files_and_editors_is_escaped_on_every_page(client):
    hostile = '<script>alert("x")</script> & </script><!--'
    article = make_article(headline=hostile, standfirst=hostile, dateline=hostile, source=hostile, body=hostile)
    article.countries.add(country("MA"))
    official = make_official(hostile, role=hostile)
    article.officials.add(official)
    for url in ("/", "/articles/", article.get_absolute_url(), "/countries/morocco/", official.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url
    detail = client.get(article.get_absolute_url()).content.decode()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', detail, re.S).group(1)
    assert "</script" not in json_ld and "<!--" not in json_ld
    assert json.loads(json_ld)["headline"] == hostile


# Entry pages


def test_a_country_page_lists_its_published_stories_newest_first(client):
    morocco = country("MA")
    old = make_article(headline="Old", published_on=datetime.date(2024, 1, 1))
    new = make_article(headline="New", published_on=datetime.date(2025, 1, 1))
    draft = make_article(headline="Draft", status=Status.DRAFT)
    make_article(headline="Elsewhere").countries.add(country("IT"))
    for article in (old, new, draft):
        article.countries.add(morocco)
    response = client.get("/countries/morocco/")
    assert headlines(response) == ["New", "Old"]
    assert "2 stories, newest first" in text_of(response)
    assert "Draft" not in text_of(response)


def test_an_official_page_says_their_role_and_country(client):
    response = client.get("/officials/rajnath-singh/")
    assert "Defence Minister, India." in text_of(response)
    assert '<a href="/countries/india/">India</a>' in response.content.decode()


def test_an_agreement_page_says_its_kind_parties_subject_and_date(client):
    make_agreement(
        "India–Morocco Trade Accord",
        kind="treaty",
        parties="India; Morocco; Atlantis",
        subject="trade",
        signed_on=datetime.date(2025, 9, 22),
    )
    response = client.get("/agreements/india-morocco-trade-accord/")
    text, html = text_of(response), response.content.decode()
    assert "Kind Treaty" in text and "Subject Trade" in text and "Signed 22 September 2025" in text
    assert '<li><a href="/countries/india/">India</a></li>' in html
    assert "<li>Atlantis</li>" in html


def test_an_entry_page_shows_the_entries_most_often_mentioned_with_it_in_published_stories(client):
    india, morocco, italy = country("IN"), country("MA"), country("IT")
    rajnath = Official.objects.get(name="Rajnath Singh")
    for _ in range(2):
        article = make_article()
        article.countries.add(india, morocco)
        article.officials.add(rajnath)
    make_article().countries.add(india, italy)
    for _ in range(3):
        make_article(status=Status.DRAFT).countries.add(india, italy)
    # Counted among India's published stories, not overall.
    make_article().countries.add(italy)
    mentioned = dict(client.get("/countries/india/").context["mentioned_with"])
    assert [(c.name, n) for c, n in mentioned["countries"]] == [("Morocco", 2), ("Italy", 1)]
    assert [(o.name, n) for o, n in mentioned["officials"]] == [("Rajnath Singh", 2)]
    assert list(mentioned["agreements"]) == []


def test_an_entry_page_counts_what_its_latest_stories_mention_when_it_has_many(client, monkeypatch):
    monkeypatch.setattr("articles.views.MENTIONED_WINDOW", 2)
    india, italy, israel = country("IN"), country("IT"), country("IL")
    make_article(published_on=datetime.date(2020, 1, 1)).countries.add(india, italy)
    for day in (2, 3):
        make_article(published_on=datetime.date(2024, 1, day)).countries.add(india, israel)
    response = client.get("/countries/india/")
    mentioned = dict(response.context["mentioned_with"])
    assert [(c.name, n) for c, n in mentioned["countries"]] == [("Israel", 2)]
    assert "Most often mentioned with India in its latest 2 stories" in text_of(response)
    # Within the window, the heading says nothing of it.
    assert "in its latest" not in text_of(client.get("/countries/israel/"))


def test_an_entry_page_draws_its_stories_per_month_as_accessible_svg_with_a_table(client):
    morocco = country("MA")
    for day in (datetime.date(2025, 1, 5), datetime.date(2025, 1, 20), datetime.date(2025, 3, 2)):
        make_article(published_on=day).countries.add(morocco)
    html = client.get("/countries/morocco/").content.decode()
    assert '<svg role="img" aria-labelledby="timeline-title timeline-desc"' in html
    assert '<title id="timeline-title">Stories per month on Morocco</title>' in html
    assert "3 stories from January 2025 to March 2025; the busiest month was January 2025, with 2." in html
    assert html.count('<rect class="timeline__bar"') == 3
    assert '<th scope="row"><time datetime="2025-02">February 2025</time></th><td>0</td>' in html


def test_stories_per_month_fills_empty_months_and_keeps_the_latest_three_years():
    morocco = country("MA")
    make_article(published_on=datetime.date(2019, 5, 1)).countries.add(morocco)
    make_article(published_on=datetime.date(2025, 2, 10)).countries.add(morocco)
    make_article(published_on=datetime.date(2025, 2, 11)).countries.add(morocco)
    make_article(published_on=None).countries.add(morocco)
    make_article(published_on=datetime.date(2025, 3, 1), status=Status.DRAFT).countries.add(morocco)
    months = morocco.articles.published().per_month()
    assert len(months) == 36
    assert months[0] == (datetime.date(2022, 3, 1), 0)
    assert months[-1] == (datetime.date(2025, 2, 1), 2)


def test_a_merged_entrys_old_url_redirects_permanently_to_the_survivor(client):
    survivor = Official.objects.get(name="Rajnath Singh")
    survivor.aliases.create(name="Rajnath Singh Ji", former_slug="rajnath-singh-ji")
    response = client.get("/officials/rajnath-singh-ji/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/officials/rajnath-singh/?page=2"


def test_an_unknown_entry_is_a_real_404_page(client):
    for url in ("/countries/atlantis/", "/officials/nobody/", "/agreements/nothing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in text_of(response)


def test_the_entry_indexes_list_entries_with_published_stories_by_name_with_counts(client):
    rajnath = Official.objects.get(name="Rajnath Singh")
    make_article().countries.add(country("MA"))
    make_article().countries.add(country("IN"))
    make_article().officials.add(rajnath)
    make_article(status=Status.DRAFT).countries.add(country("IT"))
    countries = client.get("/countries/")
    assert [c.name for c in countries.context["object_list"]] == ["India", "Morocco"]
    assert "Morocco 1 story" in text_of(countries)
    officials = client.get("/officials/")
    assert "Rajnath Singh Defence Minister, India 1 story" in text_of(officials)


# Every page: landmarks, meta tags, and a query count that does not grow with the stories


def test_every_page_has_landmarks_a_skip_link_a_labelled_search_and_meta_tags(client):
    article = tagged_articles(1)[0]
    for url in ("/", "/articles/", article.get_absolute_url(), "/countries/india/", "/officials/"):
        html = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">Skip to content</a>' in html, url
        assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html, url
        assert '<label for="site-search-q">Search stories</label>' in html, url
        assert re.search(r'<meta name="description" content="[^"]{10,}">', html), url
        assert '<link rel="canonical" href="http://testserver' in html, url
        assert '<meta property="og:title"' in html, url


def story_page(articles):
    return articles[0].get_absolute_url()


PAGES = {
    "home": lambda articles: "/",
    "list": lambda articles: "/articles/",
    "list filtered and searched": lambda articles: (
        "/articles/?country=india&country=morocco&q=story&ordering=-headline"
    ),
    "story": story_page,
    "country": lambda articles: "/countries/india/",
    "official": lambda articles: Official.objects.first().get_absolute_url(),
    "agreement": lambda articles: Agreement.objects.first().get_absolute_url(),
    "countries": lambda articles: "/countries/",
    "officials": lambda articles: "/officials/",
    "agreements": lambda articles: "/agreements/",
    "feed": lambda articles: "/feed/",
    "country feed": lambda articles: "/countries/india/feed/",
    "sitemap": lambda articles: "/sitemap.xml",
    "story sitemap": lambda articles: "/sitemap-stories.xml",
    "country sitemap": lambda articles: "/sitemap-countries.xml",
}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_pages_query_count_is_the_same_for_5_and_50_stories(client, page):
    articles = tagged_articles(5)
    url = PAGES[page](articles)
    with_5 = queries_for(client, url)
    tagged_articles(45)
    with_50 = queries_for(client, url)
    assert with_5 == with_50, f"{page}: {with_5} queries with 5 stories, {with_50} with 50"
