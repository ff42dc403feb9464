"""Admins keep conflicts (reviewer x outlet) and read campaigns and rulings in the admin; editors and
admins run campaigns on Dossier's own pages, which decide by role (campaigns.views), not by permission.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN = [
    *[("campaigns", f"{action}_conflict") for action in ("view", "add", "change", "delete")],
    ("campaigns", "view_campaign"), ("annotations", "view_ruling"),
]


def give(apps, schema_editor):
    # Permissions are normally made after all migrations run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Admin")
    group.permissions.add(*[Permission.objects.get(content_type__app_label=app, codename=code) for app, code in ADMIN])


def take(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Admin").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label__in=["campaigns", "annotations"], codename__in=[code for _, code in ADMIN]))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("annotations", "0015_rulings"),
        ("dossier", "0006_author_user"),
    ]

    operations = [migrations.RunPython(give, take)]
