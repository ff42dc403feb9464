"""Every article gets its summary (not started where it had none) and its flag uses, set-based: one
INSERT ... SELECT each, whatever the corpus size. The outlets' and authors' totals are filled after
migrate by upgrades.fill_totals(), with today's code (as upgrades.py explains, never mid-chain).
"""
from django.db import migrations

SUBMITTED = "submitted"


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    Article = apps.get_model("dossier", "Article")
    Summary = apps.get_model("annotations", "ArticleSummary")
    Review = apps.get_model("annotations", "Review")
    Annotation = apps.get_model("annotations", "Annotation")
    FlagUse = apps.get_model("annotations", "ArticleFlagUse")
    # A not-started summary: the columns' defaults (NULL where a column may be empty).
    defaults = [(field.column, field.get_default()) for field in Summary._meta.concrete_fields
                if field.name != "article" and field.has_default()]
    summary, article = quote(Summary._meta.db_table), quote(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {summary} ({quote('article_id')}, {', '.join(quote(column) for column, _ in defaults)}) "
            f"SELECT a.{quote('id')}, {', '.join(['%s'] * len(defaults))} FROM {article} a "
            f"WHERE NOT EXISTS (SELECT 1 FROM {summary} s WHERE s.{quote('article_id')} = a.{quote('id')})",
            [value for _, value in defaults],
        )
        cursor.execute(
            f"INSERT INTO {quote(FlagUse._meta.db_table)} ({quote('article_id')}, {quote('flag_id')}, {quote('uses')}) "
            f"SELECT r.{quote('article_id')}, n.{quote('flag_id')}, COUNT(*) FROM {quote(Annotation._meta.db_table)} n "
            f"JOIN {quote(Review._meta.db_table)} r ON r.{quote('id')} = n.{quote('review_id')} "
            f"WHERE r.{quote('status')} = %s GROUP BY r.{quote('article_id')}, n.{quote('flag_id')}",
            [SUBMITTED],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0017_group_totals"),
        ("dossier", "0007_job_export"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
