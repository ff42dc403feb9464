import zlib

from django.db import migrations, models

BATCH = 1000


def compress(apps, schema_editor):
    """original_text -> original: empty where it is the body, else zlib-compressed; 1,000 articles a query."""
    Article = apps.get_model("dossier", "Article")
    connection = schema_editor.connection
    table, quote = Article._meta.db_table, connection.ops.quote_name
    last = 0
    with connection.cursor() as cursor:
        while rows := list(Article.objects.filter(pk__gt=last).order_by("pk")
                           .values_list("pk", "body", "original_text")[:BATCH]):
            last = rows[-1][0]
            cursor.executemany(
                f"UPDATE {quote(table)} SET {quote('original')} = %s WHERE {quote('id')} = %s",
                [(b"" if original == body else zlib.compress(original.encode("utf-8"), 6), pk)
                 for pk, body, original in rows],
            )


def decompress(apps, schema_editor):
    Article = apps.get_model("dossier", "Article")
    connection = schema_editor.connection
    table, quote = Article._meta.db_table, connection.ops.quote_name
    last = 0
    with connection.cursor() as cursor:
        while rows := list(Article.objects.filter(pk__gt=last).order_by("pk")
                           .values_list("pk", "body", "original")[:BATCH]):
            last = rows[-1][0]
            cursor.executemany(
                f"UPDATE {quote(table)} SET {quote('original_text')} = %s WHERE {quote('id')} = %s",
                [(zlib.decompress(bytes(original)).decode("utf-8") if original else body, pk)
                 for pk, body, original in rows],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0007_job_export'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='original',
            field=models.BinaryField(blank=True, default=b'', help_text='The text exactly as imported, zlib-compressed; empty if it is the body.'),
        ),
        migrations.RunPython(compress, decompress, elidable=False),
        migrations.RemoveField(
            model_name='article',
            name='original_text',
        ),
    ]
