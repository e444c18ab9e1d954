"""Each entry's number of published stories, kept in its row (`story_count`) by database triggers.

Lists show these numbers everywhere: the home page, the story list's filter form, the entry indexes, the API
and the admin. Counting tag rows for them is a pass over the whole archive; kept in the row, they cost
nothing to read, and the first page after a write no longer waits for them.

Triggers keep them right inside the writing transaction, whoever writes: the importer's bulk inserts, a
merge's UPDATE of tag rows, the admin's bulk publish, QuerySet.update(), raw SQL. A count moves when
- a tag row of a published story is added or removed;
- a tag row moves to another entry or story (merges do this);
- a story is published or unpublished (each of its entries moves).
A story's tag rows go before the story does (Django deletes them first), while it still counts.

The triggers are in articles/triggers.py with the others. Whenever they are created afresh (the first migrate,
or one that found them missing), `recount` recomputes every number from the tag rows, so that nothing written
while they were missing stays wrong.
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import VOCABULARIES, Status

PUBLISHED = Status.PUBLISHED.value


def vocabularies():
    """(entry model, tag through model) for each vocabulary."""
    for vocabulary in VOCABULARIES:
        yield vocabulary.entry, vocabulary.through


def recount(using: str = "default") -> None:
    """Recompute every entry's count from its tag rows."""
    for model, through in vocabularies():
        counts = (
            through.objects.using(using)
            .filter(tag=OuterRef("pk"), content_object__status=PUBLISHED)
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values("count")
        )
        model.objects.using(using).update(story_count=Coalesce(Subquery(counts), 0))
