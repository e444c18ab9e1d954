"""RSS feeds: the latest published stories, and the latest on one country, official or agreement."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from . import pairs
from .caching import cache_page
from .models import VOCABULARIES, Article

FEED_LENGTH = 20


class EntryMoved(Exception):
    """The slug belonged to an entry merged into `entry`."""

    def __init__(self, entry):
        super().__init__(entry.slug)
        self.entry = entry


# Entry feeds call this through super(), after their redirect check.
@method_decorator(cache_page, name="__call__")
class LatestStoriesFeed(Feed):
    title = "Ties: latest stories"
    description = "The latest stories on bilateral ties: visits, agreements, trade and defence."

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.published().with_vocabularies()[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst or next(iter(item.paragraphs), "")

    def item_pubdate(self, item):
        if item.published_on is None:
            return item.created_at
        return datetime.datetime.combine(item.published_on, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.source or None

    def item_categories(self, item):
        # .all() reads the prefetched tags; names() would query once per story.
        return [tag.name for vocabulary in VOCABULARIES for tag in getattr(item, vocabulary.field).all()]


class EntryFeed(LatestStoriesFeed):
    """The latest published stories tagged with one entry; a merged entry's old feed redirects."""

    def __init__(self, model):
        self.model = model  # Country, Official or Agreement: EntryFeed(Country) in urls

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except EntryMoved as moved:
            return redirect(moved.entry.get_feed_url(), permanent=True)

    def get_object(self, request, slug):
        try:
            entry, moved = self.model.public_by_slug(slug)
        except self.model.DoesNotExist:
            raise Http404(f"No {self.model._meta.verbose_name} {slug!r}") from None
        if moved:
            raise EntryMoved(entry)
        return entry

    def title(self, entry):
        return f"Ties: {entry.name}"

    def description(self, entry):
        return f"The latest stories on {entry.name}."

    def link(self, entry):
        return entry.get_absolute_url()

    def items(self, entry):
        return Article.objects.published().tagged_with(entry).with_vocabularies()[:FEED_LENGTH]


class PairFeed(LatestStoriesFeed):
    """The latest published stories on two countries together; a reversed or merged address redirects."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except EntryMoved as moved:
            return redirect(moved.entry.get_feed_url(), permanent=True)

    def get_object(self, request, slug):
        found = pairs.find(slug)
        if found is None or not pairs.story_count(found[0], found[1]):
            raise Http404(f"No pair of countries {slug!r} with published stories")
        pair = pairs.Pair(found[0], found[1])
        if found[2]:
            raise EntryMoved(pair)
        return pair

    def title(self, pair):
        return f"Ties: {pair.name}"

    def description(self, pair):
        return f"The latest stories on {pair.first.name} and {pair.second.name}."

    def link(self, pair):
        return pair.get_absolute_url()

    def items(self, pair):
        return Article.objects.published().tagged_with(pair.first, pair.second).with_vocabularies()[:FEED_LENGTH]
