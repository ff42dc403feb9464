from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dossier.models import Article

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_the_sample_corpus_with_its_manifest_and_prints_counts():
    out, err = run(FIXTURES / "seeds", "--manifest", FIXTURES / "manifest.json")

    assert "5 files: 5 imported, 0 duplicate, 0 failed." in out
    assert "000_c6a9d4098b9f4a1d.txt: 1 imported" in out
    assert err == ""
    assert Article.objects.count() == 5


def test_command_run_twice_reports_duplicates_and_changes_nothing():
    run(FIXTURES / "seeds")
    out, _ = run(FIXTURES / "seeds")

    assert "5 files: 0 imported, 5 duplicate, 0 failed." in out
    assert Article.objects.count() == 5


def test_command_options_set_outlet_author_url_and_language(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nSome body text.")
    run(story, "--outlet", "Example Times", "--author", "Jane Doe", "--author", "John Roe",
        "--url", "https://example.com/story", "--language", "EN")

    article = Article.objects.get()
    assert article.outlet.name == "Example Times"
    assert sorted(a.name for a in article.authors.all()) == ["Jane Doe", "John Roe"]
    assert (article.url, article.language) == ("https://example.com/story", "en")


def test_command_reports_a_bad_file_by_name_and_exits_non_zero(tmp_path):
    (tmp_path / "good.txt").write_text("Headline\n\nSome body text.")
    (tmp_path / "bad.json").write_text("{oops")

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) failed"):
        call_command("import_articles", str(tmp_path), stdout=out, stderr=err)

    assert f"{tmp_path / 'bad.json'}: failed: malformed JSON at line 1" in err.getvalue()
    assert "2 files: 1 imported, 0 duplicate, 1 failed." in out.getvalue()
    assert Article.objects.count() == 1


def test_command_with_a_bad_manifest_stops_before_importing(tmp_path):
    manifest = tmp_path / "m.json"
    manifest.write_text("[]")
    with pytest.raises(CommandError, match="manifest"):
        run(FIXTURES / "seeds", "--manifest", manifest)
    assert Article.objects.count() == 0


def test_command_with_nothing_to_import_says_so(tmp_path):
    with pytest.raises(CommandError, match="No files to import"):
        run(tmp_path)
