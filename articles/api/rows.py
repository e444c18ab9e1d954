"""The story list's rows: what ArticleSerializer gives for each story, built in one pass from plain values.

A page is up to 100 stories with a dozen tags each. Prefetched as a model instance for every tag and serialized
field by field, with a reverse() for every link, it made a list request take some forty times as long as
sending its JSON. ArticleSerializer still documents the rows (the schema) and gives single stories;
tests/test_api_fast_list.py holds the rows to what it gives.
"""

from ..lists import page_url, tag_rows
from ..models import VOCABULARIES

# What a row reads of a story, with .values(): ArticleSerializer's columns and the id that finds its tags.
# The body, most of a story, stays out.
COLUMNS = ("id", "slug", "headline", "standfirst", "dateline", "published_on", "source", "status")


def story_rows(stories: list[dict], request) -> list[dict]:
    """ArticleSerializer's output for stories read as .values(*COLUMNS), in the same order."""
    tags = tags_of([story["id"] for story in stories])
    api_url = link_for_slug(request, "api:article-detail")
    html_url = link_for_slug(request, "articles:detail")
    return [
        {
            "slug": story["slug"],
            "url": api_url(story["slug"]),
            "html_url": html_url(story["slug"]),
            "headline": story["headline"],
            "standfirst": story["standfirst"],
            "dateline": story["dateline"],
            "published_on": None if story["published_on"] is None else story["published_on"].isoformat(),
            "source": story["source"],
            "status": story["status"],
            "countries": tags[story["id"]]["countries"],
            "officials": tags[story["id"]]["officials"],
            "agreements": tags[story["id"]]["agreements"],
        }
        for story in stories
    ]


def tags_of(story_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """{story id: {vocabulary: [{"name", "slug"}, …]}}, each list by name as the stories' tag managers give it."""
    fields = [vocabulary.field for vocabulary in VOCABULARIES]
    tags = {pk: {field: [] for field in fields} for pk in story_ids}
    for story_id, index, name, slug in tag_rows(VOCABULARIES, story_ids):
        tags[story_id][fields[index]].append({"name": name, "slug": slug})
    return tags


def link_for_slug(request, view_name: str):
    """slug -> the absolute URL of `view_name` for that slug, as reverse() and the request build it."""
    origin = request.build_absolute_uri("/").removesuffix("/")
    return lambda slug: origin + page_url(view_name, slug)
