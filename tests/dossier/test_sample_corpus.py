"""The five seed articles import with the titles, authors and outlets their texts name, and no debris."""
from pathlib import Path

import pytest

from dossier.ingest import import_paths, load_manifest
from dossier.models import Article

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

EXPECTED = {
    "000_c6a9d4098b9f4a1d.txt": (
        "Iran and Turkey: Leading terrorism support in West and South Asia", ["Sergio Restelli"], None
    ),
    "001_81cdfc42d4b92ce7.txt": (
        "Seeking Cooperation in Combating Terrorism on the Pakistan-Iran Line", ["Doğacan Başaran"], None
    ),
    "002_a0f13dfd2795e71f.txt": ("On Iran and Pakistan Fortifying Ties to Combat Terrorism", [], None),
    "003_4197382e009b1f8c.txt": (
        "Enhancing Regional Cooperation to Combat Terrorism on Iran-Pakistan Border", [], "www.tehrantimes.com"
    ),
    "004_f96f9268216496c2.txt": (
        "The development of military relations between Turkey and Pakistan, obstacles and challenges", [], None
    ),
}
DEBRIS = [
    "search", "top of page", "bottom of page", "Paylaş", "This post is also available in", "Leave a Reply",
    "Your email address will not be published", "Related Topics", "Related Posts", "Similar Posts",
    "About the Author", "b932e13f-7af0-44ec-a26a-1915e52d737a", "Original Source",
]


@pytest.fixture
def corpus():
    report = import_paths([FIXTURES / "seeds"], manifest=load_manifest(FIXTURES / "manifest.json"))
    assert (report.imported, report.failed) == (5, 0)
    return {article.source_name: article for article in Article.objects.prefetch_related("authors")}


def test_sample_corpus_files_are_the_seeds_unchanged():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    for seed in SEEDS.glob("*.txt"):
        assert (FIXTURES / "seeds" / seed.name).read_bytes() == seed.read_bytes()


def test_manifest_lists_every_sample_file():
    assert set(load_manifest(FIXTURES / "manifest.json")) == {p.name for p in (FIXTURES / "seeds").glob("*.txt")}


def test_seed_articles_get_the_titles_authors_and_outlets_their_texts_name(corpus):
    for name, (title, authors, outlet) in EXPECTED.items():
        article = corpus[name]
        assert article.title == title
        assert [author.name for author in article.authors.all()] == authors
        assert (article.outlet.name if article.outlet else None) == outlet
        assert article.language == "en"
        assert article.url == ""


def test_no_debris_line_survives_in_any_body(corpus):
    for article in corpus.values():
        paragraphs = article.body.split("\n\n")
        for line in DEBRIS:
            assert not any(p.startswith(line) for p in paragraphs), (article.source_name, line)
        assert "0" not in paragraphs
        assert paragraphs[0] != article.title


def test_author_box_becomes_the_authors_bio_not_body_text(corpus):
    restelli = corpus["000_c6a9d4098b9f4a1d.txt"]
    author = restelli.authors.get()
    assert author.bio.startswith("Sergio Restelli is an Italian political advisor")
    assert "Italian political advisor" not in restelli.body
    basaran = corpus["001_81cdfc42d4b92ce7.txt"].authors.get()
    assert basaran.bio.startswith("Dr. Doğacan BAŞARAN, 2014 yılında")


def test_footnotes_stay_in_the_body_as_sourcing_evidence(corpus):
    body = corpus["001_81cdfc42d4b92ce7.txt"].body
    assert "bilateral agreements.[1]" in body
    assert "[1] “Iran Urges Pakistan to Boost Border Security After Deadly Attack”, Voice of America" in body
    assert "[2] “Pakistan Strongly Condemns Terrorist Attack in Iran”, Dunya News" in body


def test_every_seed_passage_is_an_exact_slice_of_its_body(corpus):
    for article in corpus.values():
        passages = list(article.passages.all())
        assert len(passages) > 10
        for passage in passages:
            text = article.body[passage.start : passage.end]
            assert text and text == text.strip()


def test_importing_the_corpus_again_changes_nothing(corpus):
    report = import_paths([FIXTURES / "seeds"], manifest=load_manifest(FIXTURES / "manifest.json"))
    assert (report.imported, report.duplicates, report.failed) == (0, 5, 0)
    assert Article.objects.count() == 5
