"""Exports for editors: the articles table as CSV, XLSX or JSON, an article's report as JSON, the export log.

Table exports take the table's own columns and export values (django-tables2's `value_*` methods and
invisible columns) and read the filtered, sorted rows in chunks, so that exporting the whole corpus
holds one chunk in memory rather than the corpus. django-tables2's TableExport would put every row
into one tablib Dataset first, and tablib's XLSX writer builds the whole workbook in memory.
"""
import csv
import datetime
import io
import json
import tempfile
from urllib.parse import urljoin

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import Export

CHUNK = 1000  # rows read, and written, at a time

# A spreadsheet runs a cell that starts with one of these as a formula (the full-width forms too, in
# some locales). The apostrophe makes it text, the way a spreadsheet user would type it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Parameters of a page, not of the rows it shows.
PAGE_PARAMETERS = {"page", "per_page", "_export"}


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
        if key not in PAGE_PARAMETERS and any(values)
    }


def table_values(table):
    """The table's export header, then each row's export values, read from its sorted queryset in chunks.

    Cells the page shows as a placeholder ("—") are None.
    """
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    yield [force_str(column.column.export_header if hasattr(column.column, "export_header") else column.header)
           for column in columns]
    for record in table.data.data.iterator(chunk_size=CHUNK):
        row = BoundRow(record, table=table)
        yield [_plain(row.get_cell_value(column.name), column.default) for column in columns]


def _plain(value, placeholder):
    if value is None or value == placeholder:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return force_str(value, strings_only=True)


def csv_chunks(values):
    """CSV text in chunks of rows, with a byte-order mark so that spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
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


def write_table(values, export_format, file, title):
    """The rows into an open binary file, for the export command."""
    if export_format == "xlsx":
        write_xlsx(values, file, title)
        return
    for chunk in text_chunks(values, export_format):
        file.write(chunk.encode("utf-8"))


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

