"""Background jobs on Django's tasks framework (django-tasks, with django-tasks-db's database queue).

A page starts a job with start_import() or start_poll(): the Job row, its inputs and the queued task are
written in one transaction; `manage.py db_worker` runs the task, which records each item on the Job as it
is done, so the page that started it shows the progress.
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_tasks import task

from .ingest import Metadata, import_file, import_urls, read_uploads
from .ingest.fetching import Fetcher
from .models import Job, JobFile, Source
from .polling import PACE, poll_sources


def own_job(request):
    """The job named by ?job=, if the user started it (or is an admin); None without one; 404 otherwise."""
    job_id = request.GET.get("job", "")
    if not job_id:
        return None
    if not job_id.isdigit() or len(job_id) > 18:
        raise Http404("No such job.")
    job = get_object_or_404(Job, pk=int(job_id))
    if not job.may_be_followed_by(request.user):
        raise PermissionDenied("Only who started this job, or an admin, may follow it.")
    return job


def start_import(uploads, urls, metadata, user, max_records=None):
    """A Job importing these uploaded files (read now, kept until the worker reads them) and addresses.

    A file refused unread (too large) is a line on the job at once.
    """
    read = list(read_uploads(uploads))
    refused = [result.as_line() for _, _, result in read if result]
    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.IMPORT, total=len(read) + len(urls), created_by=user,
                                 done=len(refused), lines=refused)
        JobFile.objects.bulk_create([JobFile(job=job, name=name[:255], data=data)
                                     for name, data, result in read if not result])
        run_import.enqueue(job.pk, list(urls), _plain(metadata), max_records)
    return job


def start_poll(source_ids, user):
    """A Job polling these sources."""
    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.POLL, total=len(source_ids), created_by=user)
        run_poll.enqueue(job.pk, list(source_ids))
    return job


@task()
def run_import(job_id, urls, metadata, max_records=None):
    """Import the job's files, then fetch its addresses; a line on the job for each."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    metadata, user = Metadata(**{**metadata, "authors": tuple(metadata["authors"])}), job.created_by
    imported, duplicates, failed = 0, 0, len(job.lines)  # the lines so far are files refused unread
    with finishing(job):
        for upload in job.files.order_by("id"):
            result = import_file(upload.name, bytes(upload.data), metadata, user, max_records=max_records)
            upload.delete()
            imported, duplicates, failed = _count(result, imported, duplicates, failed)
            job.advance(result.as_line())
        def progress(result):
            nonlocal imported, duplicates, failed
            imported, duplicates, failed = _count(result, imported, duplicates, failed)
            job.advance(result.as_line())

        with Fetcher() as fetcher:
            import_urls(urls, metadata, user, progress, fetcher)
        job.finish(f"{imported} imported, {duplicates} duplicate, {failed} failed")


@task()
def run_poll(job_id, source_ids):
    """Poll the job's sources, paced per host; a line on the job for each source."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    with finishing(job):
        sources = Source.objects.filter(pk__in=source_ids).select_related("outlet")
        def progress(result):
            job.advance({"text": result.summary(), "entries": result.lines})

        with Fetcher(pace=PACE) as fetcher:
            results = poll_sources(sources, job.created_by, progress, fetcher)
        new, unchanged, failed = (sum(getattr(result, name) for result in results)
                                  for name in ("new", "unchanged", "failed"))
        job.finish(f"{new} new, {unchanged} unchanged, {failed} failed entries; "
                   f"{sum(bool(result.error) for result in results)} failed sources")


class finishing:
    """A job whose task crashed says so on its page, rather than waiting for ever."""

    def __init__(self, job):
        self.job = job

    def __enter__(self):
        return self.job

    def __exit__(self, kind, error, traceback):
        if error is not None:
            self.job.finish(f"stopped by an unexpected error ({kind.__name__}), logged for the administrators",
                            failed=True)
        return False


def _count(result, imported, duplicates, failed):
    return imported + len(result.imported), duplicates + len(result.duplicates), failed + result.failed


def _plain(metadata):
    """Metadata as the task's JSON arguments."""
    return {"outlet": metadata.outlet, "authors": list(metadata.authors), "url": metadata.url,
            "language": metadata.language, "published": metadata.published}
