"""Template tags for the reader site: absolute URLs, JSON-LD for stories, the stories-per-month timeline."""

import datetime
import json
from dataclasses import dataclass

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

SITE_NAME = "Ties"

# What json_script escapes: inside <script> no text may close the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# --- Stories in lists ---------------------------------------------------------------------------------
# A list page draws twenty stories with a hundred or more tag links. Drawn by the template language, each
# value is looked up through several fallbacks and each include pushes a context, which cost more than the
# page's queries; these tags draw the markup directly.


@register.simple_tag
def byline(article) -> str:
    """Dateline, date and source of a story, each only when known."""
    parts = []
    if article.dateline:
        parts.append(f'<span class="dateline">{escape(article.dateline)}</span>')
    if article.published_on:
        day = article.published_on
        parts.append(f'<time datetime="{day.isoformat()}">{format_date(day, "j F Y")}</time>')
    if article.source:
        parts.append(f'<span class="source">{escape(article.source)}</span>')
    return mark_safe(f'<p class="byline">{"".join(parts)}</p>')


@register.simple_tag
def story_item(article, level: int = 2) -> str:
    """A story in a list: headline, byline, standfirst and tag links; `article` comes from for_lists()."""
    parts = [
        f'<article class="story-item">\n  <h{level} class="story-item__headline">'
        f'<a href="{escape(article.get_absolute_url())}">{escape(article.headline)}</a></h{level}>\n  ',
        byline(article),
    ]
    if article.standfirst:
        parts.append(f'\n  <p class="story-item__standfirst">{escape(article.standfirst)}</p>')
    if article.tag_links:
        links = "".join(
            f'<li><a class="tag tag--{tag.kind}" href="{escape(tag.url)}">{escape(tag.name)}</a></li>'
            for tag in article.tag_links
        )
        parts.append(f'\n  <ul class="tags" aria-label="Tagged">{links}</ul>')
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` on this site as an absolute URL (canonical links, Open Graph, JSON-LD)."""
    return context["request"].build_absolute_uri(path)


def news_article_data(article, request) -> dict:
    """schema.org NewsArticle for a story; its tags must be prefetched."""

    def url_of(page):
        return request.build_absolute_uri(page.get_absolute_url())

    url = url_of(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": article.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "about": [
            *({"@type": "Country", "name": c.name, "url": url_of(c)} for c in article.countries.all()),
            *(
                {"@type": "Person", "name": o.name, "url": url_of(o)} | ({"jobTitle": o.role} if o.role else {})
                for o in article.officials.all()
            ),
            *({"@type": "Thing", "name": a.name, "url": url_of(a)} for a in article.agreements.all()),
        ],
    }
    if article.published_on:
        data["datePublished"] = article.published_on.isoformat()
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if article.standfirst or article.paragraphs:
        data["description"] = article.standfirst or article.paragraphs[0][:300]
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
    return data


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article) -> str:
    """A <script type="application/ld+json"> describing the story, safe for any text in it."""
    text = json.dumps(news_article_data(article, context["request"]), cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_SCRIPT_ESCAPES))
    )


BAR_STEP = 18
BAR_WIDTH = 14
PLOT_HEIGHT = 90
MONTH_LABEL_Y = PLOT_HEIGHT + 12
YEAR_LABEL_Y = PLOT_HEIGHT + 25
HEIGHT = PLOT_HEIGHT + 30
YEAR_LABEL_WIDTH = 24  # room for a year label that starts under the last bar


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    count: int
    x: int
    height: int
    year: str  # under January and under the first bar, otherwise empty

    @property
    def y(self) -> int:
        return PLOT_HEIGHT - self.height

    @property
    def centre(self) -> float:
        return self.x + BAR_WIDTH / 2


@register.inclusion_tag("articles/_timeline.html")
def timeline(months: list[tuple[datetime.date, int]], name: str) -> dict:
    """Stories per month as an inline SVG bar chart, with a table for readers who cannot see it."""
    if not months:
        return {"bars": []}
    busiest = max(count for _, count in months)
    bars = [
        Bar(
            month=month,
            count=count,
            x=index * BAR_STEP,
            height=round(PLOT_HEIGHT * count / busiest) if busiest else 0,
            year=str(month.year) if index == 0 or month.month == 1 else "",
        )
        for index, (month, count) in enumerate(months)
    ]
    return {
        "bars": bars,
        "name": name,
        "total": sum(count for _, count in months),
        "first": bars[0].month,
        "last": bars[-1].month,
        "peak": max(bars, key=lambda bar: (bar.count, bar.month)),
        "width": len(bars) * BAR_STEP + YEAR_LABEL_WIDTH,
        "height": HEIGHT,
        "plot_height": PLOT_HEIGHT,
        "bar_width": BAR_WIDTH,
        "month_label_y": MONTH_LABEL_Y,
        "year_label_y": YEAR_LABEL_Y,
    }


@register.simple_tag(takes_context=True)
def pair_json_ld(context, pair, agreements) -> str:
    """schema.org CollectionPage for a pair page: about its two countries and the agreements between them."""
    request = context["request"]

    def url_of(page):
        return request.build_absolute_uri(page.get_absolute_url())

    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": f"{pair.first.name} and {pair.second.name}",
        "url": url_of(pair),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "about": [
            {"@type": "Country", "name": pair.first.name, "url": url_of(pair.first)},
            {"@type": "Country", "name": pair.second.name, "url": url_of(pair.second)},
        ],
        "mentions": [{"@type": "Legislation", "name": a.name, "url": url_of(a)} for a in agreements],
    }
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_SCRIPT_ESCAPES))
    )
