"""Admins manage anyone's API tokens in the admin: view, add (a new token is shown once), change, delete."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_token" for action in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations run; the group needs them now.
    app_config = apps.get_app_config("api")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="api", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Admin"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="api", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("dossier", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
