"""Small plain factories: real articles made through the real import path."""
import json
from itertools import count

from dossier.ingest import import_file
from dossier.models import Article

_numbers = count(1)


def make_article(body=None, title=None, **fields):
    """Import one JSON record and return the saved Article (with passages)."""
    number = next(_numbers)
    record = {
        "title": title or f"Article {number}",
        "body": body or f"Sentence one of {number}. Sentence two.",
        **fields,
    }
    result = import_file(f"article-{number}.json", json.dumps(record).encode())
    assert not result.failed, result.error
    return Article.objects.get(title=record["title"])


def make_review(article, reviewer, flags, submit=True):
    """A review putting flags on passages by position: {0: "qu", 2: "o"} (flag shortcuts); submitted by default."""
    from annotations.models import Flag, Review

    review = Review.objects.create(article=article, reviewer=reviewer)
    passages = list(article.passages.all())
    for position, shortcuts in flags.items():
        for shortcut in shortcuts:
            review.set_flag(passages[position], Flag.objects.get(shortcut=shortcut), True)
    if submit:
        review.submit()
    return review


def record(**fields):
    """A JSON record with a title and a two-sentence body, plus any fields given."""
    return {"title": "A title", "body": "One sentence here. Another one.", **fields}


def jsonl(*records):
    """Records as the bytes of a .jsonl file."""
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


def table_counts():
    """(articles, passages, outlets, authors): what an import may have left behind."""
    from dossier.models import Author, Outlet, Passage

    return (Article.objects.count(), Passage.objects.count(), Outlet.objects.count(), Author.objects.count())


def assert_refused(name, data, reason):
    """Importing the file fails, names the file and the reason, and leaves nothing behind."""
    result = import_file(name, data)
    assert result.failed
    assert reason in result.error
    assert name in result.summary()
    assert table_counts() == (0, 0, 0, 0)
