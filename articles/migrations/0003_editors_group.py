"""Create the Editors group: stories and vocabularies, but no user management and no deleting stories."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "article": ["view", "add", "change", "publish"],
    "country": ["view", "add", "change", "merge"],
    "official": ["view", "add", "change", "merge"],
    "agreement": ["view", "add", "change", "merge"],
    "countryalias": ["view", "add", "change", "delete"],
    "officialalias": ["view", "add", "change", "delete"],
    "agreementalias": ["view", "add", "change", "delete"],
    "taggedcountry": ["view", "add", "change", "delete"],
    "taggedofficial": ["view", "add", "change", "delete"],
    "taggedagreement": ["view", "add", "change", "delete"],
    "historicalarticle": ["view"],
}


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_starting_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
