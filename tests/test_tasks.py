"""A real worker: `manage.py db_worker` in its own process runs an import job queued in the database."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from webserver import Route, WebServer, page

ROOT = Path(__file__).resolve().parents[1]

ENQUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from dossier.ingest import Metadata
from dossier.tasks import start_import
upload = SimpleUploadedFile("note.txt", b"A headline\\n\\nA body sentence from a file.")
job = start_import([upload], {urls!r}, Metadata(), None)
print(job.pk)
"""
READ = """
import json
from dossier.models import Article, Job
job = Job.objects.get()
print(json.dumps({"status": job.status, "done": job.done, "summary": job.summary, "files_left": job.files.count(),
                  "titles": sorted(Article.objects.values_list("title", flat=True))}))
"""


def manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def read(env):
    out = manage(env, "shell", "-c", READ)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def server():
    web = WebServer()
    yield web
    web.close()


def test_a_worker_process_runs_a_queued_import_job_and_records_its_progress(tmp_path, server):
    server.routes["/a"] = Route(page("From the web", ["Officials met on the border on Tuesday, the ministry said."]))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}", "DOSSIER_ENV_FILE": "",
           "SECRET_KEY": "worker-test-key", "DEBUG": "0", "HTTPS": "0", "DOSSIER_PERF": "",
           "DOSSIER_TASK_BACKEND": "django_tasks_db.DatabaseBackend", "DOSSIER_FETCH_ALLOW_LOOPBACK": "1"}
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-c", ENQUEUE.format(urls=[server.url("/a"), server.url("/missing")]))
    before = read(env)
    assert (before["status"], before["done"], before["titles"]) == ("queued", 0, [])

    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")

    after = read(env)
    assert after == {"status": "done", "done": 3, "summary": "2 imported, 0 duplicate, 1 failed", "files_left": 0,
                     "titles": ["A headline", "From the web"]}
