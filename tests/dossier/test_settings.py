"""Settings come from the environment, and from the .env file under it: each case in a fresh process."""
import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
INHERITED = {"PATH", "HOME", "LANG", "TMPDIR", "TZ", "SYSTEMROOT"}
SHOW = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY, settings.SITE_URL)"


def settings_in(env_file, show=SHOW, **env):
    """Import the settings in a new process with only these variables; its (returncode, output)."""
    environ = {name: value for name, value in os.environ.items() if name in INHERITED or name.startswith("LC_")}
    environ.update({"DJANGO_SETTINGS_MODULE": "dossier.settings", "DOSSIER_ENV_FILE": str(env_file), **env})
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {show}"], cwd=ROOT,
                            env=environ, capture_output=True, text=True, timeout=120)
    return result.returncode, (result.stdout + result.stderr).strip()


def test_the_tests_read_no_env_file():
    assert settings.ENV_FILE == ""


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-file\nSITE_URL=http://file.example\n")

    assert settings_in(env_file) == (0, "True from-the-file http://file.example")
    assert settings_in(env_file, SECRET_KEY="from-the-environment", DEBUG="0") == (
        0, "False from-the-environment http://file.example"
    )


def test_without_a_secret_key_or_debug_the_settings_refuse_and_write_nothing(tmp_path):
    env_file = tmp_path / ".env"
    code, output = settings_in(env_file)
    assert code != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in output
    assert not env_file.exists()


def test_debug_without_a_key_writes_the_local_env_file_once_and_keeps_using_it(tmp_path):
    env_file = tmp_path / ".env"
    code, first = settings_in(env_file, DEBUG="1")
    assert code == 0, first
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    written = env_file.read_text()
    assert "DEBUG=1\n" in written

    # Later commands need neither DEBUG=1 nor a key in the environment.
    assert settings_in(env_file) == (0, first)
    assert env_file.read_text() == written


def test_debug_with_an_env_file_lacking_a_key_says_so_and_leaves_the_file_alone(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SITE_URL=http://file.example\n")
    code, output = settings_in(env_file, DEBUG="1")
    assert code != 0 and f"{env_file} has none" in output
    assert env_file.read_text() == "SITE_URL=http://file.example\n"


def test_a_malformed_env_file_is_refused_with_its_line(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY = spaced\n")
    code, output = settings_in(env_file)
    assert code != 0 and "line 2: not NAME=VALUE" in output


def test_both_databases_keep_their_connections_across_requests_checked_before_use(tmp_path):
    show = ("from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['ENGINE'].rsplit('.', 1)[1], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    env = {"SECRET_KEY": "k", "DEBUG": "0"}
    for url, engine in ((f"sqlite:///{tmp_path / 'db.sqlite3'}", "sqlite3"), ("postgres://u@db/d", "postgresql")):
        assert settings_in("", show, DATABASE_URL=url, **env) == (0, f"{engine} 600 True")
    assert settings_in("", show, DATABASE_URL="postgres://u@db/d", CONN_MAX_AGE="0", **env) == (0, "postgresql 0 True")
