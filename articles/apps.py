from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    # What the reader site calls them; the admin's index and breadcrumbs show it.
    verbose_name = "Stories"

    def ready(self):
        from . import signals, versions

        signals.connect(self)
        versions.connect()
