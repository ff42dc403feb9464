import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """passage_unique_position's index (article, paragraph, sentence) serves every lookup by article."""

    dependencies = [
        ('dossier', '0008_article_original_compressed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='passage',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='passages', to='dossier.article'),
        ),
    ]
