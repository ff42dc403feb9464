"""Load the default flag set (fixtures/flags.json) and let reviewers and admins use it."""
import json
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

FLAGS = Path(__file__).resolve().parents[2] / "fixtures" / "flags.json"

ROLE_PERMISSIONS = {
    "Reviewer": ["view_flag", "add_annotation", "change_annotation", "delete_annotation", "add_review", "change_review"],
    "Editor": ["view_flag", "view_annotation", "view_review"],
    "Admin": [f"{action}_{model}" for action in ("view", "add", "change", "delete") for model in ("flag",)]
    + ["view_annotation", "view_review"],
}


def load_flags(apps, schema_editor):
    Flag = apps.get_model("annotations", "Flag")
    for entry in json.loads(FLAGS.read_text(encoding="utf-8")):
        fields = dict(entry["fields"])
        Flag.objects.update_or_create(name=fields.pop("name"), defaults=fields)


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("annotations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="annotations", codename__in=codenames)
        )


def forwards(apps, schema_editor):
    load_flags(apps, schema_editor)
    grant_permissions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("dossier", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
