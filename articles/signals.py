"""Signal wiring for the cache (articles/caching.py) and the triggers (articles/triggers.py) around migrate.

Writes need no signal here: database triggers move the cache generation on, which also catches the writes
that send no signals (bulk_create, QuerySet.update(), the admin's bulk actions, raw SQL).
"""

from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

from . import caching, triggers
from .models import CacheGeneration


def after_migrate(sender, using, **kwargs):
    """Put back the triggers that are missing or changed (repairing what they keep), and start a new generation.

    Deploys run migrate, so pages cached by the old code (old templates) are not served by the new. A migrate
    that changed nothing finds every trigger in place and neither writes one nor recounts.
    """
    triggers.ensure(using)
    if CacheGeneration._meta.db_table in connections[using].introspection.table_names():
        caching.bump(using)  # not when migrated back to before 0006


def before_migrate(sender, using, plan=None, **kwargs):
    """On SQLite, drop the triggers before this app's migrations run; after_migrate puts them back.

    SQLite changes a table by building a new one and renaming it into place; a trigger on another table that
    names the old one then fails the rename ("error in trigger …: no such table: main.articles_article"), so a
    migration that adds a column to stories would fail on any database that has been migrated before.
    """
    if connections[using].vendor != "sqlite":
        return
    if any(migration.app_label == sender.label for migration, _backwards in plan or ()):
        triggers.uninstall(using)


def connect(app_config):
    request_started.connect(caching.request_started, dispatch_uid="articles.caching.request_started")
    request_finished.connect(caching.request_finished, dispatch_uid="articles.caching.request_finished")
    pre_migrate.connect(before_migrate, sender=app_config, dispatch_uid="articles.caching.before_migrate")
    post_migrate.connect(after_migrate, sender=app_config, dispatch_uid="articles.caching.after_migrate")
