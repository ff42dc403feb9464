"""Web addresses are http or https only, as the import already had it (dossier.validators.web_url)."""
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0008_role_permissions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='annotation',
            name='evidence_url',
            field=models.URLField(blank=True, help_text='A source that supports the note.', max_length=2000, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='historicalannotation',
            name='evidence_url',
            field=models.URLField(blank=True, help_text='A source that supports the note.', max_length=2000, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
    ]
