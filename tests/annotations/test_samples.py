import json

import pytest
from factories import make_article

from annotations.models import Review
from annotations.samples import BadSample, load_sample_reviews

pytestmark = pytest.mark.django_db


def fixture(tmp_path, flags):
    path = tmp_path / "reviews.json"
    review = {"article": "article-x.json", "reviewer": "rita", "flags": flags}
    path.write_text(json.dumps({"reviews": [review]}), encoding="utf-8")
    return path


@pytest.fixture
def article():
    article = make_article(body="Tanks moved. Analysts say.")
    article.source_name = "article-x.json"
    article.save()
    return article


def test_sample_reviews_are_created_submitted_and_only_once(tmp_path, article, reviewer):
    path = fixture(tmp_path, [{"passage": [0, 1], "starts": "Analysts", "flag": "Vague attribution", "note": "Who?"}])
    assert load_sample_reviews(path, {"rita": reviewer}) == 1
    review = Review.objects.get()
    assert review.is_submitted and review.annotations.get().note == "Who?"
    assert load_sample_reviews(path, {"rita": reviewer}) == 0


@pytest.mark.parametrize("mark, message", [
    ({"passage": [0, 1], "starts": "Tanks", "flag": "Opinion"}, "no passage \\[0, 1\\] starting “Tanks”"),
    ({"passage": [3, 0], "starts": "Tanks", "flag": "Opinion"}, "no passage \\[3, 0\\]"),
    ({"passage": [0, 0], "starts": "Tanks", "flag": "Made up"}, "no flag named “Made up”"),
])
def test_a_fixture_that_no_longer_matches_the_text_is_refused_whole(tmp_path, article, reviewer, mark, message):
    good = {"passage": [0, 0], "starts": "Tanks", "flag": "Opinion"}
    with pytest.raises(BadSample, match=message):
        load_sample_reviews(fixture(tmp_path, [good, mark]), {"rita": reviewer})
    assert not Review.objects.exists()
