"""What lists of stories show, built fast: page links reversed once per view, and every row's tags in one query.

A list page shows a hundred links or more and a dozen tags per story; built the ORM's way (a reverse() per link,
three prefetches of model instances) they cost more than the page's queries. tests/test_listing.py holds both
to the plain way.
"""

import functools
from typing import NamedTuple

from django.conf import settings
from django.db import connections
from django.urls import get_script_prefix, get_urlconf, reverse

from .internals import ModelIterable

# Stands for the slug in a URL reversed once per view name (see page_url).
_SLUG_PLACEHOLDER = "slug-placeholder"


@functools.lru_cache(maxsize=64)
def _url_template(script_prefix: str, urlconf: str, view_name: str) -> str:
    return reverse(view_name, urlconf=urlconf, args=[_SLUG_PLACEHOLDER])


def page_url(view_name: str, slug: str) -> str:
    """reverse(view_name, args=[slug]) for a view taking one slug, resolved once per view name.

    A list page links every story to its tags, a hundred links or more; reversing each one cost more than
    the queries behind the page. Slugs are ASCII and URL-safe, so they go into the URL as they are.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _url_template(get_script_prefix(), urlconf, view_name).replace(_SLUG_PLACEHOLDER, slug, 1)


class TagLink(NamedTuple):
    """A story's tag as a list shows it: which vocabulary, the entry's name, its page."""

    kind: str  # country, official or agreement
    name: str
    url: str


class ListIterable(ModelIterable):
    """Stories with `tag_links`, every tag of the rows read in one query after the rows (see tag_rows).

    A list shows each tag as a name and a link, nothing more; three prefetches would build a model instance
    and a queryset for each tag, which cost more than the page's queries. The vocabularies are the queryset's
    (ArticleQuerySet.vocabularies).
    """

    def __iter__(self):
        stories = list(super().__iter__())
        vocabularies = self.queryset.vocabularies
        kinds = [vocabulary.parameter for vocabulary in vocabularies]
        links = {story.pk: tuple([] for _kind in kinds) for story in stories}
        for story_id, index, name, slug in tag_rows(vocabularies, list(links), self.queryset.db):
            kind = kinds[index]
            links[story_id][index].append(TagLink(kind, name, page_url(f"articles:{kind}", slug)))
        for story in stories:
            story.tag_links = [link for kind_links in links[story.pk] for link in kind_links]
        return iter(stories)


def tag_rows(vocabularies, story_ids: list[int], using: str = "default") -> list[tuple[int, int, str, str]]:
    """(story id, index in `vocabularies`, entry name, entry slug) for every tag of the stories, by name.

    One query for the three vocabularies, written out: the ORM took longer to build it than the database to
    answer it. The database sorts the names, in its collation, as the stories' tag managers do.
    """
    if not story_ids:
        return []
    connection = connections[using]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(story_ids))
    selects = []
    for index, vocabulary in enumerate(vocabularies):
        selects.append(
            f"SELECT tagged.content_object_id, {index}, entry.name, entry.slug "
            f"FROM {quote(vocabulary.through._meta.db_table)} tagged "
            f"JOIN {quote(vocabulary.entry._meta.db_table)} entry ON entry.id = tagged.tag_id "
            f"WHERE tagged.content_object_id IN ({placeholders})"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects) + " ORDER BY 3", story_ids * len(selects))
        return cursor.fetchall()
