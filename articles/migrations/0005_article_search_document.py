"""Full-text search on PostgreSQL: a stored, weighted tsvector per story, GIN-indexed.

Why this shape:
- The column is stored, not computed per query, so ranking thousands of matches reads it instead of parsing
  every body again (an expression index alone made broad searches take seconds).
- A trigger fills it and keeps it current (articles/triggers.py, SEARCH_DOCUMENT, created after migrate with
  the others, which also fills the column for the stories already there).
- The model does not declare it (so Django neither selects nor writes it); articles/search.py reads it by
  name. Other databases get nothing here and search without it.

Before the triggers moved to articles/triggers.py, this migration created the trigger itself; databases
migrated then keep theirs until the next migrate replaces it with the same.
"""

from django.db import migrations


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Article")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_document tsvector")
    schema_editor.execute(f"CREATE INDEX article_search_idx ON {table} USING gin (search_document)")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from articles.triggers import SEARCH_DOCUMENT

    # The trigger goes before the column it writes.
    SEARCH_DOCUMENT.uninstall(schema_editor.connection.alias)
    table = schema_editor.quote_name(apps.get_model("articles", "Article")._meta.db_table)
    schema_editor.execute("DROP INDEX article_search_idx")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_alias_former_slug"),
    ]

    operations = [
        migrations.RunPython(add_column, drop_column),
    ]
