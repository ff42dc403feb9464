"""docs/examples/api_example.py, the worked example of docs/api.md, runs as written against a live server."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.models import Article

from annotations.models import Review

from api.models import Token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "api_example.py"


def test_the_worked_example_runs_against_a_live_server(live_server, admin, reviewer, editor):
    tokens = {
        "DOSSIER_ADMIN_TOKEN": Token.objects.issue(admin, "example", ["read", "import"])[1],
        "DOSSIER_REVIEWER_TOKEN": Token.objects.issue(reviewer, "example", ["read", "annotate"])[1],
        "DOSSIER_EDITOR_TOKEN": Token.objects.issue(editor, "example", ["read"])[1],
    }
    result = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **tokens, "DOSSIER_URL": live_server.url})
    assert result.returncode == 0, result.stderr + result.stdout
    assert "import: 3 imported" in result.stdout
    assert result.stdout.count("submitted:") == 3
    assert Article.objects.count() == 3
    assert Review.objects.filter(reviewer=reviewer, status=Review.Status.SUBMITTED).count() == 3
    assert "sourced-fact share" in result.stdout and "reviewers 1" in result.stdout


def test_the_page_shows_the_example_file_as_it_is():
    page = (EXAMPLE.parents[1] / "api.md").read_text()
    assert EXAMPLE.read_text() in page
