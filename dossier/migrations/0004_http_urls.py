"""Web addresses are http or https only, as the import already had it (dossier.validators.web_url)."""
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossier', '0003_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='url',
            field=models.URLField(blank=True, help_text='Address of the original, if known.', max_length=2000, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='url',
            field=models.URLField(blank=True, help_text='Address of the original, if known.', max_length=2000, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='historicaloutlet',
            name='website',
            field=models.URLField(blank=True, help_text='Home page, e.g. https://www.example.com.', max_length=500, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='outlet',
            name='website',
            field=models.URLField(blank=True, help_text='Home page, e.g. https://www.example.com.', max_length=500, validators=[django.core.validators.URLValidator(code='not_web', message='Enter a valid URL. Only web addresses (http:// or https://) are accepted.', schemes=['http', 'https'])]),
        ),
    ]
