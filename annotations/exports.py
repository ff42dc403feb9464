"""Exports for editors: the articles table as CSV, XLSX or JSON, an article's report as JSON, the export log.

Table exports have the articles table's columns (its headers, its sort, its filter) and read the rows
as plain values a chunk at a time, so exporting the whole corpus holds one chunk in memory and takes
seconds. django-tables2's TableExport would put every row, as model instances, into one tablib
Dataset first (tablib's XLSX writer then builds the whole workbook in memory), and its per-cell
value dispatch alone took a minute for 100,000 rows.
"""
import csv
import datetime
import io
import json
import tempfile
from collections import defaultdict
from urllib.parse import urljoin

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dossier.bulk import batches
from dossier.models import Article

from .filters import CredibilityFilter, parameter_names
from .models import Export
from .tables import summary_path_around_id
from .templatetags.scores import summary_status

CHUNK = 1000  # rows read, and written, at a time

# A spreadsheet runs a cell that starts with one of these as a formula (the full-width forms too, in
# some locales). The apostrophe makes it text, the way a spreadsheet user would type it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# What the log keeps of a query string: the articles table's filter and sort.
LOGGED_PARAMETERS = parameter_names(CredibilityFilter) | {"sort"}


def absolute_url(path, request=None):
    """The path as a full URL: on the request's host, or on SITE_URL outside a request."""
    return request.build_absolute_uri(path) if request is not None else urljoin(settings.SITE_URL, path)


def neutralise(value):
    """A text that a spreadsheet would run as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def parameters(query):
    """The filter and sort in a query string, as the export log keeps them."""
    return {
        key: values[0] if len(values) == 1 else values
        for key, values in query.lists()
        if key in LOGGED_PARAMETERS and any(values)
    }


def table_values(table):
    """The articles table's exported columns: their headers, then one row per record of its sorted queryset.

    Rows are read as plain values a chunk at a time: model instances and django-tables2's per-cell
    dispatch cost ten times as much at 100,000 rows. Each value is the number or text the page shows;
    None where the page shows "—".
    """
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    readers = _article_readers(getattr(table, "request", None))
    yield [f"{column.header} (%)" if readers[column.name][1] is _percent else force_str(column.header)
           for column in columns]
    paths = [readers[column.name][0] for column in columns]
    fields = list(dict.fromkeys(["id", *(path for path in paths if path is not AUTHORS)]))
    at = {field: position for position, field in enumerate(fields)}
    cells = [(at.get(path), convert) for path, convert in (readers[column.name] for column in columns)]
    records = table.data.data.prefetch_related(None).values_list(*fields)
    for chunk in batches(records.iterator(chunk_size=CHUNK), CHUNK):
        authors = _author_names([record[0] for record in chunk]) if AUTHORS in paths else {}
        for record in chunk:
            yield [
                authors.get(record[0]) if position is None
                else record[position] if convert is None or record[position] is None
                else convert(record[position])
                for position, convert in cells
            ]


AUTHORS = object()  # the authors column: names read for a whole chunk at once


def _percent(share):
    return round(share * 100, 1)


def _article_readers(request):
    """{column of tables.CredibilityTable: (values() path, conversion)}; a new column needs an entry."""
    before, after = summary_path_around_id()
    summary = absolute_url(before, request)
    return {
        "id": ("id", None),
        "title": ("title", None),
        "outlet": ("outlet__name", None),
        "authors": (AUTHORS, None),
        "published": ("published", datetime.date.isoformat),
        "word_count": ("word_count", None),
        "reviewers": ("reviewers", None),
        "sourced_fact_share": ("sourced_fact_share", _percent),
        "unsourced_share": ("unsourced_share", _percent),
        "opinion_share": ("opinion_share", _percent),
        "agreement": ("agreement", lambda alpha: round(alpha, 3)),
        "status": ("status", summary_status),
        "summary_url": ("id", lambda pk: f"{summary}/{pk}/{after}"),
        "url": ("url", lambda url: url or None),
    }


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


def csv_chunks(values):
    """CSV text in chunks of rows, with a byte-order mark so that spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    # Every field quoted: a spreadsheet set to split on ";" (as in Turkish, German or French) would
    # otherwise cut "x;=1+1" into cells and run the second.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    buffer.write("\ufeff")
    for number, row in enumerate(values, start=1):
        writer.writerow(["" if value is None else neutralise(value) for value in row])
        if number % CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def json_chunks(values):
    """A JSON array with one object per row, keyed by the column headers, in chunks of rows."""
    header = next(values)
    buffer = io.StringIO()
    buffer.write("[")
    for number, row in enumerate(values, start=1):
        if number > 1:
            buffer.write(",")
        buffer.write("\n")
        buffer.write(json.dumps(dict(zip(header, row)), ensure_ascii=False))
        if number % CHUNK == 0:
            yield _drain(buffer)
    buffer.write("\n]\n")
    yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_xlsx(values, file, title):
    """Write the rows as a one-sheet workbook, row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in values:
        # XML cannot hold most control characters; they cannot be typed into a spreadsheet either.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(value)) if isinstance(value, str) else value
                      for value in row])
    workbook.save(file)


def text_chunks(values, export_format):
    return csv_chunks(values) if export_format == "csv" else json_chunks(values)


def table_response(values, export_format, filename, title):
    """The rows as a download: CSV and JSON streamed as they are read; XLSX spooled to a file first."""
    content_type = TABLE_FORMATS[export_format]
    if export_format == "xlsx":
        file = tempfile.TemporaryFile()
        write_xlsx(values, file, title)
        file.seek(0)
        return FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response = StreamingHttpResponse(text_chunks(values, export_format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def logged(values, entry):
    """The header and rows, unchanged; once the last row has been read, the log entry gets their number."""
    yield next(values)
    rows = 0
    for rows, row in enumerate(values, start=1):
        yield row
    entry.finish(rows)


def log(kind, export_format, rows, *, user=None, username="", via=Export.Via.WEB, parameters=None, article=None):
    """Record an export in the log admins read."""
    return Export.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=username or user.get_username(),
        via=via,
        kind=kind,
        format=export_format,
        rows=rows,
        parameters=parameters or {},
        article=article,
    )


def report_data(report, absolute):
    """An article's report (reports.article_report) as plain data for JSON; `absolute` makes a path a URL."""
    article = report.article
    shares = report.shares
    return {
        "article": {
            "id": article.pk,
            "title": article.title,
            "summary_url": absolute(reverse("annotations:summary", args=[article.pk])),
            "source_url": article.url or None,
            "outlet": {"id": article.outlet.pk, "name": article.outlet.name} if article.outlet else None,
            "authors": [{"id": author.pk, "name": author.name} for author in article.authors.all()],
            "published": article.published.isoformat() if article.published else None,
            "language": article.language or None,
            "words": article.word_count,
            "characters": shares.total,
        },
        "sourced_fact_share": shares.sourced_fact_share,
        "shares": {
            category: {"characters": chars, "share": share} for category, _label, chars, share in shares.rows()
        },
        "agreement": report.score.agreement,
        "reviewers": [
            {
                "username": review.reviewer.get_username(),
                "status": review.status,
                "counted": review.is_submitted,
                "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
            }
            for review in report.reviews
        ],
        "flags_used": [
            {"flag": flag.name, "category": flag.category, "uses": uses} for flag, uses in report.flag_counts
        ],
        "passages": [
            {
                "id": passage.pk,
                "paragraph": passage.paragraph + 1,
                "sentence": passage.sentence + 1,
                "start": passage.start,
                "end": passage.end,
                "text": passage.text,
                "consensus": passage.category,
                "reviewers_differ": passage.disagreement,
                "flags": [
                    {
                        "flag": mark.flag.name,
                        "category": mark.flag.category,
                        "reviewer": mark.reviewer.get_username(),
                        "note": mark.note or None,
                        "evidence_url": mark.evidence_url or None,
                        "quote": mark.quote or None,
                    }
                    for mark in passage.flags
                ],
            }
            for passage in report.passages
        ],
    }

