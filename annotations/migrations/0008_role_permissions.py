"""Each role holds only the permissions its work needs, so the admin shows nobody more than their pages do.

Dossier's own pages decide by role (dossier.roles, annotations.access), not by model permission; the only
model permission a page checks is dossier.import_article. The admin, though, honours every permission a
group holds: the Reviewer group's add/change permissions on reviews and annotations (0002_default_flags)
let a reviewer given staff status open and save other reviewers' unsubmitted reviews there.

So, exactly (anything else a role held is removed):
- Reviewer: view articles, passages, outlets, authors and flags (what the workspace shows them anyway);
  nothing on reviews or annotations: their work is done in the workspace.
- Editor: the same, plus viewing reviews and annotations (editors read every review on the pages).
- Admin: importing and fixing articles, outlets, authors, users and roles, the flag set, and viewing
  reviews, annotations and the export log (unchanged).
The admin's Review pages are read-only for everyone whatever the permissions (annotations/admin.py).
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ARTICLES = [("dossier", f"view_{model}") for model in ("article", "passage", "outlet", "author")]
ROLE_PERMISSIONS = {
    "Reviewer": [*VIEW_ARTICLES, ("annotations", "view_flag")],
    "Editor": [*VIEW_ARTICLES, ("annotations", "view_flag"), ("annotations", "view_annotation"),
               ("annotations", "view_review")],
    "Admin": [
        ("dossier", "import_article"),
        *[("dossier", f"{action}_{model}") for action in ("view", "change", "delete") for model in ("article", "passage")],
        *[("dossier", f"{action}_{model}") for action in ("view", "add", "change", "delete")
          for model in ("outlet", "author")],
        *[("auth", f"{action}_{model}") for action in ("view", "add", "change", "delete") for model in ("user", "group")],
        *[("annotations", f"{action}_flag") for action in ("view", "add", "change", "delete")],
        ("annotations", "view_annotation"), ("annotations", "view_review"), ("annotations", "view_export"),
    ],
}
# What 0002_default_flags gave reviewers beyond that, given back if this migration is undone.
REVIEWER_BEFORE = [("annotations", codename) for codename in (
    "add_annotation", "change_annotation", "delete_annotation", "add_review", "change_review")]


def permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def make_permissions(apps):
    # Permissions are normally made after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def only_what_each_role_needs(apps, schema_editor):
    make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for name, pairs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions(apps, pairs))


def give_reviewers_back_their_old_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get(name="Reviewer").permissions.add(*permissions(apps, REVIEWER_BEFORE))


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_summary_score_indexes_postgresql"),
        ("dossier", "0003_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(only_what_each_role_needs, give_reviewers_back_their_old_permissions)]
