"""A real worker: `manage.py db_worker` in its own process sends the deliveries an import queued, and queues a
retry for its backoff time (run_after) on the database queue."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from webserver import Route, WebServer

from webhooks import signing

SETUP = """
from webhooks.models import Webhook
Webhook.objects.create(name="Up", url={up!r}, secret="worker-secret", events=["article.imported"])
Webhook.objects.create(name="Down", url={down!r}, secret="worker-secret", events=["article.imported"])
from dossier.ingest import import_file
print(import_file("note.txt", b"A headline\\n\\nA body sentence from a file.").imported)
"""
READ = """
import json
from django_tasks_db.models import DBTaskResult
from webhooks.models import Delivery
queued = {str(r.args_kwargs["args"][0]): r.run_after.isoformat() for r in DBTaskResult.objects.filter(status="READY")}
print(json.dumps({d.webhook.name: [d.state, d.attempts, d.last_status, d.last_error,
                                   d.next_attempt_at and d.next_attempt_at.isoformat(), queued.get(str(d.pk))]
                  for d in Delivery.objects.select_related("webhook")}))
"""
ROOT = Path(__file__).resolve().parents[2]


def manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def read(env):
    return json.loads(manage(env, "shell", "-c", READ).strip().splitlines()[-1])


@pytest.fixture
def server():
    web = WebServer()
    web.routes["/up"] = Route(b"", status=204)
    web.routes["/down"] = Route(b"", status=503)
    yield web
    web.close()


def test_a_worker_process_sends_queued_deliveries_and_queues_a_retry_for_after_the_backoff(tmp_path, server):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'hooks.sqlite3'}", "DOSSIER_ENV_FILE": "",
           "SECRET_KEY": "worker-test-key", "DEBUG": "0", "HTTPS": "0", "DOSSIER_PERF": "",
           "DOSSIER_TASK_BACKEND": "django_tasks_db.DatabaseBackend", "DOSSIER_FETCH_ALLOW_LOOPBACK": "1"}
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-c", SETUP.format(up=server.url("/up"), down=server.url("/down")))
    before = read(env)
    assert [before[name][:2] for name in ("Up", "Down")] == [["pending", 0], ["pending", 0]]
    assert server.posts == []  # queued after the import's commit, sent by no one yet

    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")

    after = read(env)
    assert after["Up"] == ["delivered", 1, 204, "", None, None]
    state, attempts, status, error, next_attempt, run_after = after["Down"]
    assert (state, attempts, status, error) == ("pending", 1, 503, "the receiver answered HTTP 503")
    assert run_after == next_attempt  # the retry waits on the queue for its backoff
    up = next(post for post in server.posts if post.path == "/up")
    assert json.loads(up.body)["data"]["article"]["title"] == "A headline"
    assert signing.verify("worker-secret", up.headers["X-Dossier-Timestamp"], up.body,
                          up.headers["X-Dossier-Signature"], now=time.time())
