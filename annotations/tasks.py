"""Exports too big for a request, written by the task worker onto a Job (dossier.tasks has the imports).

start_table_export() queues the articles table's download as a job; the worker writes the same bytes the
request would have streamed into the job's file, counting rows on the job as it goes, and whoever started
it downloads the file from the job's page (views.exports.export_file).
"""
import tempfile
from functools import partial
from urllib.parse import urljoin

from django.db import transaction
from django.http import QueryDict
from django_tasks import task

from dossier.models import Job, JobFile
from dossier.tasks import finishing

from . import columns
from .exports import writers
from .exports.rows import table_rows
from .filters import filtered_articles, logged_parameters
from .models import Export

PROGRESS_EVERY = 1000  # rows between two saves of the job's progress


def start_table_export(query, export_format, rows, filename, user, base_url, linked_from=""):
    """A Job writing the articles table (the filter and sort of `query`, a QueryDict) as a file."""
    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.EXPORT, total=rows, created_by=user)
        run_table_export.enqueue(job.pk, query.urlencode(), export_format, filename, base_url, linked_from)
    return job


@task()
def run_table_export(job_id, query, export_format, filename, base_url, linked_from):
    """Write the table's rows to the job's file, logged as the request's export would be."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    with finishing(job):
        parameters = QueryDict(query)
        articles = columns.sort(filtered_articles(parameters), parameters.getlist("sort"))
        entry = Export.objects.start(Export.Kind.TABLE, export_format, user=job.created_by,
                                     parameters=logged_parameters(parameters), linked_from=linked_from)
        rows = table_rows(articles, columns.CREDIBILITY, partial(urljoin, base_url))
        with tempfile.TemporaryFile() as file:
            writers.write_table(_counted(writers.logged(rows, entry), job), export_format, file, "Articles")
            file.seek(0)
            JobFile.objects.create(job=job, name=filename, data=file.read())
        job.progress(entry.rows)
        job.finish(f"{entry.rows:,} rows written to {filename}, ready to download.")


def _counted(values, job):
    """The header and rows, unchanged; the job's count of rows done is saved every PROGRESS_EVERY rows."""
    yield next(values)
    done = 0
    for row in values:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            job.progress(done)

