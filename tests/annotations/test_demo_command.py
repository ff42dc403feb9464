import os
import re
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from dossier.models import Article
from dossier.roles import Role, roles_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def demo(*args):
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_imports_the_corpus_and_creates_users_whose_passwords_are_printed_once():
    out = demo()

    assert "Sample corpus: 5 imported, 0 duplicate, 0 failed." in out
    passwords = dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)$", out, re.MULTILINE))
    assert set(passwords) == {"admin", "editor", "reviewer1", "reviewer2"}
    for username, password in passwords.items():
        assert authenticate(RequestFactory().post("/"), username=username, password=password) is not None
    users = {u.username: u for u in get_user_model().objects.all()}
    assert roles_of(users["editor"]) == {Role.EDITOR}
    assert roles_of(users["reviewer1"]) == {Role.REVIEWER}
    assert users["admin"].is_superuser

    again = demo()
    assert "Sample corpus: 0 imported, 5 duplicate, 0 failed." in again
    assert not any(password in again for password in passwords.values())
    assert Article.objects.count() == 5
    assert get_user_model().objects.count() == 4


def test_demo_can_reset_passwords():
    demo()
    out = demo("--reset-passwords")
    passwords = dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)$", out, re.MULTILINE))
    assert authenticate(RequestFactory().post("/"), username="reviewer2", password=passwords["reviewer2"]) is not None


def test_demo_loads_two_reviewers_submitted_reviews_once_and_the_pages_show_their_scores(client):
    from annotations.models import Annotation, ArticleSummary, Review
    from annotations.summaries import differences

    out = demo()
    assert "Sample reviews: 8 submitted reviews by reviewer1 and reviewer2 loaded." in out
    assert Review.objects.filter(status=Review.Status.SUBMITTED).count() == 8
    reviewed = ArticleSummary.objects.filter(reviewers=2)
    assert reviewed.count() == 4
    not_started = ArticleSummary.status_is(ArticleSummary.Status.NOT_STARTED, through="")
    assert ArticleSummary.objects.filter(not_started).count() == 1  # left for the demo reviewers to try
    assert list(differences(list(Article.objects.values_list("pk", flat=True)))) == []
    flags = Annotation.objects.count()

    assert "Sample reviews" not in demo()
    assert Annotation.objects.count() == flags

    client.force_login(get_user_model().objects.get(username="editor"))
    for summary in reviewed:
        content = client.get(f"/articles/{summary.article_id}/summary/").content.decode()
        assert f'<span class="headline-figure">{summary.sourced_fact_share * 100:.1f}%</span>' in content
        assert f"<strong>{summary.agreement:.2f}</strong>" in content


def test_demo_writes_the_local_env_file_once_so_that_the_other_commands_need_no_debug(settings, tmp_path, monkeypatch):
    from dossier import localenv

    settings.ENV_FILE = str(tmp_path / ".env")
    monkeypatch.setattr(localenv, "written", set())
    out = demo()
    assert f"Wrote {tmp_path / '.env'} (DEBUG=1 and a new SECRET_KEY" in out
    written = (tmp_path / ".env").read_text()
    values = localenv.read(tmp_path / ".env")
    assert values["DEBUG"] == "1" and len(values["SECRET_KEY"]) >= 50
    assert (tmp_path / ".env").stat().st_mode & 0o777 == 0o600

    monkeypatch.setattr(localenv, "written", set())  # as a new process would start
    again = demo()
    assert "kept as it is" in again
    assert (tmp_path / ".env").read_text() == written


def test_demo_writes_no_env_file_when_settings_read_none(settings):
    settings.ENV_FILE = ""
    out = demo()
    assert "Wrote" not in out and "Local settings" not in out


def test_demo_serves_with_a_task_worker_beside_the_server_and_stops_it_after(monkeypatch):
    from annotations.management.commands import demo as command

    started, served, workers = [], [], []

    class Worker:
        def __init__(self, args):
            started.append(args)
            self.args, self.stopped = args, False
            workers.append(self)

        def terminate(self):
            self.stopped = True

        def wait(self, timeout):
            return 0

    real_call = command.call_command

    def fake_call(name, *args, **kwargs):
        if name == "runserver":
            served.append(args)
            return None
        return real_call(name, *args, **kwargs)

    monkeypatch.setattr(command.subprocess, "Popen", Worker)
    monkeypatch.setattr(command, "call_command", fake_call)
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())

    assert served == [("127.0.0.1:8000",)]
    assert started and started[0][-2:] == ["db_worker", "--no-reload"]
    assert workers[0].stopped  # the worker ends with the server
    assert "with a task worker" in out.getvalue()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_demo_stopped_by_a_signal_stops_its_task_worker_too(tmp_path, stop):
    with socket.socket() as probe:  # a free port for the demo's server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "DOSSIER_ENV_FILE": "",
           "SECRET_KEY": "demo-signal-test-key", "DEBUG": "1", "DOSSIER_PERF": ""}
    demo_process = subprocess.Popen([sys.executable, "manage.py", "demo", "--addrport", f"127.0.0.1:{port}"],
                                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        deadline = time.monotonic() + 120
        while not workers or not _serving(port):
            assert demo_process.poll() is None, "the demo ended before serving"
            assert time.monotonic() < deadline, "the demo did not start serving"
            workers = _children(demo_process.pid)
            time.sleep(0.2)
        assert len(workers) == 1 and "db_worker" in Path(f"/proc/{workers[0]}/cmdline").read_text()

        demo_process.send_signal(stop)
        demo_process.wait(timeout=30)
        assert not _alive(workers[0])
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if demo_process.poll() is None:
            demo_process.kill()
            demo_process.wait()


def _serving(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _children(pid):
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
