"""The cache generation row's table, and indexes for the story lists at scale.

The triggers that move the generation on are not created here but after migrate, with the others
(articles/triggers.py says why): SQLite rebuilds a table for most schema changes and drops its triggers with
it, so a later migration would silently lose them.

The story lists sort by `published_on DESC NULLS LAST, id DESC`. SQLite puts NULLs last in a descending index
anyway and uses article_status_date_idx; PostgreSQL puts them first, so it needs an index declared in that
order, or it sorts every published story for each page. SQLite cannot declare NULLS LAST in an index, so the
model does not declare this one.

Each tag table gets (tag, story) in that order, so that an entry's stories, newest first, come from the index
alone: entry pages, the related stories on a story page, and the counts per entry.
"""

from django.db import migrations, models

FORWARDS = """
CREATE INDEX article_published_order_idx ON articles_article (published_on DESC NULLS LAST, id DESC)
WHERE status = 'published';
"""

BACKWARDS = "DROP INDEX article_published_order_idx;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def drop_triggers(apps, schema_editor):
    from articles.triggers import CACHE_GENERATION

    CACHE_GENERATION.uninstall(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_search_document"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                ),
                ("number", models.BigIntegerField()),
            ],
        ),
        # Going back, the triggers must go before their table does.
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
        migrations.RunPython(on_postgresql(FORWARDS), on_postgresql(BACKWARDS)),
        migrations.AddIndex(
            model_name="taggedagreement",
            index=models.Index(fields=["tag", "-content_object"], name="tagged_agreement_story_idx"),
        ),
        migrations.AddIndex(
            model_name="taggedcountry",
            index=models.Index(fields=["tag", "-content_object"], name="tagged_country_story_idx"),
        ),
        migrations.AddIndex(
            model_name="taggedofficial",
            index=models.Index(fields=["tag", "-content_object"], name="tagged_official_story_idx"),
        ),
    ]
