"""Codebook version 1 (the flag set as it stands); admins and editors may view the codebook's versions in
the admin (the versions are read only for everyone).

The stored summaries are NOT rescored here: they keep method_version 1 (0011's default for them), and
annotations/upgrades.py's post_migrate receiver rescores every summary behind the current method version
with today's code once the database holds every migration, so that they come out exactly as
`recompute_summaries --check` computes them. (A migration that ran today's scoring code would read
today's tables mid-chain, before later migrations add what that code reads.) Going back leaves the
numbers alone; the old code's `recompute_summaries` rebuilds them by its own rules.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEWERS = ("Admin", "Editor")


def view_permission(apps):
    # Permissions are normally made after all migrations run; the groups need this one now.
    config = apps.get_app_config("annotations")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="annotations", codename="view_codebookversion")


def grant(apps, schema_editor):
    permission = view_permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=VIEWERS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    permission = view_permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=VIEWERS):
        group.permissions.remove(permission)


def forward(apps, schema_editor):
    Flag = apps.get_model("annotations", "Flag")
    CodebookVersion = apps.get_model("annotations", "CodebookVersion")
    if not CodebookVersion.objects.exists():
        CodebookVersion.objects.create(
            number=1,
            flags=[
                {"id": pk, "name": name, "category": category, "active": active}
                for pk, name, category, active in Flag.objects.order_by("pk").values_list(
                    "pk", "name", "category", "active"
                )
            ],
            reason="The flag set when scoring method version 2 began",
        )


class Migration(migrations.Migration):
    # 0005_web_articles stays a dependency so that an existing migration graph keeps its order.
    dependencies = [("annotations", "0011_method_v2_codebook"), ("dossier", "0005_web_articles")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop), migrations.RunPython(grant, revoke)]
