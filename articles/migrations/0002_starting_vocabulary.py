"""Load the starting vocabulary: every ISO 3166 country, and the seed corpus's officials and agreements."""

from django.db import migrations

from articles.text import ascii_slug


def load(apps, schema_editor):
    from articles.ingest.countries import all_countries
    from articles.starting_vocabulary import AGREEMENTS, OFFICIALS

    Country = apps.get_model("articles", "Country")
    Official = apps.get_model("articles", "Official")
    Agreement = apps.get_model("articles", "Agreement")
    Country.objects.bulk_create(
        [Country(name=c.name, slug=c.slug, iso_code=c.code) for c in all_countries()],
        ignore_conflicts=True,
    )
    countries = dict(Country.objects.values_list("iso_code", "pk"))
    for name, role, code in OFFICIALS:
        Official.objects.get_or_create(
            name=name, defaults={"slug": ascii_slug(name), "role": role, "country_id": countries.get(code)}
        )
    for name, kind, signed_on, parties, subject in AGREEMENTS:
        Agreement.objects.get_or_create(
            name=name,
            defaults={
                "slug": ascii_slug(name, max_length=200),
                "kind": kind,
                "signed_on": signed_on,
                "parties": parties,
                "subject": subject,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
