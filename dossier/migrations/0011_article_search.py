"""Full-text search: the article's folded search columns, filled for the articles there are, and their index.

The columns are added by ALTER TABLE ... ADD COLUMN with a default, on both databases: Django would
rebuild the whole article table on SQLite for each of them. The index (FTS5 table and triggers on
SQLite, GIN on PostgreSQL) is built after the columns are filled, in one statement.
"""
from collections import defaultdict
from itertools import islice

from django.db import migrations, models

from dossier.bulk import update_rows
from dossier.folding import search_text
from dossier.search import create_index, drop_index

COLUMNS = {
    "search_title": "The title, folded for search.",
    "search_outlet": "The outlet's name, folded for search.",
    "search_authors": "The authors' names, folded for search.",
}
BATCH = 2000


def fill(apps, schema_editor):
    Article = apps.get_model("dossier", "Article")
    through = Article.authors.through
    rows = Article.objects.using(schema_editor.connection.alias).order_by("pk").values_list(
        "pk", "title", "outlet__name").iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        names = defaultdict(list)
        for article_id, name in through.objects.filter(article_id__in=[pk for pk, _, _ in batch]).order_by(
                "pk").values_list("article_id", "author__name"):
            names[article_id].append(name)
        update_rows(Article, list(COLUMNS), (
            (search_text(title), search_text(outlet or ""), search_text(" ".join(names[pk])), pk)
            for pk, title, outlet in batch
        ))


def build_index(apps, schema_editor):
    create_index(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        # Without statistics on the new index's expression PostgreSQL guesses a search matches 2,000 rows
        # and walks the import-order index filtering each row: 0.8 s for a word no article has at 100,000
        # articles, 0.2 ms once analysed (until autovacuum would get round to it).
        schema_editor.execute("ANALYZE dossier_article")


def remove_index(apps, schema_editor):
    drop_index(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("dossier", "0010_article_history_without_imports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE dossier_article ADD COLUMN {column} text NOT NULL DEFAULT ''",
                    f"ALTER TABLE dossier_article DROP COLUMN {column}",
                )
                for column in COLUMNS
            ],
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name=column,
                    field=models.TextField(blank=True, default="", editable=False, help_text=help_text),
                )
                for column, help_text in COLUMNS.items()
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(build_index, remove_index),
    ]
