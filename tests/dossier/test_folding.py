"""The search normaliser: one folding for what is stored and what is asked."""
import pytest

from dossier.folding import WORD_LENGTH, search_text, search_words


@pytest.mark.parametrize(("typed", "stored"), [
    ("istanbul", "İstanbul"),
    ("ISTANBUL", "İstanbul'da"),
    ("isik", "ışık"),
    ("IŞIK", "ışık"),
    ("ıi", "İI"),
    ("москва", "Москва"),
    ("елка", "Ёлка"),
    ("resume", "Résumé"),
    ("strasse", "Straße"),
    ("کتاب", "كتاب"),  # Arabic kaf as Persian writes it
    ("علی", "علي"),  # Arabic yeh
    ("احمد", "أحمد"),  # alef with hamza
    ("میخواهم", "می\u200cخواهم"),  # the zero-width non-joiner only shapes the word
    ("2024", "۲۰۲۴"),
    ("file", "ﬁle"),
])
def test_a_typed_word_folds_to_what_the_stored_one_folds_to(typed, stored):
    assert search_words(typed) == search_words(stored)[:1]


def test_punctuation_and_query_syntax_are_not_words():
    assert search_words('a" OR * NEAR( -x ^y {z}: _') == ["a", "or", "near", "x", "y", "z"]
    assert search_words("  \"*()  ") == [] and search_words(None) == []


def test_stored_text_is_words_joined_by_single_spaces_and_each_word_is_bounded():
    assert search_text("  Border   talks,  İzmir\t") == "border talks izmir"
    assert search_words("x" * 500) == ["x" * WORD_LENGTH]
