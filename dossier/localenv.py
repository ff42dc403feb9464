"""The `.env` file beside manage.py: settings variables, one KEY=VALUE a line, under the real environment.

Strict on purpose, so that the same file also works as a systemd EnvironmentFile and with
`set -a && . ./.env`: an upper-case name, `=`, the value as written (no quotes, no expansion);
blank lines and lines starting with `#` are skipped. Anything else is refused with its line number.
"""
import os
import re
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

LINE = re.compile(r"([A-Z_][A-Z0-9_]*)=(.*)")
written = set()  # the files write_local() created in this process, as str
LOCAL_HEADER = (
    "# Local development settings, written once by Dossier (manage.py demo, or the first run with DEBUG=1\n"
    "# and no SECRET_KEY). Git-ignored; variables set in the environment win. A server keeps its own\n"
    "# settings here instead, without DEBUG (docs/operations.md).\n"
)


def read(path):
    """The file's variables, in order; {} when there is no file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.fullmatch(line)
        if not match:
            raise ImproperlyConfigured(
                f"{path}, line {number}: not NAME=VALUE (an upper-case name, '=' with no spaces, the value)."
            )
        name, value = match.groups()
        if value[:1] in ("'", '"'):
            raise ImproperlyConfigured(f"{path}, line {number}: {name}'s value is quoted; write it bare.")
        values[name] = value
    return values


def load(path, environ=os.environ):
    """Put the file's variables into `environ`, except those already set there."""
    for name, value in read(path).items():
        environ.setdefault(name, value)


def new_secret_key():
    """A random key of letters, digits, '-' and '_': nothing a shell or systemd would read differently."""
    return secrets.token_urlsafe(50)


def write_local(path):
    """Create the file (mode 0600) with DEBUG=1 and a new SECRET_KEY; False, changing nothing, if it exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.fchmod(descriptor, 0o600)  # whatever the umask
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(f"{LOCAL_HEADER}DEBUG=1\nSECRET_KEY={new_secret_key()}\n")
    written.add(str(path))
    return True
