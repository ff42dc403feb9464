"""Everything that leaves Dossier: the articles table's rows (rows.py) written as CSV, XLSX or JSON
(writers.py), an article's report as JSON (report_data.py) and W3C Web Annotations (web_annotations.py).

Table exports read the rows as plain values a chunk at a time, so exporting the whole corpus holds one
chunk in memory and takes seconds. django-tables2's TableExport would put every row, as model instances,
into one tablib Dataset first (tablib's XLSX writer then builds the whole workbook in memory), and its
per-cell value dispatch alone took a minute for 100,000 rows.
"""
from urllib.parse import urljoin

from django.conf import settings


def absolute_url(path, request=None):
    """The path as a full URL: on the request's host, or on SITE_URL outside a request."""
    return request.build_absolute_uri(path) if request is not None else urljoin(settings.SITE_URL, path)
