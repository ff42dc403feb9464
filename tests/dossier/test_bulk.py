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


@pytest.mark.django_db
def test_create_instances_gives_each_row_its_id_and_stores_every_field():
    from datetime import date

    from django.utils import timezone

    from dossier.bulk import create_instances
    from dossier.models import Article

    now = timezone.now()
    articles = [Article(title=f"Bulk {n}", body=f"Text {n}.", published=date(2024, 1, n + 1), imported_at=now,
                        original_text=f"  Text {n}.") for n in range(7)]
    for article in articles:
        article.set_derived_fields()
    create_instances(articles, batch_size=3)
    stored = {article.pk: article for article in Article.objects.all()}
    assert sorted(stored) == sorted(article.pk for article in articles)
    for article in articles:
        again = stored[article.pk]
        assert (again.title, again.body, again.published, again.imported_at, again.content_hash, again.original_text) \
            == (article.title, article.body, article.published, now, article.content_hash, f"  {article.body}")
    assert not articles[0]._state.adding
