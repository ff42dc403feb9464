"""PostgreSQL: the descending-with-NULLs-last indexes (as 0007's) for the scores method version 2 adds."""
from django.db import migrations

SCORES = ("fact_coverage", "alpha_reliable")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for score in SCORES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "summary_{score}_desc_idx" ON "annotations_articlesummary" '
            f'("{score}" DESC NULLS LAST, "article_id" DESC)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for score in SCORES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "summary_{score}_desc_idx"')


class Migration(migrations.Migration):
    dependencies = [("annotations", "0012_summaries_to_method_v2")]

    operations = [migrations.RunPython(create, drop)]
