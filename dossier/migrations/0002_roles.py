"""Create the Reviewer, Editor and Admin groups with their permissions."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ARTICLES = [
    ("dossier", "view_article"), ("dossier", "view_passage"), ("dossier", "view_outlet"), ("dossier", "view_author"),
]
ROLE_PERMISSIONS = {
    "Reviewer": VIEW_ARTICLES,
    "Editor": VIEW_ARTICLES,
    # Admins import articles, fix metadata, and manage users and roles.
    "Admin": [
        ("dossier", "import_article"),
        *[("dossier", f"{action}_{model}") for action in ("view", "change", "delete")
          for model in ("article", "passage")],
        *[("dossier", f"{action}_{model}") for action in ("view", "add", "change", "delete")
          for model in ("outlet", "author")],
        *[("auth", f"{action}_{model}") for action in ("view", "add", "change", "delete")
          for model in ("user", "group")],
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
