"""run.py's reading of the servers' logs and of /proc: pure helpers, no load run (that is perf/loadtest/run.py's)."""
import os

from perf.loadtest import run

ACCESS = (
    '127.0.0.1 - - [01/Dec/2026:19:00:00 +0000] "GET /review/ HTTP/1.1" 200 5120 "-" "locust" {micros}\n'
)


def test_server_trouble_adds_up_every_app_server_and_the_worker_log(tmp_path):
    (tmp_path / "gunicorn-1-access.log").write_text(ACCESS.format(micros=250000) * 2)
    (tmp_path / "gunicorn-1-error.log").write_text("[INFO] Booting worker\n")
    (tmp_path / "gunicorn-2-access.log").write_text(
        ACCESS.format(micros=1500000) + ACCESS.format(micros=10).replace('" 200 ', '" 502 ')
    )
    (tmp_path / "gunicorn-2-error.log").write_text("[CRITICAL] WORKER TIMEOUT (pid:12)\n")
    (tmp_path / "worker.log").write_text("Traceback (most recent call last):\n  File ...\nValueError\n")

    trouble, statuses, served = run.server_trouble(tmp_path, ["gunicorn-1", "gunicorn-2"], ["worker.log"])

    assert statuses == {"200": 3, "502": 1}
    assert served == {"gunicorn-1": {"requests": 2, "busy_s": 0.5}, "gunicorn-2": {"requests": 2, "busy_s": 1.5}}
    assert trouble["server 5xx"] == 1 and trouble["worker timeouts"] == 1 and trouble["tracebacks"] == 1
    assert trouble["database is locked"] == 0


def test_cpu_ticks_reads_this_process_and_none_once_a_process_is_gone():
    parent, ticks = run.cpu_ticks(os.getpid())
    assert parent == os.getppid() and ticks >= 0
    assert run.cpu_ticks(2**22 + 1) is None  # above the kernel's largest pid
    busy, total = run.machine_ticks()
    assert 0 <= busy <= total
