"""Stored summaries gain the headline after rulings. The rulings' table is new (0015), so no ruling applies
yet and it is the headline itself; from here on every refresh stores it (annotations/summaries.py)."""
from django.db import migrations, models

SCORE = "ruled_sourced_fact_share"


def same_as_headline(apps, schema_editor):
    ArticleSummary = apps.get_model("annotations", "ArticleSummary")
    ArticleSummary.objects.update(ruled_sourced_fact_share=models.F("sourced_fact_share"))


def create_descending(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "summary_ruled_share_desc_idx" ON "annotations_articlesummary" '
            f'("{SCORE}" DESC NULLS LAST, "article_id" DESC)'
        )


def drop_descending(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "summary_ruled_share_desc_idx"')


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0015_rulings'),
    ]

    operations = [
        migrations.AddField(
            model_name='articlesummary',
            name='ruled_sourced_fact_share',
            field=models.FloatField(help_text="The headline after editors' rulings on disputed passages (the headline itself when no ruling applies).", null=True),
        ),
        migrations.RunPython(same_as_headline, migrations.RunPython.noop),
        # Sortable in the articles table, as the other scores: its (score, article) index, and on
        # PostgreSQL the descending-with-NULLs-last one (as 0007 and 0013).
        migrations.AddIndex(
            model_name='articlesummary',
            index=models.Index(fields=['ruled_sourced_fact_share', 'article'], name='summary_ruled_share_idx'),
        ),
        migrations.RunPython(create_descending, drop_descending),
    ]
