"""The private Django and taggit APIs in articles/internals.py still do what the app relies on.

Each test names the private API it checks, so that an upgrade that changes one fails here, by name, rather than
as a slower page or a wrong count somewhere else.
"""

import pytest
from django.db.models import Count, Value
from django.db.models.query import ModelIterable as DjangosModelIterable
from taggit.managers import _TaggableManager

from articles.internals import ModelIterable, TagManager, has_one_table, with_iterable, without_filters
from articles.models import Article

from .factories import country, make_article

pytestmark = pytest.mark.django_db


class Marked(ModelIterable):
    def __iter__(self):
        for row in super().__iter__():
            row.marked = True
            yield row


def test_querysets_still_build_their_rows_with_the_iterable_in_iterable_class():
    assert ModelIterable is DjangosModelIterable, "django.db.models.query.ModelIterable moved"
    assert Article.objects.all()._iterable_class is ModelIterable, "QuerySet._iterable_class is gone or renamed"
    make_article(headline="One")
    make_article(headline="Two")
    stories = with_iterable(Article.objects.all(), Marked)
    # It keeps through cloning, filtering and slicing, as lists and pages do with it.
    kept = stories.filter(headline__in=["One", "Two"]).order_by("pk")[:1]
    assert [getattr(story, "marked", False) for story in kept] == [True], (
        "_iterable_class no longer builds the rows"
    )


def test_an_empty_where_node_drops_every_filter_and_keeps_the_rest():
    first, second = make_article(headline="Kept"), make_article(headline="Left out")
    stories = Article.objects.filter(headline="Kept").annotate(one=Value(1)).order_by("-pk")
    copy = without_filters(stories)
    assert " WHERE " not in str(copy.query), "replacing Query.where with WhereNode() no longer drops the filters"
    assert list(copy.filter(pk__in=[first.pk, second.pk]).values_list("pk", "one")) == [
        (second.pk, 1),
        (first.pk, 1),
    ]
    assert list(stories.values_list("pk", flat=True)) == [first.pk], (
        "the copy shares its filters with the original"
    )


def test_the_query_tells_one_table_from_a_join_a_grouping_or_distinct():
    assert has_one_table(Article.objects.published().order_by("-pk"))
    assert not has_one_table(Article.objects.filter(countries__name="India")), (
        "Query.alias_map no longer shows joins"
    )
    assert not has_one_table(Article.objects.values("status").annotate(n=Count("pk"))), "Query.group_by changed"
    assert not has_one_table(Article.objects.distinct()), "Query.distinct changed"


def test_the_tag_manager_is_taggits_with_the_filter_deferred():
    assert issubclass(TagManager, _TaggableManager)
    assert type(make_article().countries) is TagManager, "taggit no longer builds the manager its `manager=` names"
    story = make_article()
    story.countries.add(country("MA"), country("IN"))
    tags = story.countries.all()
    assert getattr(tags, "_deferred_filter", None) is not None, (
        "QuerySet._defer_next_filter no longer defers a filter"
    )
    assert [tag.name for tag in tags] == ["India", "Morocco"], "the deferred filter is not applied when read"


def test_prefetched_tags_are_read_from_the_prefetch_cache_without_a_query(django_assert_num_queries):
    story = make_article()
    story.countries.add(country("MA"), country("IN"))
    prefetched = Article.objects.with_vocabularies().get(pk=story.pk)
    cache = getattr(prefetched, "_prefetched_objects_cache", None)
    assert cache is not None and prefetched.countries.prefetch_cache_name in cache, (
        "prefetch_related no longer leaves taggit's results in Model._prefetched_objects_cache"
    )
    with django_assert_num_queries(0):
        assert [tag.name for tag in prefetched.countries.all()] == ["India", "Morocco"]
