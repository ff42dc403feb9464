"""A new version of an article's text: annotations carried across, orphans kept, scores of the old version kept."""
import json

import pytest
from factories import make_article, make_review

from dossier.ingest import import_file
from dossier.models import Article

from annotations.models import Annotation, ArticleSummary, Flag, Orphan, Review

pytestmark = pytest.mark.django_db

URL = "https://news.example/border-deal"
SENTENCES = [
    "Iran and Pakistan agreed on Tuesday to patrol their shared border.",
    "Reports indicate that smuggling has grown.",
    "The Foreign Ministry spokesperson asked for calm.",
    "It is, in our view, a welcome step.",
]


def body(sentences):
    return " ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:])


def reimport(sentences, title="Border deal"):
    result = import_file("again.json", json.dumps({"title": title, "body": body(sentences), "url": URL}).encode())
    assert not result.failed, result.error
    return Article.objects.get(url=URL)


@pytest.fixture
def article():
    return make_article(body=body(SENTENCES), title="Border deal", url=URL)


def placed(article):
    """(reviewer, flag shortcut, passage text, quote) of every annotation, sorted."""
    return sorted(
        (a.review.reviewer.username, a.flag.shortcut, a.passage.text, a.quote)
        for a in Annotation.objects.filter(review__article=article).select_related("review__reviewer", "flag",
                                                                                     "passage__article")
    )


def test_annotations_follow_their_sentences_into_the_new_version(article, reviewer, other_reviewer):
    make_review(article, reviewer, {1: "v", 3: "o"})
    make_review(article, other_reviewer, {1: "u"}, submit=False)  # in progress: carried too
    before = placed(article)

    new = reimport(["A new first sentence.", *SENTENCES])

    assert new.pk == article.pk and new.version == 2
    assert placed(new) == before
    assert not Orphan.objects.exists()


def test_an_annotation_whose_sentence_is_gone_is_orphaned_and_listed_not_dropped(article, reviewer):
    review = make_review(article, reviewer, {1: "v", 2: "q"}, submit=False)
    passage = article.passages.all()[1]
    review.annotations.filter(passage=passage).update(note="Which reports?")

    new = reimport([SENTENCES[0], SENTENCES[2], SENTENCES[3]])

    orphan = Orphan.objects.for_article(new).get()
    assert (orphan.version, orphan.flag.shortcut, orphan.review, orphan.note) == (1, "v", review, "Which reports?")
    assert orphan.passage_text == SENTENCES[1] and "not in the new text" in orphan.reason
    assert placed(new) == [("rita", "q", SENTENCES[2], "")]


def test_a_sub_range_is_carried_across_as_the_same_words(article, reviewer):
    review = Review.objects.create(article=article, reviewer=reviewer)
    passage = article.passages.all()[1]
    start = article.body.index("Reports indicate")
    review.set_flag(passage, Flag.objects.get(shortcut="v"), True, start=start, end=start + len("Reports indicate"))

    new = reimport(["Preface sentence here.", *SENTENCES])

    annotation = Annotation.objects.get()
    assert annotation.quote == "Reports indicate" and annotation.passage.article_id == new.pk


def test_the_summary_follows_the_new_version_and_the_old_ones_is_kept(article, reviewer, other_reviewer):
    make_review(article, reviewer, {0: "q", 1: "u"})
    make_review(article, other_reviewer, {0: "q", 1: "u"})
    old_summary = ArticleSummary.objects.get(article=article)

    new = reimport([SENTENCES[0], SENTENCES[2], SENTENCES[3]])  # the unsourced sentence is gone

    version = new.versions.get()
    assert version.summary["unsourced_chars"] == old_summary.unsourced_chars > 0
    assert ArticleSummary.objects.get(article=new).unsourced_chars == 0
    assert Orphan.objects.filter(article=new).count() == 2


def test_an_article_counts_once_whatever_its_versions(article):
    reimport(["Changed.", *SENTENCES])
    reimport(["Changed again.", *SENTENCES])

    assert Article.objects.count() == 1
    assert list(article.versions.values_list("number", flat=True)) == [1, 2]
    assert Article.objects.get().version == 3


def test_two_annotations_landing_on_one_passage_keep_one_and_orphan_the_other(article, reviewer):
    make_review(article, reviewer, {0: "v", 1: "v"}, submit=False)

    # The first two sentences become one: both "v" flags would land on it.
    merged = [SENTENCES[0][:-1] + ", and reports indicate that smuggling has grown.", *SENTENCES[2:]]
    new = reimport(merged)

    assert Annotation.objects.filter(review__article=new).count() + Orphan.objects.filter(article=new).count() == 2


def test_a_new_version_with_more_paragraphs_than_the_old_numbers_them_from_zero(reviewer):
    # PostgreSQL checks the passages' unique position row by row while they are renumbered.
    article = make_article(body="One paragraph only.", title="Growing", url=URL)
    make_review(article, reviewer, {0: "o"}, submit=False)

    new = reimport([f"Paragraph {n}." for n in range(2)] + ["One paragraph only.", "Last."], title="Growing")

    assert list(new.passages.values_list("paragraph", "sentence")) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert placed(new) == [("rita", "o", "One paragraph only.", "")]
