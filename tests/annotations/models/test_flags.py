from annotations import scoring
from annotations.models import Flag


def test_flag_categories_are_the_scoring_vocabulary():
    assert tuple(Flag.Category.values) == scoring.FLAG_CATEGORIES
    assert [label for _, label in Flag.Category.choices] == [scoring.LABELS[c] for c in scoring.FLAG_CATEGORIES]
    assert Flag.Category.UNSOURCED == "unsourced"
