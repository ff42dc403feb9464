from django.db import migrations

BATCH = 5000


def drop_import_rows(apps, schema_editor):
    """The "created" history row of every article changed since by nothing that kept history: the article's
    stored row is that version, and Article.save() records it again before a first change."""
    History = apps.get_model("dossier", "HistoricalArticle")
    changed = History.objects.exclude(history_type="+").values("id")
    while ids := list(History.objects.filter(history_type="+").exclude(id__in=changed)
                      .values_list("history_id", flat=True)[:BATCH]):
        History.objects.filter(history_id__in=ids)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0009_passage_article_no_own_index'),
    ]

    operations = [
        # Not reversible into the rows themselves; the stored articles still hold what they said.
        migrations.RunPython(drop_import_rows, migrations.RunPython.noop),
    ]
