"""Load test: simulated reviewers against gunicorn on 127.0.0.1, then every acknowledgement checked.

    .venv/bin/python perf/loadtest/run.py --users 20 --seconds 60 [--database-url postgres://…] [--json FILE]

Builds a fresh database (a temporary SQLite file, or a PostgreSQL database it creates and drops),
imports the sample corpus plus small generated articles, creates reviewer accounts, collects static
files and serves the project with gunicorn in production settings (DEBUG off, plain http on
loopback). Locust (perf/loadtest/locustfile.py) then runs headless. Afterwards the script compares the
last acknowledged state of every flag each reviewer toggled with the database, runs
`manage.py recompute_summaries --check`, prints a table and exits non-zero on any failed request,
server error, mismatch or failing check.
"""
import argparse
import datetime
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from db_tasks import write_articles  # noqa: E402  (plain Python: needs no Django)

BASE_DIR = HERE.parent.parent  # the project: perf/loadtest/ → perf/ → .
PYTHON = sys.executable  # the project's venv: gunicorn and locust run as `python -m …` from it
PREFIX = "load"
# gunicorn's default access line plus the time the worker spent on the request, in microseconds
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
SERVER_TROUBLE = {
    "database is locked": re.compile(r"database is locked"),
    "tracebacks": re.compile(r"^Traceback \(most recent call last\)", re.MULTILINE),
    "deadlocks": re.compile(r"deadlock detected"),
    "worker timeouts": re.compile(r"WORKER TIMEOUT"),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated reviewers (default 20)")
    parser.add_argument("--seconds", type=int, default=60, help="how long they work (default 60)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: all in one second)")
    parser.add_argument("--database-url", help="PostgreSQL server URL; a fresh database is created on it and dropped "
                        "(the URL's database name if it has one, which must not exist yet). Default: temporary SQLite")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--articles", type=int, default=40, help="generated articles beside the sample corpus (40)")
    parser.add_argument("--wait", default="0.1,0.5", help="think time between steps, 'min,max' seconds")
    parser.add_argument("--submit-chance", type=float, default=0.25, help="chance a visit ends in a submit (0.25)")
    parser.add_argument("--seed", default="7", help="seed of the articles and of every reviewer's choices")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--workdir", type=Path,
                        help="keep scratch files (database, logs, acks.jsonl) in this directory")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def step(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, env, **kwargs):
    """Run a command from the project directory; raise with its output if it fails."""
    result = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


class Postgres:
    """A database created on the given server for this run, and dropped after it."""

    def __init__(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"--database-url must be a PostgreSQL URL, not {parts.scheme}://")
        self.name = parts.path.lstrip("/") or f"dossier_load_{secrets.token_hex(4)}"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.name):
            raise SystemExit(f"unsupported database name {self.name!r}")
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.created = False

    def _execute(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self):
        import psycopg

        try:
            self._execute(f'CREATE DATABASE "{self.name}"')  # fails if it exists: never reuse someone's data
        except psycopg.Error as error:
            raise SystemExit(f"cannot create database {self.name!r} on the server: {error}") from None
        self.created = True

    def drop(self):
        if self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False


def start_gunicorn(env, port, workers, logdir):
    access = open(logdir / "gunicorn-access.log", "w")
    errors = open(logdir / "gunicorn-error.log", "w")
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "dossier.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--no-control-socket",
         "--access-logfile", "-", "--access-logformat", ACCESS_FORMAT, "--timeout", "60", "--graceful-timeout", "20"],
        cwd=BASE_DIR, env=env, stdout=access, stderr=errors,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}):\n{(logdir / 'gunicorn-error.log').read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(process, timeout=30):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_trouble(logdir):
    errors = (logdir / "gunicorn-error.log").read_text(errors="replace")
    trouble = {name: len(pattern.findall(errors)) for name, pattern in SERVER_TROUBLE.items()}
    statuses = {}
    for line in (logdir / "gunicorn-access.log").read_text(errors="replace").splitlines():
        match = re.search(r'" (\d{3}) ', line)
        if match:
            statuses[match.group(1)] = statuses.get(match.group(1), 0) + 1
    trouble["server 5xx"] = sum(count for status, count in statuses.items() if status.startswith("5"))
    return trouble, statuses


def table(rows):
    header = (f"{'endpoint':<42} {'requests':>8} {'req/s':>7} {'p50 ms':>7} "
              f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}")
    lines = [header, "-" * len(header)]
    for row in rows:
        name = row["name"]
        if name == "overall":
            lines.append("-" * len(header))
        lines.append(
            f"{name:<42} {row['requests']:>8} {row['rps']:>7.1f} {_fmt(row['p50_ms'])} {_fmt(row['p95_ms'])} "
            f"{_fmt(row['p99_ms'])} {_fmt(row['max_ms'])} {row['failures']:>6}"
        )
    return "\n".join(lines)


def _fmt(value):
    return f"{'-' if value is None else value:>7}"


def main():
    args = parse_args()
    if importlib.util.find_spec("locust") is None:
        raise SystemExit(f'locust is not installed for {PYTHON}: pip install "locust>=2.30,<3"')
    scratch = args.workdir or Path(tempfile.mkdtemp(prefix="dossier-load-"))
    scratch.mkdir(parents=True, exist_ok=True)
    database = Postgres(args.database_url) if args.database_url else None
    database_url = database.url if database else f"sqlite:///{scratch / 'load.sqlite3'}"
    if not database:
        for stale in scratch.glob("load.sqlite3*"):
            stale.unlink()
    acks = scratch / "acks.jsonl"
    acks.unlink(missing_ok=True)
    password = secrets.token_urlsafe(18)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "STATIC_ROOT": str(scratch / "static"),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dossier.settings",
        "PYTHONUNBUFFERED": "1",
        "DOSSIER_ENV_FILE": "",  # this environment only: never a developer's .env beside manage.py
    }
    for name in ("TRUST_X_FORWARDED_PROTO", "CSRF_TRUSTED_ORIGINS", "AXES_PROXY_COUNT"):
        env.pop(name, None)
    python, manage = PYTHON, str(BASE_DIR / "manage.py")
    gunicorn = collectstatic = None
    finished = False
    started = datetime.datetime.now(datetime.UTC)
    try:
        backend = "PostgreSQL" if database else "SQLite"
        step(f"Fresh {backend} database: {database.name if database else database_url}")
        if database:
            database.create()
        # Needs no database, and is the slowest step (whitenoise compresses every file): run it meanwhile.
        collectstatic = subprocess.Popen([python, manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        run([python, manage, "migrate", "--noinput", "-v0"], env)
        step("Importing the sample corpus and generated articles")
        generated = scratch / "load_articles.jsonl"
        write_articles(generated, args.articles, args.seed)
        run([python, manage, "import_articles", "fixtures/seeds", str(generated),
             "--manifest", "fixtures/manifest.json", "-v0"], env)
        run([python, str(HERE / "db_tasks.py"), "users", "--count", str(args.users), "--prefix", PREFIX],
            {**env, "LOADTEST_PASSWORD": password})
        collected = collectstatic.communicate()[0]
        if collectstatic.returncode:
            raise SystemExit(f"collectstatic failed ({collectstatic.returncode}):\n{collected}")

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        step(f"gunicorn with {args.workers} workers on {host}")
        gunicorn = start_gunicorn(env, port, args.workers, scratch)

        load_before = os.getloadavg()[0]
        step(f"locust: {args.users} reviewers for {args.seconds} s (load average {load_before:.1f})")
        stats_file = scratch / "locust-stats.json"
        stats_file.unlink(missing_ok=True)
        locust_env = {
            **env,
            "LOADTEST_PASSWORD": password,
            "LOADTEST_ACKS": str(acks),
            "LOADTEST_USERS": str(args.users),
            "LOADTEST_PREFIX": PREFIX,
            "LOADTEST_SEED": args.seed,
            "LOADTEST_WAIT": args.wait,
            "LOADTEST_SUBMIT": str(args.submit_chance),
            "LOADTEST_STATS": str(stats_file),
        }
        with open(scratch / "locust.log", "w") as log:
            locust = subprocess.run(
                [PYTHON, "-m", "locust", "-f", HERE / "locustfile.py", "--headless", "--only-summary",
                 "-u", str(args.users), "-r", str(args.spawn_rate or args.users), "--run-time", f"{args.seconds}s",
                 "--stop-timeout", "20", "--host", host, "--loglevel", "INFO"],
                cwd=BASE_DIR, env=locust_env, stdout=log, stderr=subprocess.STDOUT,
            )
        load_after = os.getloadavg()[0]
        step("Stopping gunicorn")
        stop(gunicorn)
        gunicorn_status = gunicorn.returncode

        if not stats_file.exists():
            raise SystemExit(f"locust wrote no statistics:\n{(scratch / 'locust.log').read_text()}")
        stats = json.loads(stats_file.read_text())
        rows, overall, failures = stats["endpoints"], stats["total"], stats["errors"]
        trouble, statuses = server_trouble(scratch)

        step("Checking acknowledged annotations and stored summaries")
        verified = subprocess.run([python, str(HERE / "db_tasks.py"), "verify", "--acks", str(acks),
                                   "--prefix", PREFIX],
                                  cwd=BASE_DIR, env=env, capture_output=True, text=True)
        try:
            verification = json.loads(verified.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise SystemExit(f"verification failed to run:\n{verified.stdout}{verified.stderr}") from None
        check = subprocess.run([python, manage, "recompute_summaries", "--check", "-v0"],
                               cwd=BASE_DIR, env=env, capture_output=True, text=True)
        check_output = (check.stdout + check.stderr).strip()
        finished = True
    finally:
        if collectstatic is not None and collectstatic.poll() is None:
            collectstatic.kill()
            collectstatic.wait()
        if gunicorn is not None:
            stop(gunicorn)
        if database:
            database.drop()
        if not finished:
            print(f"Stopped early; scratch files (logs, database) are in {scratch}", file=sys.stderr)

    errors = overall["failures"]
    results = {
        "date": started.isoformat(timespec="seconds"),
        "database": backend,
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "think_time_s": args.wait,
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "requests": overall["requests"],
        "throughput_rps": overall["rps"],
        "p50_ms": overall["p50_ms"],
        "p95_ms": overall["p95_ms"],
        "errors": errors,
        "measured_s": stats["duration_s"],
        "endpoints": rows,
        "failures": failures,
        "server": {**trouble, "statuses": statuses, "gunicorn_exit": gunicorn_status},
        "locust_exit": locust.returncode,
        "verification": verification,
        "recompute_summaries_check": {"ok": check.returncode == 0, "output": check_output},
    }
    problems = []
    if errors:
        problems.append(f"{errors} failed requests")
    if not verification["toggles_acknowledged"]:
        problems.append("no toggle was acknowledged")
    if verification["mismatches"]:
        problems.append(f"{verification['mismatches']} acknowledged states differ from the database")
    if check.returncode:
        problems.append("recompute_summaries --check failed")
    for name, count in trouble.items():
        if count:
            problems.append(f"server log: {count} {name}")
    if locust.returncode and not errors:
        problems.append(f"locust exited with {locust.returncode}")
    results["ok"] = not problems
    results["problems"] = problems

    print()
    print(f"{args.users} reviewers × {args.seconds} s on {backend}, gunicorn {args.workers} workers, "
          f"think time {args.wait} s, {os.cpu_count()} CPUs, load average {load_before:.1f} before, "
          f"{load_after:.1f} after")
    print(table([*rows, overall]))
    print()
    print(f"errors: {errors}   server 5xx: {trouble['server 5xx']}   'database is locked': "
          f"{trouble['database is locked']}   tracebacks: {trouble['tracebacks']}")
    for failure in failures:
        print(f"  {failure['count']} × {failure['endpoint']}: {failure['error']}")
    v = verification
    print(f"acknowledged toggles: {v['toggles_acknowledged']} ({v['toggles_on']} on, {v['toggles_off']} off), "
          f"unacknowledged: {v['toggles_unacknowledged']}; submits: {v['submits_acknowledged']}")
    print(f"annotations in database: {v['annotations_in_database']} (expected {v['annotations_expected']}); "
          f"keys checked: {v['keys_checked']}; mismatches: {v['mismatches']}")
    for example in v["mismatch_examples"]:
        print(f"  mismatch: {example}")
    print(f"recompute_summaries --check: {'passed' if check.returncode == 0 else 'FAILED'}: "
          f"{check_output.splitlines()[-1] if check_output else ''}")
    print("RESULT:", "ok" if not problems else "FAILED: " + "; ".join(problems))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    if args.workdir or problems:
        print(f"scratch files (locust.log, gunicorn-*.log, acks.jsonl, database) kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
