"""Load test: simulated reviewers against gunicorn on 127.0.0.1, then every acknowledgement checked.

    .venv/bin/python perf/loadtest/run.py --users 20 --seconds 60 [--database-url postgres://…] [--json FILE]
    .venv/bin/python perf/loadtest/run.py --database-url postgres://… --app-servers 2 --worker \
        --users 50 --editors 5 --seconds 120      # two app servers behind proxy.py, one task worker

Builds a fresh database (a temporary SQLite file, or a PostgreSQL database it creates and drops),
imports the sample corpus plus small generated articles, creates reviewer accounts, collects static
files and serves the project with gunicorn in production settings (DEBUG off, plain http on
loopback). Locust (perf/loadtest/locustfile.py) then runs headless. Afterwards the script compares the
last acknowledged state of every flag each reviewer toggled with the database, runs
`manage.py recompute_summaries --check`, prints a table and exits non-zero on any failed request,
server error, mismatch or failing check.

With --app-servers N, N gunicorn processes (each with --workers workers) listen on ports of their
own behind perf/loadtest/proxy.py, which hands each connection to the next; with --worker, one
`manage.py db_worker` runs the background jobs (big exports, the API's imports). --editors adds
simulated editors (locustfile.Editor) beside the reviewers. While locust runs, the CPU time of the
app servers, proxy, worker, locust and (on PostgreSQL) this database's backends is sampled, with
the connections in use and pg_stat_database's statement time, to show where time goes.
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
import threading
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
EDITOR_PREFIX = "editor"
IMPORTER = "importer01"  # an admin: importing is admins' only (the editors use its token)
JOB_WAIT = 60  # seconds the check waits for the worker's last jobs after locust stops
SAMPLE_EVERY = 0.5  # seconds between the monitor's samples
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
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per app server (default 3)")
    parser.add_argument("--app-servers", type=int, default=1,
                        help="gunicorn processes on ports of their own; above 1, behind proxy.py (default 1)")
    parser.add_argument("--worker", action="store_true",
                        help="run one task worker (manage.py db_worker): exports over --export-task-rows rows "
                        "become jobs, and editors import records through the API")
    parser.add_argument("--export-task-rows", type=int, default=100,
                        help="with --worker: DOSSIER_EXPORT_TASK_ROWS, above which an export is a job (100)")
    parser.add_argument("--editors", type=int, default=0, help="simulated editors beside the reviewers (default 0)")
    parser.add_argument("--articles", type=int, default=40, help="generated articles beside the sample corpus (40)")
    parser.add_argument("--wait", default="0.1,0.5", help="think time between steps, 'min,max' seconds")
    parser.add_argument("--submit-chance", type=float, default=0.25, help="chance a visit ends in a submit (0.25)")
    parser.add_argument("--seed", default="7", help="seed of the articles and of every reviewer's choices")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--workdir", type=Path,
                        help="keep scratch files (database, logs, acks.jsonl) in this directory")
    args = parser.parse_args()
    if args.app_servers < 1 or args.users < 1 or args.editors < 0:
        parser.error("--app-servers and --users must be at least 1, --editors at least 0")
    return args


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


def start_gunicorn(env, port, workers, logdir, name="gunicorn"):
    """gunicorn serving the project on 127.0.0.1:port, once it answers; logs NAME-access.log, NAME-error.log."""
    access = open(logdir / f"{name}-access.log", "w")
    errors = open(logdir / f"{name}-error.log", "w")
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "dossier.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--no-control-socket",
         "--access-logfile", "-", "--access-logformat", ACCESS_FORMAT, "--timeout", "60", "--graceful-timeout", "20"],
        cwd=BASE_DIR, env=env, stdout=access, stderr=errors,
    )
    wait_until_served(process, port, name, logdir / f"{name}-error.log")
    return process


def wait_until_served(process, port, name, log, seconds=30):
    """Return once the login page answers 200 on the port; SystemExit if the process exits or time runs out."""
    url = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"{name} did not answer within {seconds} s")


def start_proxy(port, backends, logdir):
    log = logdir / "proxy.log"
    process = subprocess.Popen(
        [PYTHON, str(HERE / "proxy.py"), "--port", str(port), "--stats", str(logdir / "proxy-stats.json"),
         *[argument for backend in backends for argument in ("--backend", f"127.0.0.1:{backend}")]],
        cwd=BASE_DIR, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )
    wait_until_served(process, port, "proxy.py", log)
    return process


def create_tokens(env, requests):
    """`manage.py create_token` for each (username, [scopes]), run side by side; the secrets, in order."""
    manage = str(BASE_DIR / "manage.py")
    running = [
        subprocess.Popen([PYTHON, manage, "create_token", username, "--name", "load test",
                          *[argument for scope in scopes for argument in ("--scope", scope)]],
                         cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for username, scopes in requests
    ]
    secrets_ = []
    for process, (username, _) in zip(running, requests):
        out, err = process.communicate()
        if process.returncode:
            raise SystemExit(f"create_token {username} failed ({process.returncode}):\n{out}{err}")
        secrets_.append(out.strip().splitlines()[-1])
    return secrets_


def cpu_ticks(pid):
    """(parent pid, user + system CPU in clock ticks) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, … utime stime at 11, 12
    return int(fields[1]), int(fields[11]) + int(fields[12])


def machine_ticks():
    """(busy, total) CPU clock ticks of the whole machine since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, sum(values)


class Monitor(threading.Thread):
    """Samples, while locust runs, the CPU time of named process trees and (PostgreSQL) of this database.

    `groups` maps a name to root pids; each root's descendants count too. A process first seen after
    the first sample started during the run, so all its CPU time counts. On PostgreSQL it also samples
    pg_stat_activity (connections to this database, and how many run a statement) and takes
    pg_stat_database's counters at start() and at finish().
    """

    DB_COUNTERS = ("xact_commit", "xact_rollback", "active_time", "tup_returned", "tup_fetched", "tup_inserted",
                   "tup_updated", "tup_deleted", "blks_read", "blks_hit")

    def __init__(self, groups, database=None):
        super().__init__(daemon=True)
        self.groups, self.database = groups, database
        self.first, self.last = {}, {}  # (group, pid) -> ticks
        self.samples, self.connections, self.active = 0, [], []
        self.stopped = threading.Event()
        self.load = []

    def start(self):
        self.began, self.machine_began = time.monotonic(), machine_ticks()
        self.db_began = self._db_counters()
        self._sample(first=True)
        super().start()

    def run(self):
        while not self.stopped.wait(SAMPLE_EVERY):
            self._sample()

    def stop(self):
        """End sampling (when locust ends); finish() reads the database's counters later."""
        self.stopped.set()
        self.join()
        self.ended, self.machine_ended = time.monotonic(), machine_ticks()

    def _sample(self, first=False):
        children = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := cpu_ticks(entry.name)):
                children.setdefault(stat[0], []).append(int(entry.name))
        trees = {}
        for name, roots in self.groups.items():
            pending, seen = list(roots), set()
            while pending:
                pid = pending.pop()
                if pid not in seen:
                    seen.add(pid)
                    pending.extend(children.get(pid, []))
            trees[name] = seen
        if self.database:
            rows = self._query("SELECT pid, state FROM pg_stat_activity WHERE datname = %s "
                               "AND backend_type = 'client backend'", (self.database.name,))
            trees["PostgreSQL backends (this database)"] = {pid for pid, _ in rows}
            self.connections.append(len(rows))
            self.active.append(sum(state == "active" for _, state in rows))
        for name, pids in trees.items():
            for pid in pids:
                stat = cpu_ticks(pid)
                if stat:
                    self.first.setdefault((name, pid), stat[1] if first else 0)
                    self.last[(name, pid)] = stat[1]
        self.load.append(os.getloadavg()[0])
        self.samples += 1

    def _query(self, sql, parameters=()):
        import psycopg

        if not hasattr(self, "_connection"):
            self._connection = psycopg.connect(self.database.admin_url, autocommit=True)
        return self._connection.execute(sql, parameters).fetchall()

    def _db_counters(self):
        if not self.database:
            return None
        columns = ", ".join(self.DB_COUNTERS)
        row = self._query(f"SELECT {columns} FROM pg_stat_database WHERE datname = %s", (self.database.name,))[0]
        return dict(zip(self.DB_COUNTERS, row))

    def finish(self, requests):
        """The figures, once the servers have stopped (their backends' statistics are flushed as they end)."""
        seconds = max(self.ended - self.began, 1e-9)
        tick = os.sysconf("SC_CLK_TCK")
        cpu = {}
        for (name, pid), last in self.last.items():
            cpu[name] = cpu.get(name, 0) + (last - self.first[(name, pid)]) / tick
        busy = (self.machine_ended[0] - self.machine_began[0]) / max(self.machine_ended[1] - self.machine_began[1], 1)
        result = {
            "seconds": round(seconds, 1),
            "cpus": os.cpu_count(),
            "machine_busy_share": round(busy, 3),
            "load_average_1min": {"mean": round(sum(self.load) / len(self.load), 2), "max": round(max(self.load), 2)},
            "cpu_seconds": {name: round(value, 1) for name, value in sorted(cpu.items())},
            "cpu_ms_per_request": {name: round(value * 1000 / max(requests, 1), 2)
                                   for name, value in sorted(cpu.items())},
        }
        if self.database:
            time.sleep(1)  # the ended backends' last statistics reach pg_stat_database
            ended = self._db_counters()
            delta = {name: ended[name] - self.db_began[name] for name in self.DB_COUNTERS}
            delta["active_time"] = round(delta["active_time"], 1)
            result["database"] = {
                **delta,
                "statement_ms_per_request": round(delta["active_time"] / max(requests, 1), 2),
                "busy_backends_mean": round(sum(self.active) / max(len(self.active), 1), 2),
                "connections_mean": round(sum(self.connections) / max(len(self.connections), 1), 1),
                "connections_max": max(self.connections, default=0),
                "max_connections": int(self._query("SHOW max_connections")[0][0]),
            }
            self._connection.close()
        return result


def stop(process, timeout=30):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_trouble(logdir, servers=("gunicorn",), others=()):
    """Trouble in the servers' error logs (and the other processes' logs), and the access logs' statuses.

    Also, per server: the requests it answered and the time its workers spent on them (%(D)s), in seconds.
    """
    text = "".join((logdir / f"{name}-error.log").read_text(errors="replace") for name in servers)
    text += "".join((logdir / name).read_text(errors="replace") for name in others)
    trouble = {name: len(pattern.findall(text)) for name, pattern in SERVER_TROUBLE.items()}
    statuses, served = {}, {}
    for name in servers:
        answered, busy = 0, 0
        for line in (logdir / f"{name}-access.log").read_text(errors="replace").splitlines():
            match = re.search(r'" (\d{3}) .* (\d+)$', line)
            if match:
                statuses[match.group(1)] = statuses.get(match.group(1), 0) + 1
                answered += 1
                busy += int(match.group(2))
        served[name] = {"requests": answered, "busy_s": round(busy / 1e6, 1)}
    trouble["server 5xx"] = sum(count for status, count in statuses.items() if status.startswith("5"))
    return trouble, statuses, served


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


def resources_text(resources, served, balance):
    """Where the time went while locust ran: CPU per process group, per app server, and the database's side."""
    r = resources
    lines = [f"resources over {r['seconds']} s: machine {r['machine_busy_share']:.0%} busy of {r['cpus']} CPUs, "
             f"load average mean {r['load_average_1min']['mean']}, max {r['load_average_1min']['max']}"]
    for name, seconds in r["cpu_seconds"].items():
        lines.append(f"  CPU {name}: {seconds} s ({seconds / r['seconds']:.2f} cores, "
                     f"{r['cpu_ms_per_request'][name]} ms per request)")
    for name, figures in served.items():
        lines.append(f"  {name}: {figures['requests']} requests, workers busy {figures['busy_s']} s")
    if balance:
        lines.append(f"  proxy.py connections per app server: {balance['connections']} "
                     f"(refused {balance['refused']}, dropped {balance['dropped']})")
    if db := r.get("database"):
        lines.append(f"  database: statements {db['active_time']} ms in all ({db['statement_ms_per_request']} ms per "
                     f"request), {db['xact_commit']} commits, busy backends mean {db['busy_backends_mean']}, "
                     f"connections mean {db['connections_mean']}, max {db['connections_max']} "
                     f"(max_connections {db['max_connections']})")
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
    if args.worker:
        env["DOSSIER_EXPORT_TASK_ROWS"] = str(args.export_task_rows)
    python, manage = PYTHON, str(BASE_DIR / "manage.py")
    collectstatic = proxy = worker = monitor = None
    servers = []  # (name, process)
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
        accounts = [(PREFIX, args.users, "Reviewer")]
        if args.editors:
            accounts.append((EDITOR_PREFIX, args.editors, "Editor"))
            if args.worker:
                accounts.append((IMPORTER[:-2], 1, "Admin"))
        for prefix, count, role in accounts:
            run([python, str(HERE / "db_tasks.py"), "users", "--count", str(count), "--prefix", prefix,
                 "--role", role], {**env, "LOADTEST_PASSWORD": password})
        editor_tokens, import_token = [], ""
        if args.editors:
            step(f"API tokens for {args.editors} editors (manage.py create_token)")
            wanted = [(f"{EDITOR_PREFIX}{number:02d}", ["read"]) for number in range(1, args.editors + 1)]
            if args.worker:
                wanted.append((IMPORTER, ["read", "import"]))
            made = create_tokens(env, wanted)
            editor_tokens, import_token = made[:args.editors], (made[args.editors] if args.worker else "")
        collected = collectstatic.communicate()[0]
        if collectstatic.returncode:
            raise SystemExit(f"collectstatic failed ({collectstatic.returncode}):\n{collected}")

        names = ["gunicorn"] if args.app_servers == 1 else [f"gunicorn-{n}" for n in range(1, args.app_servers + 1)]
        ports = []
        for name in names:
            ports.append(free_port())
            step(f"{name} with {args.workers} workers on 127.0.0.1:{ports[-1]}")
            servers.append((name, start_gunicorn(env, ports[-1], args.workers, scratch, name)))
        port = ports[0]
        if args.app_servers > 1:
            port = free_port()
            step(f"proxy.py on 127.0.0.1:{port}, each connection to the next of {args.app_servers} app servers")
            proxy = start_proxy(port, ports, scratch)
        host = f"http://127.0.0.1:{port}"
        if args.worker:
            step("Task worker: manage.py db_worker")
            worker = subprocess.Popen([python, manage, "db_worker", "--no-reload", "--no-startup-delay"],
                                      cwd=BASE_DIR, env=env, stdout=open(scratch / "worker.log", "w"),
                                      stderr=subprocess.STDOUT)

        load_before = os.getloadavg()[0]
        who = f"{args.users} reviewers" + (f" and {args.editors} editors" if args.editors else "")
        step(f"locust: {who} for {args.seconds} s (load average {load_before:.1f})")
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
            "LOADTEST_EDITORS": str(args.editors),
            "LOADTEST_EDITOR_PREFIX": EDITOR_PREFIX,
            "LOADTEST_EDITOR_TOKENS": ",".join(editor_tokens),
            "LOADTEST_IMPORT_TOKEN": import_token,
            "LOADTEST_WORKER": "1" if args.worker else "0",
        }
        users = args.users + args.editors
        # Locust's own user-class selection: the classes named run; Editor's fixed_count is --editors.
        classes = ["Reviewer", "Editor"] if args.editors else ["Reviewer"]
        with open(scratch / "locust.log", "w") as log:
            locust_process = subprocess.Popen(
                [PYTHON, "-m", "locust", "-f", HERE / "locustfile.py", "--headless", "--only-summary",
                 "-u", str(users), "-r", str(args.spawn_rate or users), "--run-time", f"{args.seconds}s",
                 "--stop-timeout", "20", "--host", host, "--loglevel", "INFO", *classes],
                cwd=BASE_DIR, env=locust_env, stdout=log, stderr=subprocess.STDOUT,
            )
            groups = {"app servers (gunicorn)": [process.pid for _, process in servers],
                      "locust": [locust_process.pid]}
            if proxy:
                groups["proxy.py"] = [proxy.pid]
            if worker:
                groups["task worker (db_worker)"] = [worker.pid]
            monitor = Monitor(groups, database)
            monitor.start()
            locust_process.wait()
            monitor.stop()
            locust = locust_process
        load_after = os.getloadavg()[0]
        step("Stopping the proxy and gunicorn" if proxy else "Stopping gunicorn")
        if proxy:
            stop(proxy)
        for _, process in servers:
            stop(process)
        gunicorn_status = max(process.returncode for _, process in servers)

        if not stats_file.exists():
            raise SystemExit(f"locust wrote no statistics:\n{(scratch / 'locust.log').read_text()}")
        stats = json.loads(stats_file.read_text())
        rows, overall, failures = stats["endpoints"], stats["total"], stats["errors"]
        resources = monitor.finish(overall["requests"])
        balance = json.loads((scratch / "proxy-stats.json").read_text()) if proxy else None

        step("Checking acknowledged annotations, imports and stored summaries"
             + (" (once the worker's jobs have ended)" if worker else ""))
        verified = subprocess.run([python, str(HERE / "db_tasks.py"), "verify", "--acks", str(acks),
                                   "--prefix", PREFIX, "--wait-for-jobs", str(JOB_WAIT if worker else 0)],
                                  cwd=BASE_DIR, env=env, capture_output=True, text=True)
        if worker:
            stop(worker)
        trouble, statuses, served = server_trouble(scratch, names, ["worker.log"] if worker else [])
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
        if monitor is not None and monitor.is_alive():
            monitor.stopped.set()
        for process in [proxy, *(process for _, process in servers), worker]:
            if process is not None:
                stop(process)
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
        "editors": args.editors,
        "app_servers": args.app_servers,
        "gunicorn_workers": args.workers,
        "task_worker": args.worker,
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
        "server": {**trouble, "statuses": statuses, "gunicorn_exit": gunicorn_status, "per_app_server": served,
                   "proxy": balance},
        "resources": resources,
        "locust_exit": locust.returncode,
        "verification": verification,
        "recompute_summaries_check": {"ok": check.returncode == 0, "output": check_output},
    }
    problems = []
    if errors:
        problems.append(f"{errors} failed requests")
    if worker and args.editors and not verification["imports_acknowledged"]:
        problems.append("no import was accepted")
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
    shape = (f"{args.app_servers} app servers behind proxy.py, {args.workers} gunicorn workers each"
             if args.app_servers > 1 else f"gunicorn {args.workers} workers")
    print(f"{who} × {args.seconds} s on {backend}, {shape}{', one task worker' if worker else ''}, "
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
    if v["imports_acknowledged"] or v["imports_unacknowledged"]:
        print(f"imports accepted: {v['imports_acknowledged']} (not accepted: {v['imports_unacknowledged']}); "
              f"their articles found: {v['imported_articles_found']} of {v['imported_articles_expected']}")
    if worker:
        print(f"jobs: {v['jobs']}; task results: {v['task_results']}")
    print(resources_text(resources, served, balance))
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
