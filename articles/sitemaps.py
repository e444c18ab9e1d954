"""The sitemap: the site's fixed pages, every published story, and every entry page with published stories."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Agreement, Article, Country, Official
from .views import covered


class PageSitemap(Sitemap):
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


class StorySitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class EntrySitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        return covered(self.model).order_by("pk").only("slug")


SITEMAPS = {
    "pages": PageSitemap(),
    "stories": StorySitemap(),
    "countries": EntrySitemap(Country),
    "officials": EntrySitemap(Official),
    "agreements": EntrySitemap(Agreement),
}
