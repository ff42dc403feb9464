import pytest

from dossier.bulk import batches, insert_rows
from dossier.models import Outlet


def test_batches_never_exceed_the_size_and_lose_nothing():
    chunks = list(batches(range(1201), 500))
    assert [len(chunk) for chunk in chunks] == [500, 500, 201]
    assert [item for chunk in chunks for item in chunk] == list(range(1201))


def test_batches_of_nothing_is_no_batch():
    assert list(batches(iter([]))) == []


@pytest.mark.django_db
def test_insert_rows_writes_every_row_across_batches():
    insert_rows(Outlet, ["name", "kind", "country", "language", "website", "notes"],
                ((f"Outlet {n}", "", "", "", "", "") for n in range(7)), batch_size=3)
    assert sorted(Outlet.objects.values_list("name", flat=True)) == [f"Outlet {n}" for n in range(7)]
