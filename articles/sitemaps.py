"""The sitemap: an index of paged sitemaps for the site's fixed pages, every published story, and every entry page
that readers can reach.

At 3,000 stories one sitemap was 556 KB and took about 0.2 s to render on every request; at 100,000 it would pass
the protocol's 50,000 URLs. The index (/sitemap.xml) lists each section's pages (/sitemap-stories.xml?p=2, …),
each page at most PAGE_SIZE URLs, and both are cached like the pages (articles/caching.py): until the next write.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from . import pairs
from .caching import ArchivePaginator
from .models import Agreement, Article, Country, Official

# URLs on one sitemap page: about 185 KB of XML for stories.
PAGE_SIZE = 1000


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE

    @property
    def paginator(self):
        # The number of rows from the query cache, and deep pages through the primary-key index.
        return ArchivePaginator(self.items(), self.limit)


class PageSitemap(PagedSitemap):
    def items(self):
        return [
            "articles:home",
            "articles:list",
            "articles:countries",
            "articles:officials",
            "articles:agreements",
        ]

    def location(self, item):
        return reverse(item)


class StorySitemap(PagedSitemap):
    def items(self):
        # By id, so that a story keeps its page as newer ones are added.
        return Article.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default renders lastmod for every story to find the latest; the database knows it.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class EntrySitemap(PagedSitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.covered().order_by("pk").only("slug")


class PairSitemap(PagedSitemap):
    def items(self):
        return pairs.pairs()


SITEMAPS = {
    "pages": PageSitemap(),
    "stories": StorySitemap(),
    "countries": EntrySitemap(Country),
    "officials": EntrySitemap(Official),
    "agreements": EntrySitemap(Agreement),
    "ties": PairSitemap(),
}
