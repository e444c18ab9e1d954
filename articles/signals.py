"""Signal wiring for the cache (articles/caching.py): request boundaries, and the triggers after migrate.

Writes need no signal here: database triggers move the cache generation on, which also catches the writes
that send no signals (bulk_create, QuerySet.update(), the admin's bulk actions, raw SQL).
"""

from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

from . import caching, counting, search, triggers
from .models import CacheGeneration, Country


def after_migrate(sender, using, **kwargs):
    """(Re)create the triggers, which SQLite drops with a rebuilt table, recount, and start a new generation.

    Deploys run migrate, so pages cached by the old code (old templates) are not served by the new.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(cursor, Country._meta.db_table)
        }
    search.install_sqlite_index(using)
    if "story_count" in columns:  # not migrated back to before 0008
        counting.install_triggers(using)
        counting.recount(using)
    if CacheGeneration._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before 0006
    caching.install_triggers(using)
    caching.bump(using)


def before_migrate(sender, using, **kwargs):
    """Drop the app's SQLite triggers, which after_migrate puts back.

    SQLite changes a table by building a new one and renaming it into place; a trigger on another table that
    names the old one then fails the rename ("error in trigger …: no such table: main.articles_article"), so a
    migration that adds a column to stories would fail on any database that has been migrated before.
    """
    triggers.drop_sqlite(using, table_prefix="articles_")


def connect(app_config):
    request_started.connect(caching.request_started, dispatch_uid="articles.caching.request_started")
    request_finished.connect(caching.request_finished, dispatch_uid="articles.caching.request_finished")
    pre_migrate.connect(before_migrate, sender=app_config, dispatch_uid="articles.caching.before_migrate")
    post_migrate.connect(after_migrate, sender=app_config, dispatch_uid="articles.caching.after_migrate")
