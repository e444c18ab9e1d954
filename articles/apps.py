from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    # What the reader site calls them; the admin's index and breadcrumbs show it.
    verbose_name = "Stories"

    def ready(self):
        from . import caching, models, signals, versions

        signals.connect(self)
        versions.connect()
        # The querysets keep their lookups in the cache until the next write; caching.py imports the models.
        models.remember = caching.remember
