"""Stored summaries gain the headline after rulings; no ruling exists yet, so it is the headline itself."""
from django.db import migrations, models


def same_as_headline(apps, schema_editor):
    ArticleSummary = apps.get_model("annotations", "ArticleSummary")
    ArticleSummary.objects.update(ruled_sourced_fact_share=models.F("sourced_fact_share"))


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0014_rulings'),
    ]

    operations = [
        migrations.AddField(
            model_name='articlesummary',
            name='ruled_sourced_fact_share',
            field=models.FloatField(help_text="The headline after editors' rulings on disputed passages (the headline itself when no ruling applies).", null=True),
        ),
        migrations.RunPython(same_as_headline, migrations.RunPython.noop),
    ]
