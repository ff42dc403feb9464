"""Tests for dossier.ingest.names: one-line names cleaned, lists split, names folded for matching."""
import json

import pytest

from dossier.ingest import Metadata, import_paths, load_manifest
from dossier.ingest.names import clean_name, name_key, split_names
from dossier.models import Author

pytestmark = pytest.mark.django_db


def test_manifest_authors_may_be_a_string_and_names_are_normalised(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps({"files": {"a.txt": {"authors": " Jane  Doe ; Cafe\u0301 Owner ", "outlet": " X "}}})
    )
    entry = load_manifest(manifest)["a.txt"]
    assert entry.authors == ("Jane Doe", "Café Owner") and entry.outlet == "X"


def test_a_bio_is_matched_to_its_author_across_turkish_dotted_and_dotless_i(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Sınır güvenliği\n\nUzun bir paragraf burada yazıyor ve konu anlatılıyor.\n\n"
        "İsmail YILMAZ\nİsmail YILMAZ, Ankara Üniversitesi'nde öğretim üyesidir."
    )
    import_paths([tmp_path / "a.txt"], Metadata.build(authors=["İsmail Yılmaz"]))

    author = Author.objects.get()
    assert author.name == "İsmail Yılmaz"
    assert author.bio.startswith("İsmail YILMAZ, Ankara")


def test_clean_name_normalises_to_nfc_and_collapses_whitespace():
    assert clean_name("  Cafe\u0301 \t Owner\n") == "Café Owner"
    assert clean_name(None) == "" and clean_name("") == ""


def test_split_names_splits_on_semicolons_and_drops_empty_names():
    assert split_names(" Jane  Doe ;; John Roe ; ") == ["Jane Doe", "John Roe"]


def test_name_key_folds_case_and_turkish_dotted_and_dotless_i():
    assert name_key("İSMAİL YILMAZ") == name_key("ismail yılmaz") == "ismail yilmaz"
    assert name_key("Jane") != name_key("June")
