"""Each version of a story keeps its tags (articles/versions.py); versions saved before this keep none (null).

A nullable column added in place: SQLite adds it without rebuilding the table, PostgreSQL without a rewrite.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_cache_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalarticle",
            name="tags",
            field=models.JSONField(
                editable=False,
                help_text="The story's countries, officials and agreements after this change (see articles/versions.py); null in versions saved before versions kept tags.",
                null=True,
            ),
        ),
    ]
