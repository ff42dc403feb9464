import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from dossier import localenv


def test_read_takes_name_value_lines_and_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# local\n\nDEBUG=1\n  SITE_URL=http://localhost:8000  \nDATABASE_URL=postgres://u:p@h/db?a=b\nEMPTY=\n")
    assert localenv.read(path) == {
        "DEBUG": "1", "SITE_URL": "http://localhost:8000", "DATABASE_URL": "postgres://u:p@h/db?a=b", "EMPTY": "",
    }


def test_read_of_a_missing_file_is_empty(tmp_path):
    assert localenv.read(tmp_path / ".env") == {}


@pytest.mark.parametrize("line, reason", [
    ("DEBUG = 1", "not NAME=VALUE"),
    ("export DEBUG=1", "not NAME=VALUE"),
    ("debug=1", "not NAME=VALUE"),
    ("just words", "not NAME=VALUE"),
    ('SECRET_KEY="abc"', "quoted"),
    ("SECRET_KEY='abc'", "quoted"),
])
def test_read_refuses_anything_else_naming_the_line(tmp_path, line, reason):
    path = tmp_path / ".env"
    path.write_text(f"DEBUG=1\n{line}\n")
    with pytest.raises(ImproperlyConfigured, match=rf"line 2: .*{reason}"):
        localenv.read(path)


def test_load_never_replaces_a_variable_the_environment_sets(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SECRET_KEY=from-file\nSITE_URL=http://file.example\n")
    environ = {"SECRET_KEY": "from-environment"}
    localenv.load(path, environ)
    assert environ == {"SECRET_KEY": "from-environment", "SITE_URL": "http://file.example"}


def test_write_local_creates_a_private_file_once_and_never_replaces_it(tmp_path):
    path = tmp_path / ".env"
    assert localenv.write_local(path) is True
    values = localenv.read(path)
    assert values["DEBUG"] == "1" and len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    assert localenv.write_local(path) is False
    assert localenv.read(path) == values


def test_new_secret_keys_are_random_and_safe_for_a_shell_or_systemd():
    keys = {localenv.new_secret_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) >= 50 and key.replace("-", "").replace("_", "").isalnum() for key in keys)
