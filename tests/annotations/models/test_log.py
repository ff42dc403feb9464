import pytest

from annotations.models import Export

pytestmark = pytest.mark.django_db


def test_start_records_who_what_and_no_rows_until_finished(editor):
    entry = Export.objects.start(Export.Kind.TABLE, "csv", user=editor, parameters={"q": "Iran"})
    entry.refresh_from_db()
    assert (entry.user, entry.username, entry.via, entry.kind, entry.format, entry.rows, entry.parameters) == (
        editor, "ed", Export.Via.WEB, Export.Kind.TABLE, "csv", None, {"q": "Iran"})
    entry.finish(12)
    entry.refresh_from_db()
    assert entry.rows == 12


def test_a_command_export_names_the_system_account():
    entry = Export.objects.start(Export.Kind.ANNOTATIONS, "jsonld", 3, username="cron", via=Export.Via.COMMAND)
    assert (entry.user, entry.username, entry.via, entry.rows) == (None, "cron", Export.Via.COMMAND, 3)
