"""The export log, readable by the Admin role."""
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def let_admins_read_the_log(apps, schema_editor):
    app_config = apps.get_app_config("annotations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    apps.get_model("auth", "Group").objects.get(name="Admin").permissions.add(
        Permission.objects.get(content_type__app_label="annotations", codename="view_export")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0004_history'),
        ('dossier', '0003_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Export',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(help_text='Login name, or the system account for a command.', max_length=150)),
                ('via', models.CharField(choices=[('web', 'Web'), ('command', 'Command')], max_length=10)),
                ('kind', models.CharField(choices=[('table', 'Articles table'), ('report', 'Article report'), ('annotations', 'Web annotations')], max_length=12)),
                ('format', models.CharField(max_length=10)),
                ('parameters', models.JSONField(blank=True, default=dict, help_text='The filter and sort asked for.')),
                ('rows', models.PositiveIntegerField(blank=True, help_text='Rows, passages or annotations exported; empty while it runs, or when it did not finish.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('article', models.ForeignKey(blank=True, help_text='The article, for a one-article export.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dossier.article')),
                ('user', models.ForeignKey(blank=True, help_text='Who exported, when through the web.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.RunPython(let_admins_read_the_log, migrations.RunPython.noop),
    ]
