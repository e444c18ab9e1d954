"""The private Django and taggit APIs the app leans on, each here with why it is worth it.

Everything else uses public APIs (the underscored names elsewhere are documented ones: Model._meta,
Model._base_manager, simple-history's instance._change_reason). Each helper below names what it relies on;
tests/test_internals.py checks each one, so that an upgrade of Django or taggit that changes one fails there,
by name, before anything subtler does.
"""

from django.db.models import QuerySet

# Undocumented, but what QuerySet builds model instances with; a list's iterable extends it (articles/lists.py).
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from taggit.managers import _TaggableManager

__all__ = ["ModelIterable", "TagManager", "has_one_table", "with_iterable", "without_filters"]


def with_iterable(queryset: QuerySet, iterable_class: type[ModelIterable]) -> QuerySet:
    """`queryset` (a fresh copy, such as .defer() returns), its rows built by `iterable_class`.

    Private: QuerySet._iterable_class, which values() and values_list() set the same way; there is no public
    hook between fetching the rows and handing them out. It keeps through cloning, slicing and pagination.
    """
    queryset._iterable_class = iterable_class
    return queryset


def without_filters(queryset: QuerySet) -> QuerySet:
    """A copy of `queryset` with the same columns, annotations, order and prefetches, and no WHERE clause.

    Private: Query.where, replaced by an empty WhereNode. ArchivePaginator filters the copy by the ids of one
    page, which the list's own filters chose in a subquery: repeating them made SQLite walk the whole list index
    again instead of looking the page's rows up (articles/caching.py).
    """
    copy = queryset.all()
    copy.query.where = WhereNode()
    return copy


def has_one_table(queryset: QuerySet) -> bool:
    """One table, no grouping, no DISTINCT: dropping its filters leaves the same rows for the same ids.

    Private: Query.alias_map, Query.group_by and Query.distinct, read only.
    """
    query = queryset.query
    return len(query.alias_map) <= 1 and query.group_by is None and not query.distinct


class TagManager(_TaggableManager):
    """taggit's manager of a story's tags, whose per-story filter is only built when the queryset is used.

    Prefetching makes one such queryset per story and replaces its results; building the filter cost more
    than the prefetch queries themselves (Django's own related managers defer it the same way).
    Private: taggit's _TaggableManager (the base its `manager=` option takes), Model._prefetched_objects_cache
    (where prefetch_related leaves its results) and QuerySet._defer_next_filter (what Django's related managers
    set for the same reason).
    """

    def get_queryset(self, extra_filters=None):
        prefetched = getattr(self.instance, "_prefetched_objects_cache", {})
        if self.instance is None or extra_filters or self.prefetch_cache_name in prefetched:
            return super().get_queryset(extra_filters)
        tags = self.through.tag_model().objects.order_by(*self.ordering)
        tags._defer_next_filter = True
        return tags.filter(**{f"{self.through.tag_relname()}__content_object": self.instance})
