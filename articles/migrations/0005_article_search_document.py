"""Full-text search on PostgreSQL: a stored, weighted tsvector per story, kept current by a trigger, GIN-indexed.

Why this shape:
- The column is stored, not computed per query, so ranking thousands of matches reads it instead of parsing
  every body again (an expression index alone made broad searches take seconds).
- A trigger, not Django code, fills it, so every way a story is written keeps it current: the importer's
  save(update_fields=...), bulk inserts, the admin, raw UPDATEs.
- A trigger, not a generated column, because PostgreSQL refuses to change the type of a column a generated
  column reads; later migrations may still alter headline or body freely.
- The model does not declare it (so Django neither selects nor writes it); articles/search.py reads it by
  name. Other databases get nothing here and search without it.
"""

from django.db import migrations

FORWARDS = """
ALTER TABLE articles_article ADD COLUMN search_document tsvector;

CREATE FUNCTION articles_article_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.dateline, '')), 'C')
        || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF headline, standfirst, dateline, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document();

-- Fill the column for stories written before this migration (the trigger fires on this UPDATE).
UPDATE articles_article SET headline = headline;

CREATE INDEX article_search_idx ON articles_article USING gin (search_document);
"""

BACKWARDS = """
DROP INDEX article_search_idx;
DROP TRIGGER articles_article_search_document ON articles_article;
DROP FUNCTION articles_article_search_document();
ALTER TABLE articles_article DROP COLUMN search_document;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_alias_former_slug"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARDS), on_postgresql(BACKWARDS)),
    ]
