"""PostgreSQL: indexes that serve the articles table's descending score sorts.

The table sorts scores with undefined ones last in both directions. A plain index serves that in
ascending order on both databases, and in descending order on SQLite, where NULL sorts first; on
PostgreSQL, where NULL sorts last, descending-with-NULLs-last needs its own index. SQLite cannot
declare NULLS LAST in an index, so these are PostgreSQL's alone and not in the model's Meta.
"""
from django.db import migrations

SCORES = ("sourced_fact_share", "unsourced_share", "opinion_share", "agreement")


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
    dependencies = [("annotations", "0006_summary_score_indexes")]

    operations = [migrations.RunPython(create, drop)]
