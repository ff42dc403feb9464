"""The articles table's rows as plain values, from a sorted queryset and columns.CREDIBILITY: no Table object."""
from collections import defaultdict

from dossier.bulk import batches
from dossier.models import Article

from annotations.columns import AUTHORS, summary_path_around_id

CHUNK = 1000  # rows read at a time: the authors are fetched once a chunk


def table_rows(articles, columns, absolute):
    """The columns' export headers, then one row per article of the (sorted) ScoredArticle queryset.

    Rows are read as plain values a chunk at a time: model instances and django-tables2's per-cell
    dispatch cost ten times as much at 100,000 rows. Each value is the number or text the page shows;
    None where the page shows "—". `absolute` makes a path a URL.
    """
    yield [column.export_header for column in columns]
    paths = [column.path for column in columns]
    fields = list(dict.fromkeys(["id", *(path for path in paths if path != AUTHORS)]))
    at = {field: position for position, field in enumerate(fields)}
    cells = [(at.get(column.path), _exporter(column, absolute)) for column in columns]
    records = articles.prefetch_related(None).values_list(*fields)
    for chunk in batches(records.iterator(chunk_size=CHUNK), CHUNK):
        authors = _author_names([record[0] for record in chunk]) if AUTHORS in paths else {}
        for record in chunk:
            yield [
                authors.get(record[0]) if position is None
                else record[position] if export is None or record[position] is None
                else export(record[position])
                for position, export in cells
            ]


def _exporter(column, absolute):
    """The column's export conversion; a summary URL's parts are reversed once per export, not per row."""
    if not column.exports_summary_url:
        return column.export
    before, after = summary_path_around_id()
    summary = absolute(before)
    return lambda pk: f"{summary}/{pk}/{after}"


def _author_names(article_ids):
    """{article id: its authors' names, joined as the page lists them}."""
    names = defaultdict(list)
    for article_id, name in (
        Article.authors.through.objects.filter(article_id__in=article_ids)
        .order_by("author__name", "author_id")
        .values_list("article_id", "author__name")
    ):
        names[article_id].append(name)
    return {article_id: "; ".join(found) for article_id, found in names.items()}
