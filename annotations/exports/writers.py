"""Rows out as files: CSV and JSON streamed in chunks, XLSX row by row, spreadsheet formulas neutralised,
the export log's row count taken as the last row passes, and files replaced only once complete.
"""
import csv
import io
import json
import os
import tempfile
from contextlib import contextmanager

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CHUNK = 1000  # rows written at a time: one chunk of the stream

# A spreadsheet runs a cell that starts with one of these as a formula (the full-width forms too, in
# some locales). The apostrophe makes it text, the way a spreadsheet user would type it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def neutralise(value):
    """A text that a spreadsheet would run as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def write_table(values, export_format, file, title):
    """Write the rows to a binary file: the bytes table_response() would send."""
    if export_format == "xlsx":
        write_xlsx(values, file, title)
        return
    for chunk in text_chunks(values, export_format):
        file.write(chunk.encode("utf-8"))


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
    for row in values:
        rows += 1
        yield row
    entry.finish(rows)


@contextmanager
def replacing(path):
    """A binary file that replaces `path` only once the block completes, so that a failed export never
    leaves a half-written file; it is written beside `path`, whose folder must exist.
    """
    directory = path.resolve().parent
    if not directory.is_dir():
        raise FileNotFoundError(f"{path}: the folder {directory} does not exist.")
    file = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", delete=False)
    try:
        with file:
            yield file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(file.name, 0o666 & ~umask)  # as a plainly created file would be
        os.replace(file.name, path)
    finally:
        if os.path.exists(file.name):
            os.unlink(file.name)
