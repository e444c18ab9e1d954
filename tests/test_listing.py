"""What story lists draw from and with: tag links read in one query, URLs built without reverse() per link,
the story item and byline tags, the filter form's quick select."""

import datetime

import pytest
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from articles.lists import TagLink, page_url
from articles.models import Article
from articles.widgets import FacetCheckboxes

from .factories import country, make_agreement, make_article, make_official


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("view_name", ["articles:country", "articles:official", "articles:agreement"])
@pytest.mark.parametrize("prefix", ["/", "/ties/"])
def test_page_url_is_what_reverse_gives(script_prefix, view_name, prefix):
    script_prefix(prefix)
    for slug in ("india", "rajnath-singh", "slug-placeholder-2"):
        assert page_url(view_name, slug) == reverse(view_name, args=[slug])
    assert page_url(view_name, "india").startswith(prefix)


@pytest.mark.django_db
def test_for_lists_gives_each_story_its_tags_in_the_order_pages_show_them():
    india, morocco = country("IN"), country("MA")
    singh = make_official("Yara Testperson")
    alami = make_official("Amal Testperson")
    deal = make_agreement("Test Defence MoU")
    tagged = make_article()
    tagged.countries.add(morocco, india)
    tagged.officials.add(singh, alami)
    tagged.agreements.add(deal)
    untagged = make_article()

    with CaptureQueriesContext(connection) as queries:
        stories = {story.pk: story for story in Article.objects.for_lists()}
    assert len(queries) == 2  # the stories, then every tag of every story

    assert stories[untagged.pk].tag_links == []
    assert stories[tagged.pk].tag_links == [
        TagLink("country", "India", "/countries/india/"),
        TagLink("country", "Morocco", "/countries/morocco/"),
        TagLink("official", "Amal Testperson", alami.get_absolute_url()),
        TagLink("official", "Yara Testperson", singh.get_absolute_url()),
        TagLink("agreement", "Test Defence MoU", deal.get_absolute_url()),
    ]
    # Lists never read the body.
    assert "body" in stories[tagged.pk].get_deferred_fields()


@pytest.mark.django_db
def test_for_lists_survives_slicing_and_filtering():
    stories = [make_article() for _ in range(3)]
    stories[2].countries.add(country("IL"))
    page = list(Article.objects.for_lists().filter(pk__in=[s.pk for s in stories]).order_by("pk")[1:3])
    assert [story.pk for story in page] == [stories[1].pk, stories[2].pk]
    assert [link.name for link in page[1].tag_links] == ["Israel"]
    assert Article.objects.for_lists().filter(pk=-1).count() == 0
    assert list(Article.objects.none().for_lists()) == []


@pytest.mark.parametrize("value", [[], ["b"], ["a", "c"]])
def test_facet_checkboxes_draw_each_entry_with_its_count_and_tick_the_chosen(value):
    facets = [("a", "Alpha", 3), ("b", "<Beta> & co", 1), ("c", 'Gamma "quoted"', 12)]
    drawn = FacetCheckboxes(facets=facets).render("country", value, {"id": "id_country"})
    assert "&lt;Beta&gt; &amp; co" in drawn
    assert drawn.count(" checked") == len(value)
    assert (
        parse_html(drawn).count(
            parse_html(
                '<li><label for="id_country_1"><input type="checkbox" name="country" value="b" id="id_country_1"'
                f'{" checked" if "b" in value else ""}> <span class="facet__name">&lt;Beta&gt; &amp; co</span> '
                '<span class="facet__count">1<span class="visually-hidden"> story</span></span></label></li>'
            )
        )
        == 1
    )
    assert FacetCheckboxes().render("country", [], {}) == '<p class="facet__none">None in these stories.</p>'


def test_story_item_draws_a_story_with_everything():
    story = Article(
        headline="Defence ties <deepen>",
        slug="defence-ties-deepen",
        dateline="Rabat & Delhi",
        published_on=datetime.date(2024, 9, 3),
        source="ANI",
        standfirst="A first MoU.",
    )
    story.tag_links = [
        TagLink("country", "Morocco", "/countries/morocco/"),
        TagLink("official", "A. O'Neil", "/officials/a-oneil/"),
    ]
    drawn = Template("{% load ties %}{% story_item story 3 %}").render(Context({"story": story}))
    assert parse_html(drawn) == parse_html(
        '<article class="story-item">'
        '<h3 class="story-item__headline">'
        '<a href="/articles/defence-ties-deepen/">Defence ties &lt;deepen&gt;</a></h3>'
        '<p class="byline"><span class="dateline">Rabat &amp; Delhi</span>'
        '<time datetime="2024-09-03">3 September 2024</time><span class="source">ANI</span></p>'
        '<p class="story-item__standfirst">A first MoU.</p>'
        '<ul class="tags" aria-label="Tagged">'
        '<li><a class="tag tag--country" href="/countries/morocco/">Morocco</a></li>'
        '<li><a class="tag tag--official" href="/officials/a-oneil/">A. O&#x27;Neil</a></li>'
        "</ul></article>"
    )


def test_story_item_leaves_out_what_a_story_lacks():
    story = Article(headline="Undated", slug="undated")
    story.tag_links = []
    drawn = Template("{% load ties %}{% story_item story %}").render(Context({"story": story}))
    assert parse_html(drawn) == parse_html(
        '<article class="story-item">'
        '<h2 class="story-item__headline"><a href="/articles/undated/">Undated</a></h2>'
        '<p class="byline"></p></article>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "?country=india&q=grain&published_after=2020-01-01&ordering=-headline", "?published_before=soon"]
)
def test_the_filter_form_draws_the_same_markup_as_the_template_renderer(client, monkeypatch, query):
    def form_of(response):
        page = response.content.decode()
        start = page.index('<form class="filters"')
        return parse_html(page[start : page.index("</form>", start) + len("</form>")])

    quick = form_of(client.get(f"/articles/{query}"))
    monkeypatch.setattr("articles.views.FORM_RENDERER", DjangoTemplates())
    assert form_of(client.get(f"/articles/{query}")) == quick
